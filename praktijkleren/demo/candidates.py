"""Demo candidates, registered by the region's gemeenten and UWV office, whose wishes mostly
fit the region's published leerbanen; their history (registered, activated with consent, a few
afgemeld) and, once the voordrachten are known, their final status."""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.utils import timezone
from stdnum.nl import bsn as bsn_nummer

from candidates.constants import CandidateEndReason, CandidateStatus
from candidates.models import Candidate, CandidateTransition
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from opleidingen.constants import Route
from opleidingen.models import Kwalificatie
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.demo.context import DemoContext, demo_slug
from praktijkleren.demo.history import Actor, Step, logs_create, stamps_save
from praktijkleren.demo.texts import EARLIER_EDUCATION, GENERAL_EXPERIENCE, SECTORS
from praktijkleren.geo.models import Postcode
from praktijkleren.geo.selectors import distance_km

CANDIDATES_PER_GEMEENTE = 14
MIN_CANDIDATES, MAX_CANDIDATES = 20, 250
# Candidates of the demo accounts (demo-gemeente, demo-uwv), all with a fitting leerbaan.
DEMO_ACCOUNT_CANDIDATES = {"demo-gemeente": 10, "demo-uwv": 6}
UWV_SHARE = 0.3
UNTARGETED_SHARE = 0.12
REACH_KM = 35
ROUTE_WEIGHTS = {Route.DIPLOMA: 50, Route.PRAKTIJKVERKLARING: 35, Route.CERTIFICAAT: 15}
# Share of the candidates without voordrachten (not the demo accounts' own) that the consultant
# afgemeld, and the reasons a consultant gives then.
AFGEMELD_SHARE = 0.08
AFGEMELD_REASONS = (
    CandidateEndReason.WERK_GEVONDEN,
    CandidateEndReason.OPLEIDING_ELDERS,
    CandidateEndReason.GEEN_INTERESSE,
    CandidateEndReason.GEZONDHEID,
    CandidateEndReason.PERSOONLIJK,
    CandidateEndReason.VERHUISD,
)
C = CandidateStatus


@dataclass
class CandidateStory:
    """A saved demo candidate with its history (``steps``) and its voordrachten (the
    ``voordrachten`` module's stories, filled in later); ``consultant`` is the consultant who
    registered it, acting for its organisation."""

    candidate: Candidate
    consultant: Actor
    steps: list[Step]
    voordrachten: list = field(default_factory=list)

    @property
    def status(self) -> str:
        """The state its history reached."""
        return self.steps[-1].to_state


@dataclass
class Registration:
    """Who registers a candidate and where the candidate lives."""

    organisation: Organisation
    consultant: User
    home: Postcode
    good_fit: bool = False


def candidate_count(ctx: DemoContext) -> int:
    """How many candidates the region gets: 14 per gemeente, between 20 and 250."""
    return max(MIN_CANDIDATES, min(MAX_CANDIDATES, CANDIDATES_PER_GEMEENTE * len(ctx.gemeenten)))


def bsn_draw(ctx: DemoContext, used: set[str]) -> str:
    """An unused BSN valid by the 11-proef (checked with python-stdnum), from the 9999xxxxx
    range that RvIG uses for test persons."""
    while True:
        candidate = f"9999{ctx.rng.randint(0, 99999):05d}"
        if candidate not in used and bsn_nummer.is_valid(candidate):
            used.add(candidate)
            return candidate


def registrations_plan(
    ctx: DemoContext,
    orgs: list[Organisation],
    consultants: dict[int, list[User]],
    demo_users: dict[str, User],
) -> list[Registration]:
    """Who registers each candidate: first the demo accounts' own candidates (good fits),
    then the rest spread over the gemeenten by size and the UWV office (30%)."""
    plans = [
        Registration(user.organisation, user, home=home_pick(ctx, user.organisation), good_fit=True)
        for name, n in DEMO_ACCOUNT_CANDIDATES.items()
        for user in [demo_users[name]] * n
    ]
    sizes = [len(ctx.postcodes[o.gemeente_id]) if o.gemeente_id else 0 for o in orgs]
    weights = [s or sum(sizes) * UWV_SHARE / (1 - UWV_SHARE) for s in sizes]
    for _ in range(candidate_count(ctx) - len(plans)):
        org = ctx.rng.choices(orgs, weights=weights)[0]
        staff = consultants[org.pk] + [u for u in demo_users.values() if u.organisation == org]
        plans.append(Registration(org, ctx.rng.choice(staff), home=home_pick(ctx, org)))
    return plans


def home_pick(ctx: DemoContext, org: Organisation) -> Postcode:
    """A home PC4: in the gemeente of a gemeente organisation, anywhere in the region for
    UWV."""
    if org.kind == OrganisationKind.GEMEENTE:
        return ctx.postcode_in(org.gemeente)
    return ctx.postcode_in(ctx.gemeente_by_size())


def target_pick(
    ctx: DemoContext, plan: Registration, open_leerbanen: list[Leerbaan], favourites: set[int]
) -> tuple[Leerbaan, float] | None:
    """The open leerbaan a candidate's wishes are modelled on, with its distance in km: one
    within reach, nearer ones likelier (the demo werkgever's much likelier for good fits).
    None for about one in eight candidates, and when nothing is within reach."""
    if not plan.good_fit and ctx.rng.random() < UNTARGETED_SHARE:
        return None
    home = plan.home
    near = [
        (lb, distance_km(home.lat, home.lon, lb.vestiging.postcode.lat, lb.vestiging.postcode.lon))
        for lb in open_leerbanen
    ]
    near = [(lb, d) for lb, d in near if d <= REACH_KM]
    if not near:
        return None
    boost = 8 if plan.good_fit else 1
    weights = [(boost if lb.pk in favourites else 1) / (1 + d / 5) for lb, d in near]
    return ctx.rng.choices(near, weights=weights)[0]


def candidate_build(
    ctx: DemoContext,
    plan: Registration,
    target: tuple[Leerbaan, float] | None,
    bsn: str,
    sector_of: dict[int, str],
) -> Candidate:
    """An unsaved candidate registered per ``plan`` whose route, hours, travel distance and
    start date fit ``target`` (random within the allowed ranges when there is none)."""
    first, last = ctx.faker.first_name(), ctx.faker.last_name()
    if target:
        leerbaan, km = target
        route = ctx.rng.choices(leerbaan.routes(), [ROUTE_WEIGHTS[r] for r in leerbaan.routes()])[0]
        shift = 0 if plan.good_fit else ctx.rng.choice((0, 0, 0, -4, 4))
        hours = max(16, min(40, leerbaan.hours_per_week + shift))
        travel = max(10, min(40, math.ceil(km) + ctx.rng.randint(3, 15)))
        latest = max(0, (leerbaan.start_date - ctx.today).days - 7)
        sector = sector_of[leerbaan.leerbedrijf_id]
    else:
        route = ctx.rng.choices(list(ROUTE_WEIGHTS), list(ROUTE_WEIGHTS.values()))[0]
        hours, travel, latest = ctx.rng.choice((16, 24, 32, 36)), ctx.rng.randint(10, 40), 120
        sector = ctx.rng.choice(SECTORS).key
    return Candidate(
        organisation=plan.organisation,
        consultant=plan.consultant,
        first_name=first,
        last_name=last,
        bsn=bsn,
        email=f"{demo_slug(first)}.{demo_slug(last)}@mail.demo.example",
        phone=f"06-{ctx.rng.randint(10_000_000, 99_999_999)}",
        postcode=plan.home,
        route=route,
        max_travel_km=travel,
        hours_per_week=hours,
        earliest_start_date=ctx.days_from_today(0, latest),
        work_experience=experience_text(ctx, sector),
        earlier_education=ctx.rng.choice(EARLIER_EDUCATION),
        consent_given_at=consent_moment(ctx, always=plan.good_fit),
        **birth(ctx, plan, f"{first} {last}"),
        is_demo=True,
    )


def birth(ctx: DemoContext, plan: Registration, name: str) -> dict:
    """A birth date (18–58 years before ``ctx.today``) and a birth place (a gemeente of the
    region, or one of a few places abroad), drawn from the name and seed, not from ``ctx.rng``,
    so that the rest of the demo stays as it was."""
    rng = random.Random(f"birth:{ctx.seed}:{name}:{plan.home.pc4}")
    born = ctx.today - dt.timedelta(days=rng.randint(18 * 365, 58 * 365))
    places = [g.naam for g in ctx.gemeenten] + ["Paramaribo", "Istanbul", "Damascus"]
    return {"birth_date": born, "birth_place": rng.choice(places)}


def experience_text(ctx: DemoContext, sector_key: str) -> str:
    """One or two Dutch sentences of work experience, mostly from ``sector_key``'s pool."""
    sector = next(s for s in SECTORS if s.key == sector_key)
    lines = [ctx.rng.choice(sector.experience)]
    if ctx.rng.random() < 0.5:
        lines.append(ctx.rng.choice(GENERAL_EXPERIENCE))
    return " ".join(lines)


def consent_moment(ctx: DemoContext, *, always: bool) -> dt.datetime | None:
    """When the candidate consented: an office hour 1–60 days before the reference date, or
    None for about one in ten (never for the demo accounts' candidates)."""
    if not always and ctx.rng.random() < 0.1:
        return None
    day = ctx.days_from_today(-60, -1)
    moment = dt.datetime.combine(day, dt.time(ctx.rng.randint(9, 16), ctx.rng.choice((0, 30))))
    return timezone.make_aware(moment)


def wishes_pick(
    ctx: DemoContext, target: Leerbaan | None, pools: dict[str, list[Kwalificatie]]
) -> tuple[list[Kwalificatie], list[int]]:
    """(wished kwalificaties, wished dossier ids): the target's kwalificatie, its dossier, or
    both; a random kwalificatie of a random sector without a target."""
    kwalificatie = (
        target.kwalificatie if target else ctx.rng.choice(ctx.rng.choice(list(pools.values())))
    )
    mode = ctx.rng.choices(("kwalificatie", "dossier", "beide"), weights=(55, 25, 20))[0]
    if not kwalificatie.dossier_id:
        mode = "kwalificatie"
    kwalificaties = [] if mode == "dossier" else [kwalificatie]
    dossiers = [] if mode == "kwalificatie" else [kwalificatie.dossier_id]
    return kwalificaties, dossiers


def candidates_create(
    ctx: DemoContext,
    plans: list[Registration],
    leerbanen: list[Leerbaan],
    pools: dict[str, list[Kwalificatie]],
    sector_of: dict[int, str],
    favourites: set[int],
) -> list[Candidate]:
    """Create one candidate per plan with its wishes (status aangemeld until
    ``candidates_settle``); returns them in plan order."""
    open_leerbanen = [lb for lb in leerbanen if lb.status == LeerbaanStatus.GEPUBLICEERD]
    used_bsn: set[str] = set()
    candidates, wishes = [], []
    for plan in plans:
        target = target_pick(ctx, plan, open_leerbanen, favourites)
        candidates.append(candidate_build(ctx, plan, target, bsn_draw(ctx, used_bsn), sector_of))
        wishes.append(wishes_pick(ctx, target[0] if target else None, pools))
    Candidate.objects.bulk_create(candidates)
    wishes_save(candidates, wishes)
    ctx.counts["kandidaten"] += len(candidates)
    return candidates


def wishes_save(candidates: list[Candidate], wishes: list[tuple[list, list[int]]]) -> None:
    """Store the wished kwalificaties and dossiers of saved ``candidates`` in bulk."""
    kwal_through = Candidate.wished_kwalificaties.through
    dossier_through = Candidate.wished_dossiers.through
    kwal_through.objects.bulk_create(
        kwal_through(candidate_id=c.pk, kwalificatie_id=k.pk)
        for c, (ks, _) in zip(candidates, wishes, strict=True)
        for k in ks
    )
    dossier_through.objects.bulk_create(
        dossier_through(candidate_id=c.pk, kwalificatiedossier_id=d)
        for c, (_, ds) in zip(candidates, wishes, strict=True)
        for d in ds
    )


def registered_moment(ctx: DemoContext, consent: dt.datetime | None) -> dt.datetime:
    """When the candidate was registered: minutes before the consent (in the same intake) or
    1–10 days before it; for a candidate without consent an office hour 1–60 days ago."""
    if consent is None:
        return ctx.office_moment(ctx.days_from_today(-60, -1))
    if ctx.rng.random() < 0.6:
        return consent - dt.timedelta(minutes=ctx.rng.randint(2, 45))
    return ctx.office_moment(consent.date() - dt.timedelta(days=ctx.rng.randint(1, 10)))


def candidate_story(ctx: DemoContext, candidate: Candidate) -> CandidateStory:
    """The history of a saved candidate so far: registered by its consultant, activated at the
    moment of its consent (if any)."""
    consultant = Actor(user=candidate.consultant, organisation=candidate.organisation)
    consent = candidate.consent_given_at
    steps = [Step("register", C.AANGEMELD, registered_moment(ctx, consent), consultant)]
    if consent is not None:
        steps.append(Step("activate", C.ACTIEF, consent, consultant))
    return CandidateStory(candidate, consultant, steps)


def deregistrations_add(ctx: DemoContext, stories: list[CandidateStory], keep: set[int]) -> None:
    """Afmelden about one in twelve candidates without voordrachten, except those in ``keep``
    (candidate ids: the demo accounts' own), with a reason, between their last step and the
    reference date."""
    for story in stories:
        if story.voordrachten or story.candidate.pk in keep:
            continue
        if ctx.rng.random() < AFGEMELD_SHARE:
            reason = ctx.rng.choice(AFGEMELD_REASONS)
            at = ctx.moment_between(story.steps[-1].at, ctx.horizon)
            story.steps.append(
                Step("deregister", C.AFGEMELD, at, story.consultant, reason_code=reason)
            )


def candidates_settle(ctx: DemoContext, stories: list[CandidateStory]) -> None:
    """Store every candidate's final status (the last step of its history; ``end_reason`` for
    an afgemeld one), in one update per distinct pair; write the histories; set
    ``created_at`` to the registration."""
    groups: dict[tuple[str, str], list[int]] = {}
    for story in stories:
        reason = story.steps[-1].reason_code if story.status == C.AFGEMELD else ""
        groups.setdefault((story.status, reason), []).append(story.candidate.pk)
        ctx.counts[f"kandidaten {story.status}"] += 1
    for (status, reason), ids in sorted(groups.items()):
        Candidate.objects.filter(pk__in=ids).update(status=status, end_reason=reason)
    ctx.counts["overgangen"] += logs_create(
        CandidateTransition, "candidate", ((s.candidate, s.steps) for s in stories)
    )
    stamps_save(Candidate, [(s.candidate, {"created_at": s.steps[0].at}) for s in stories])
