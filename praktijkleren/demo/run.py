"""One seeding run of the demo region, in one transaction; and what ``seed_demo`` does when the
region already exists (only the demo accounts' password)."""

import datetime as dt
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.contrib.auth.hashers import make_password
from django.db import transaction

from praktijkleren.accounts.models import Organisation, User
from praktijkleren.demo import candidates as demo_candidates
from praktijkleren.demo import enrolments as demo_enrolments
from praktijkleren.demo import leerbanen as demo_leerbanen
from praktijkleren.demo import leerbedrijven as demo_leerbedrijven
from praktijkleren.demo import orgs as demo_orgs
from praktijkleren.demo import praktijkopleiders as demo_people
from praktijkleren.demo import voordrachten as demo_voordrachten
from praktijkleren.demo.cleanup import demo_data_delete
from praktijkleren.demo.context import DemoContext, region_context
from praktijkleren.demo.kwalificaties import kwalificatie_pools, werkprocessen_by_kwalificatie

# The demo log-ins, in the order ``seed_demo`` lists them.
ACCOUNT_NAMES = ("demo-gemeente", "demo-uwv", "demo-school", "demo-beheer", "demo-werkgever")
# The demo log-ins that administer their organisation (webhook, delivery log).
ADMIN_NAMES = ("demo-gemeente", "demo-uwv", "demo-school", "demo-werkgever")


@dataclass
class DemoResult:
    """What a run made: ``accounts`` the demo log-ins (username → user), ``counts`` the number
    of records per Dutch label, ``deleted`` the rows a previous run left that were removed."""

    accounts: dict[str, User]
    counts: dict[str, int]
    deleted: dict[str, int]


def demo_region_exists() -> bool:
    """True when a demo region was seeded before (there is a demo organisation)."""
    return Organisation.objects.filter(is_demo=True).exists()


def demo_password_set(*, password: str) -> dict[str, User]:
    """Give every demo user ``password`` (one hash, one update) and make the ``ADMIN_NAMES``
    log-ins administrators of their organisation (a region seeded before they were); changes
    nothing else. Returns the demo accounts that exist, by username, in ``ACCOUNT_NAMES``
    order."""
    User.objects.filter(is_demo=True).update(password=make_password(password))
    User.objects.filter(is_demo=True, username__in=ADMIN_NAMES).update(is_organisation_admin=True)
    found = User.objects.filter(is_demo=True, username__in=ACCOUNT_NAMES).select_related(
        "organisation"
    )
    by_name = {user.username: user for user in found}
    return {name: by_name[name] for name in ACCOUNT_NAMES if name in by_name}


def demo_region_seed(*, region_code: str, seed: int, today: dt.date, password: str) -> DemoResult:
    """Replace all demo data (``cleanup.demo_data_delete``) by a fresh demo region for
    arbeidsmarktregio ``region_code``.

    Deterministic for the same region, ``seed``, ``today`` (the reference date all dates and
    log moments are relative to) and reference data. Runs in one transaction without audit log
    entries; sends nothing. Raises ``LookupError`` when the region, its postcodes, current BBL
    kwalificaties or mbo-instellingen are missing (reference data not loaded).
    """
    with transaction.atomic(), disable_auditlog():
        deleted = demo_data_delete()
        ctx = region_context(
            region_code=region_code, seed=seed, today=today, password_hash=make_password(password)
        )
        accounts = region_build(ctx)
    return DemoResult(accounts=accounts, counts=dict(ctx.counts), deleted=deleted)


def region_build(ctx: DemoContext) -> dict[str, User]:
    """Every step in order; returns the demo accounts by username."""
    consultant_orgs = demo_orgs.consultant_orgs_create(ctx)
    schools = demo_orgs.school_orgs_create(ctx)
    accounts = accounts_create(ctx, consultant_orgs, schools)
    consultants = demo_orgs.consultants_create(ctx, consultant_orgs)

    pools = kwalificatie_pools()
    werkprocessen = werkprocessen_by_kwalificatie([k for p in pools.values() for k in p])
    werkgevers = demo_leerbedrijven.werkgevers_create(ctx, pools, set(werkprocessen))
    people = demo_people.People(ctx.seed)
    demo_people.addresses_complete(people, werkgevers)
    demo_people.contacts_create(ctx, people, werkgevers)
    opleiders = demo_people.praktijkopleiders_create(ctx, people, werkgevers)
    demo_leerbedrijven.erkenningen_extend(ctx, werkgevers, werkprocessen)
    demo_werkgever = werkgevers[0]
    accounts["demo-werkgever"] = demo_orgs.user_create(
        ctx,
        username="demo-werkgever",
        organisation=demo_werkgever.leerbedrijf.organisation,
        is_organisation_admin=True,
    )
    ctx.logins = {user.organisation_id: user for user in accounts.values()}
    leerbanen = demo_leerbanen.leerbanen_create(ctx, werkgevers, werkprocessen)
    demo_people.leerbanen_assign(people, leerbanen, opleiders)
    demo_leerbanen.aanbod_create(ctx, schools, werkgevers)

    plans = demo_candidates.registrations_plan(ctx, consultant_orgs, consultants, accounts)
    sector_of = {w.leerbedrijf.pk: w.sector.key for w in werkgevers}
    favourites = {lb.pk for lb in leerbanen if lb.leerbedrijf_id == demo_werkgever.leerbedrijf.pk}
    candidates = demo_candidates.candidates_create(
        ctx, plans, leerbanen, pools, sector_of, favourites
    )
    workflows_build(ctx, candidates, leerbanen, schools, accounts)
    demo_people.capacities_settle(opleiders)
    return accounts


def workflows_build(ctx: DemoContext, candidates, leerbanen, schools, accounts) -> None:
    """The workflows on the saved candidates and leerbanen: their histories, the voordrachten,
    the enrolments, a few afmeldingen, then the final states and every transition log."""
    leerbaan_stories = demo_leerbanen.leerbaan_stories(ctx, leerbanen)
    stories = [demo_candidates.candidate_story(ctx, c) for c in candidates]
    own = own_ids(candidates, accounts)
    plans = demo_voordrachten.voordrachten_create(
        ctx, stories, leerbaan_stories, showcase_ids(candidates, accounts)
    )
    demo_enrolments.enrolments_create(ctx, plans, schools)
    demo_candidates.deregistrations_add(ctx, stories, keep=own)
    demo_candidates.candidates_settle(ctx, stories)
    demo_leerbanen.leerbanen_settle(ctx, leerbaan_stories)


def accounts_create(ctx: DemoContext, consultant_orgs, schools) -> dict[str, User]:
    """demo-gemeente (largest gemeente), demo-uwv, demo-school (first school), each its
    organisation's administrator, and demo-beheer (staff and superuser of the beheer
    organisation); demo-werkgever follows with its werkgever."""
    by_gemeente = {o.gemeente_id: o for o in consultant_orgs if o.gemeente_id}
    owners = {
        "demo-gemeente": by_gemeente[ctx.main_gemeente.pk],
        "demo-uwv": consultant_orgs[-1],
        "demo-school": schools[0].organisation,
    }
    accounts = {
        username: demo_orgs.user_create(
            ctx, username=username, organisation=org, is_organisation_admin=True
        )
        for username, org in owners.items()
    }
    accounts["demo-beheer"] = demo_orgs.user_create(
        ctx,
        username="demo-beheer",
        organisation=demo_orgs.beheer_org_create(ctx),
        is_staff=True,
        is_superuser=True,
    )
    return accounts


def own_ids(candidates, accounts: dict[str, User]) -> set[int]:
    """Ids of the candidates of the demo consultant accounts (demo-gemeente, demo-uwv)."""
    users = {accounts[name].pk for name in demo_candidates.DEMO_ACCOUNT_CANDIDATES}
    return {c.pk for c in candidates if c.consultant_id in users}


def showcase_ids(candidates, accounts: dict[str, User]) -> set[int]:
    """Ids of the first half of each demo consultant account's own candidates: they always get
    voordrachten; the other half is left for the demo user to act on."""
    ids: set[int] = set()
    for username in demo_candidates.DEMO_ACCOUNT_CANDIDATES:
        own = [c.pk for c in candidates if c.consultant_id == accounts[username].pk]
        ids.update(own[: len(own) // 2])
    return ids
