"""Demo werkgevers: each a werkgever organisation owning one erkend leerbedrijf with
vestigingen at real PC4s of the region, erkenningen for real current BBL kwalificaties of its
sector, and leerbanen for those."""

import datetime as dt
from dataclasses import dataclass, field

from leerbedrijven.models import Erkenning, Leerbedrijf, Vestiging
from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie
from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.demo.context import DemoContext, demo_slug
from praktijkleren.demo.orgs import organisation_create
from praktijkleren.demo.texts import FRAGMENTS, SECTORS, Sector
from praktijkleren.geo.models import Gemeente

WERKGEVERS_PER_GEMEENTE = 3
MIN_WERKGEVERS, MAX_WERKGEVERS = 6, 45
# Weight of a kwalificatie with imported werkprocessen against one without.
WERKPROCES_WEIGHT = 6


@dataclass
class DemoWerkgever:
    """A generated leerbedrijf with its sector, vestigingen and erkenningen (BBL)."""

    leerbedrijf: Leerbedrijf
    sector: Sector
    vestigingen: list[Vestiging]
    erkenningen: list[Erkenning] = field(default_factory=list)
    is_demo_account: bool = False


def werkgever_count(ctx: DemoContext) -> int:
    """How many werkgevers the region gets: 3 per gemeente, between 6 and 45."""
    return max(MIN_WERKGEVERS, min(MAX_WERKGEVERS, WERKGEVERS_PER_GEMEENTE * len(ctx.gemeenten)))


def company_name(ctx: DemoContext, sector: Sector, used: set[str]) -> str:
    """An invented, unused company name in the style of ``sector``."""
    for _ in range(50):
        pattern = ctx.rng.choice(sector.company_patterns)
        name = pattern.format(f=ctx.rng.choice(FRAGMENTS), n=ctx.faker.last_name())
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("Geen vrije bedrijfsnaam gevonden.")  # pragma: no cover


def numbers_draw(ctx: DemoContext, count: int, *, prefix: str, digits: int) -> list[str]:
    """``count`` distinct numbers of ``len(prefix) + digits`` digits starting with ``prefix``:
    KvK-nummers (8 digits) and vestigingsnummers (12) from a range SBB/KvK do not hand out."""
    return [f"{prefix}{n:0{digits}d}" for n in ctx.rng.sample(range(10**digits), count)]


def werkgever_create(
    ctx: DemoContext,
    *,
    sector: Sector,
    kvk: str,
    vestigingsnummers: list[str],
    home: Gemeente,
    used_names: set[str],
) -> DemoWerkgever:
    """A werkgever organisation with its leerbedrijf and 1–2 vestigingen (the first in
    ``home``, a second one elsewhere in the region)."""
    naam = company_name(ctx, sector, used_names)
    slug = demo_slug(naam)
    org = organisation_create(
        ctx, name=naam, kind=OrganisationKind.WERKGEVER, email=f"hr@{slug}.demo.example"
    )
    leerbedrijf = Leerbedrijf.objects.create(
        organisation=org,
        naam=naam,
        kvk_nummer=kvk,
        sbb_leerbedrijf_id=f"9{kvk}",  # 999xxxxxx: a demo range, like the KvK-nummer
        website=f"https://www.{slug}.demo.example",
        is_demo=True,
    )
    gemeenten = [home] + ([ctx.gemeente_by_size()] if ctx.rng.random() < 0.25 else [])
    vestigingen = [
        vestiging_create(ctx, leerbedrijf=leerbedrijf, nummer=nummer, gemeente=gemeente)
        for nummer, gemeente in zip(vestigingsnummers, gemeenten, strict=False)
    ]
    ctx.counts["leerbedrijven"] += 1
    return DemoWerkgever(leerbedrijf=leerbedrijf, sector=sector, vestigingen=vestigingen)


def vestiging_create(
    ctx: DemoContext, *, leerbedrijf: Leerbedrijf, nummer: str, gemeente: Gemeente
) -> Vestiging:
    """A vestiging at a real PC4 of ``gemeente`` with an invented street address."""
    postcode = ctx.postcode_in(gemeente)
    ctx.counts["vestigingen"] += 1
    return Vestiging.objects.create(
        leerbedrijf=leerbedrijf,
        vestigingsnummer=nummer,
        naam=f"{leerbedrijf.naam} {postcode.woonplaats or gemeente.naam}",
        straat=f"{ctx.faker.street_name()} {ctx.rng.randint(1, 180)}",
        postcode=postcode,
    )


def kwalificaties_pick(
    ctx: DemoContext, pool: list[Kwalificatie], count: int, with_wp: set[int]
) -> list[Kwalificatie]:
    """``count`` distinct kwalificaties from ``pool`` (fewer if it is small), preferring those
    with werkprocessen, then ones of the first pick's dossier."""
    picked: list[Kwalificatie] = []
    while len(picked) < min(count, len(pool)):
        rest = [k for k in pool if k not in picked]
        same = [k for k in rest if picked and k.dossier_id == picked[0].dossier_id]
        options = same if same and ctx.rng.random() < 0.6 else rest
        weights = [WERKPROCES_WEIGHT if k.pk in with_wp else 1 for k in options]
        picked.append(ctx.rng.choices(options, weights=weights)[0])
    return picked


def erkenning_period(ctx: DemoContext, *, open_ended: bool) -> tuple[dt.date, dt.date | None]:
    """(geldig_van, geldig_tot): from 3 months to 10 years ago; open-ended, valid 1–5 more
    years, or (about one in seven) expiring in 45–150 days."""
    van = ctx.days_from_today(-3650, -90)
    if open_ended:
        return van, None
    kind = ctx.rng.choices(("open", "long", "expiring"), weights=(45, 40, 15))[0]
    if kind == "open":
        return van, None
    if kind == "long":
        return van, ctx.days_from_today(365, 1825)
    return van, ctx.days_from_today(45, 150)


def erkenningen_create(
    ctx: DemoContext, werkgever: DemoWerkgever, kwalificaties: list[Kwalificatie]
) -> None:
    """A BBL erkenning per kwalificatie for ``werkgever`` (open-ended for the demo account's)."""
    for kwalificatie in kwalificaties:
        van, tot = erkenning_period(ctx, open_ended=werkgever.is_demo_account)
        werkgever.erkenningen.append(
            Erkenning.objects.create(
                leerbedrijf=werkgever.leerbedrijf,
                kwalificatie=kwalificatie,
                leerweg=Leerweg.BBL,
                geldig_van=van,
                geldig_tot=tot,
            )
        )
        ctx.counts["erkenningen"] += 1


def erkenningen_extend(
    ctx: DemoContext, werkgevers: list[DemoWerkgever], werkprocessen: dict[int, list[int]]
) -> None:
    """What the erkenningen import and its flags show in the demo: two of every three
    erkenningen whose kwalificatie has imported werkprocessen cover all of them (the third:
    not known), and the demo account's werkgever also holds a BOL erkenning for its first
    kwalificatie that ends in 60 days (flagged on its erkenningen page; leerbanen are BBL, so
    none depends on it). Deterministic without drawing from ``ctx.rng``."""
    through = Erkenning.werkprocessen.through
    links = []
    erkenningen = [e for w in werkgevers for e in w.erkenningen]
    for i, erkenning in enumerate(erkenningen):
        if i % 3 != 2:
            links += [
                through(erkenning_id=erkenning.pk, werkproces_id=wp)
                for wp in werkprocessen.get(erkenning.kwalificatie_id, [])
            ]
    through.objects.bulk_create(links)
    ctx.counts["werkprocessen bij erkenningen"] += len(links)
    demo_account = next((w for w in werkgevers if w.is_demo_account), None)
    if demo_account is not None and demo_account.erkenningen:
        first = demo_account.erkenningen[0]
        Erkenning.objects.create(
            leerbedrijf=first.leerbedrijf,
            kwalificatie=first.kwalificatie,
            leerweg=Leerweg.BOL,
            geldig_van=first.geldig_van,
            geldig_tot=ctx.today + dt.timedelta(days=60),
        )
        ctx.counts["erkenningen"] += 1


def werkgevers_create(
    ctx: DemoContext, pools: dict[str, list[Kwalificatie]], with_wp: set[int]
) -> list[DemoWerkgever]:
    """The region's werkgevers. The first is the demo account's: in the largest gemeente,
    zorg (whose dossiers have werkprocessen) when available, erkend for 3 kwalificaties."""
    sectors = [s for s in SECTORS if s.key in pools]
    if not sectors:
        raise LookupError("Er zijn geen actuele BBL-kwalificaties geladen (load_reference).")
    count = werkgever_count(ctx)
    kvks = numbers_draw(ctx, count, prefix="99", digits=6)
    nummers = numbers_draw(ctx, 2 * count, prefix="9900", digits=8)
    used: set[str] = set()
    werkgevers = []
    for i in range(count):
        sector = sectors[0] if i == 0 else ctx.rng.choices(sectors, [s.weight for s in sectors])[0]
        home = ctx.main_gemeente if i == 0 else ctx.gemeente_by_size()
        werkgever = werkgever_create(
            ctx,
            sector=sector,
            kvk=kvks[i],
            vestigingsnummers=nummers[2 * i : 2 * i + 2],
            home=home,
            used_names=used,
        )
        werkgever.is_demo_account = i == 0
        n_kwal = 3 if i == 0 else ctx.rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        erkenningen_create(
            ctx, werkgever, kwalificaties_pick(ctx, pools[sector.key], n_kwal, with_wp)
        )
        werkgevers.append(werkgever)
    return werkgevers
