"""Demo leerbanen for the erkenningen of the demo werkgevers, and the schools' demo
opleidingsaanbod for the kwalificaties those leerbanen use."""

import datetime as dt

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan
from opleidingen.constants import Leerweg
from opleidingen.models import MboInstelling, Opleidingsaanbod
from praktijkleren.demo.context import DemoContext
from praktijkleren.demo.leerbedrijven import DemoWerkgever
from praktijkleren.demo.texts import LEERBAAN_OUTRO, TITLE_PATTERNS

# Start dates lie 5 weeks to 9 months after the reference date (snapped back to a Monday).
START_MIN_DAYS, START_MAX_DAYS = 36, 270
HOURS = (16, 20, 24, 24, 28, 32, 32, 32, 36, 36, 38, 40)
# Schools that offer only some sectors (Grafisch Lyceum Utrecht: ICT and media).
SCHOOL_SECTORS = {"23KG": ("ict",)}


def start_date_pick(ctx: DemoContext, erkenning: Erkenning) -> dt.date | None:
    """A Monday within the start window on which ``erkenning`` is still valid, or None when
    it expires too soon."""
    last = START_MAX_DAYS
    if erkenning.geldig_tot:
        last = min(last, (erkenning.geldig_tot - ctx.today).days)
    if last < START_MIN_DAYS:
        return None
    start = ctx.days_from_today(START_MIN_DAYS, last)
    return start - dt.timedelta(days=start.weekday())


def routes_pick(ctx: DemoContext) -> dict[str, bool]:
    """The ``supports_*`` flags: diploma mostly, praktijkverklaring often, certificaat
    sometimes; at least one."""
    flags = {
        "supports_diploma": ctx.rng.random() < 0.9,
        "supports_praktijkverklaring": ctx.rng.random() < 0.65,
        "supports_certificaat": ctx.rng.random() < 0.25,
    }
    if not any(flags.values()):
        flags["supports_diploma"] = True
    return flags


def leerbaan_build(
    ctx: DemoContext, werkgever: DemoWerkgever, erkenning: Erkenning, start: dt.date
) -> Leerbaan:
    """An unsaved leerbaan for ``erkenning`` starting on ``start`` (open for the demo
    account's werkgever; otherwise mostly open, some concept or gesloten)."""
    statuses = (LeerbaanStatus.OPEN, LeerbaanStatus.CONCEPT, LeerbaanStatus.GESLOTEN)
    status = statuses[0]
    if not werkgever.is_demo_account:
        status = ctx.rng.choices(statuses, weights=(78, 12, 10))[0]
    closing = start - dt.timedelta(days=ctx.rng.randint(14, 28))
    if status == LeerbaanStatus.GESLOTEN:
        closing = ctx.days_from_today(-20, -1)
    vestiging = ctx.rng.choice(werkgever.vestigingen)
    hours = ctx.rng.choice(HOURS)
    naam = erkenning.kwalificatie.naam
    plaats = vestiging.postcode.woonplaats or vestiging.postcode.gemeente.naam
    outro = LEERBAAN_OUTRO.format(hours=hours, bedrijf=werkgever.leerbedrijf.naam, plaats=plaats)
    return Leerbaan(
        leerbedrijf=werkgever.leerbedrijf,
        vestiging=vestiging,
        kwalificatie=erkenning.kwalificatie,
        titel=ctx.rng.choice(TITLE_PATTERNS).format(k=naam)[:200],
        omschrijving=f"{ctx.rng.choice(werkgever.sector.intro)} {outro}",
        hours_per_week=hours,
        places=ctx.rng.choices((1, 2, 3), weights=(55, 30, 15))[0],
        start_date=start,
        closing_date=closing,
        status=status,
        is_demo=True,
        **routes_pick(ctx),
    )


def werkprocessen_pick(ctx: DemoContext, leerbaan: Leerbaan, available: list[int]) -> list[int]:
    """All werkprocessen of the kwalificatie for a diploma leerbaan; otherwise a tailored
    half or more of them (kept in code order)."""
    if leerbaan.supports_diploma or len(available) < 2:
        return available
    keep = ctx.rng.randint((len(available) + 1) // 2, len(available))
    chosen = set(ctx.rng.sample(available, keep))
    return [wp for wp in available if wp in chosen]


def leerbanen_create(
    ctx: DemoContext, werkgevers: list[DemoWerkgever], werkprocessen: dict[int, list[int]]
) -> list[Leerbaan]:
    """0–3 leerbanen per erkenning (2 for the demo account's werkgever), each starting while
    its erkenning is valid, with the kwalificatie's werkprocessen where imported."""
    leerbanen: list[Leerbaan] = []
    for werkgever in werkgevers:
        for erkenning in werkgever.erkenningen:
            n = 2 if werkgever.is_demo_account else ctx.rng.choices(range(4), (10, 50, 30, 10))[0]
            starts = [start_date_pick(ctx, erkenning) for _ in range(n)]
            leerbanen += [leerbaan_build(ctx, werkgever, erkenning, s) for s in starts if s]
    Leerbaan.objects.bulk_create(leerbanen)
    through = Leerbaan.werkprocessen.through
    links = [
        through(leerbaan_id=lb.pk, werkproces_id=wp)
        for lb in leerbanen
        for wp in werkprocessen_pick(ctx, lb, werkprocessen.get(lb.kwalificatie_id, []))
    ]
    through.objects.bulk_create(links)
    ctx.counts["leerbanen"] += len(leerbanen)
    ctx.counts["werkprocessen bij leerbanen"] += len(links)
    return leerbanen


def aanbod_create(
    ctx: DemoContext, schools: list[MboInstelling], werkgevers: list[DemoWerkgever]
) -> None:
    """BBL opleidingsaanbod (``is_demo``) for every kwalificatie a werkgever is erkend for: the
    first school offers all, the others about half (within their sectors). Existing aanbod is
    kept as it is."""
    sector_of = {e.kwalificatie_id: w.sector.key for w in werkgevers for e in w.erkenningen}
    existing = set(
        Opleidingsaanbod.objects.filter(instelling__in=schools, leerweg=Leerweg.BBL).values_list(
            "instelling_id", "kwalificatie_id"
        )
    )
    rows = []
    for i, school in enumerate(schools):
        sectors = SCHOOL_SECTORS.get(school.brin)
        for kwalificatie_id, sector in sorted(sector_of.items()):
            offered = i == 0 or ((sectors is None or sector in sectors) and ctx.rng.random() < 0.5)
            if offered and (school.pk, kwalificatie_id) not in existing:
                rows.append(
                    Opleidingsaanbod(
                        instelling=school,
                        kwalificatie_id=kwalificatie_id,
                        leerweg=Leerweg.BBL,
                        is_demo=True,
                    )
                )
    Opleidingsaanbod.objects.bulk_create(rows)
    ctx.counts["opleidingsaanbod"] += len(rows)
