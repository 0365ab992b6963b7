"""Demo organisations and users: the region's gemeenten, its UWV office, mbo-instellingen and
beheer."""

from opleidingen.models import MboInstelling
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.demo.context import DemoContext, demo_slug

# The mbo-instellingen of Midden-Utrecht, used first when the reference data has them:
# ROC Midden Nederland, MBO Utrecht, Grafisch Lyceum Utrecht.
PREFERRED_BRINS = ("25LH", "30RN", "23KG")
MIN_SCHOOLS = 2


def organisation_create(ctx: DemoContext, *, name: str, kind: str, **fields) -> Organisation:
    """A demo organisation (``is_demo``) of ``kind`` (``OrganisationKind``)."""
    ctx.counts["organisaties"] += 1
    return Organisation.objects.create(name=name, kind=kind, is_demo=True, **fields)


def consultant_orgs_create(ctx: DemoContext) -> list[Organisation]:
    """One gemeente organisation per gemeente of the region, then the region's UWV office."""
    orgs = [
        organisation_create(
            ctx,
            name=f"Gemeente {g.naam}",
            kind=OrganisationKind.GEMEENTE,
            gemeente=g,
            email=f"werkgeversservice@{demo_slug(g.naam)}.demo.example",
        )
        for g in ctx.gemeenten
    ]
    orgs.append(
        organisation_create(
            ctx,
            name=f"UWV {ctx.region.naam}",
            kind=OrganisationKind.UWV,
            arbeidsmarktregio=ctx.region,
            email=f"werkgeversservicepunt@uwv-{demo_slug(ctx.region.naam)}.demo.example",
        )
    )
    return orgs


def beheer_org_create(ctx: DemoContext) -> Organisation:
    """The beheer (functional management) organisation of the demo."""
    return organisation_create(
        ctx,
        name="Functioneel beheer Praktijkleren",
        kind=OrganisationKind.BEHEER,
        email="beheer@praktijkleren.demo.example",
    )


def schools_pick() -> list[MboInstelling]:
    """The region's mbo-instellingen from the imported list: those of ``PREFERRED_BRINS`` that
    are present, topped up to ``MIN_SCHOOLS`` by BRIN order. Instellingen already linked to a
    real organisation are left alone. Raises ``LookupError`` when none is available."""
    free = MboInstelling.objects.filter(organisation__isnull=True).order_by("brin")
    by_brin = {i.brin: i for i in free}
    schools = [by_brin[b] for b in PREFERRED_BRINS if b in by_brin]
    schools += [i for i in free if i not in schools][: max(0, MIN_SCHOOLS - len(schools))]
    if not schools:
        raise LookupError("Er zijn geen mbo-instellingen geladen (load_reference).")
    return schools


def school_orgs_create(ctx: DemoContext) -> list[MboInstelling]:
    """Link each picked mbo-instelling to a new demo school organisation; the first is the
    demo account's school."""
    schools = schools_pick()
    for school in schools:
        school.organisation = organisation_create(
            ctx,
            name=school.naam,
            kind=OrganisationKind.MBO_INSTELLING,
            email=f"inschrijvingen@{demo_slug(school.naam)}.demo.example",
        )
        school.save(update_fields=["organisation"])
    return schools


def user_create(ctx: DemoContext, *, username: str, organisation: Organisation | None, **extra):
    """A demo user (``is_demo``) with the run's password and a Faker nl_NL name."""
    first, last = ctx.faker.first_name(), ctx.faker.last_name()
    domain = demo_slug(organisation.name if organisation else "praktijkleren")
    ctx.counts["gebruikers"] += 1
    return User.objects.create(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{demo_slug(first)}.{demo_slug(last)}@{domain}.demo.example",
        organisation=organisation,
        password=ctx.password_hash,
        is_demo=True,
        **extra,
    )


def consultants_create(ctx: DemoContext, orgs: list[Organisation]) -> dict[int, list[User]]:
    """1–3 demo consultants per gemeente/UWV organisation, keyed by organisation id."""
    consultants: dict[int, list[User]] = {}
    for org in orgs:
        slug = demo_slug(org.name.removeprefix("Gemeente "))
        consultants[org.pk] = [
            user_create(ctx, username=f"consulent-{slug}-{n}", organisation=org)
            for n in range(1, ctx.rng.randint(1, 3) + 1)
        ]
    return consultants
