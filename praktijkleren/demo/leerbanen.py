"""Demo leerbanen for the erkenningen of the demo werkgevers with their history so far, and the
schools' demo opleidingsaanbod for the kwalificaties those leerbanen use."""

import datetime as dt
import random
from dataclasses import dataclass, field

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan, LeerbaanTransition
from opleidingen.constants import Leerweg
from opleidingen.models import MboInstelling, MboLocatie, Opleidingsaanbod, StartMoment
from praktijkleren.demo.context import DemoContext
from praktijkleren.demo.history import Actor, Step, logs_create, stamps_save
from praktijkleren.demo.leerbedrijven import DemoWerkgever
from praktijkleren.demo.texts import LEERBAAN_OUTRO, TITLE_PATTERNS

# Start dates lie 5 weeks to 9 months after the reference date (snapped back to a Monday).
START_MIN_DAYS, START_MAX_DAYS = 36, 270
HOURS = (16, 20, 24, 24, 28, 32, 32, 32, 36, 36, 38, 40)
# Schools that offer only some sectors (Grafisch Lyceum Utrecht: ICT and media).
SCHOOL_SECTORS = {"23KG": ("ict",)}
# Share of the erkend kwalificaties that no demo school offers in BBL: their enrolments are
# the consultants' to-dos.
UNOFFERED_SHARE = 0.1
# A leerbaan was made 25–90 days before the reference date and published within 3 days.
MADE_DAYS_AGO = (25, 90)
PUBLISH_WITHIN = dt.timedelta(days=3)
# Demo aanbod starts on 1 February and 1 September (the next three of those dates) and is given
# at one or two of the school's real locations (KiesMBO 2025), with 8–24 places per start.
START_DAYS = ((2, 1), (9, 1))
STARTS, CAPACITY = 3, (8, 24)
S = LeerbaanStatus


@dataclass
class LeerbaanStory:
    """A saved demo leerbaan with what happened to it: ``werkgever`` acts for its leerbedrijf,
    ``steps`` its history, ``published_at`` (None for a concept) bounds the voordrachten,
    ``taken`` counts its accepted voordrachten, ``filled_at`` the moment the last place was
    taken (vervuld) and ``filled_by`` who took it."""

    leerbaan: Leerbaan
    werkgever: Actor
    steps: list[Step] = field(default_factory=list)
    published_at: dt.datetime | None = None
    taken: int = 0
    filled_at: dt.datetime | None = None
    filled_by: Actor | None = None

    @property
    def has_place(self) -> bool:
        """A place is left for one more acceptance."""
        return self.taken < self.leerbaan.places

    def status(self) -> str:
        """The final status: vervuld when every place is taken, else as it was built."""
        return S.VERVULD if self.filled_at else self.leerbaan.status


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
    """An unsaved leerbaan for ``erkenning`` starting on ``start`` (gepubliceerd for the demo
    account's werkgever; otherwise mostly gepubliceerd, some concept or gesloten)."""
    statuses = (S.GEPUBLICEERD, S.CONCEPT, S.GESLOTEN)
    status = statuses[0]
    if not werkgever.is_demo_account:
        status = ctx.rng.choices(statuses, weights=(78, 12, 10))[0]
    closing = start - dt.timedelta(days=ctx.rng.randint(14, 28))
    if status == S.GESLOTEN:
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
    first school offers all, the others about half (within their sectors), except one in ten
    kwalificaties that no school offers (``UNOFFERED_SHARE``). Existing aanbod is kept as it
    is."""
    sector_of = {e.kwalificatie_id: w.sector.key for w in werkgevers for e in w.erkenningen}
    unoffered = {k for k in sorted(sector_of) if ctx.rng.random() < UNOFFERED_SHARE}
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
            offered = offered and kwalificatie_id not in unoffered
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
    aanbod_details_create(ctx, schools)


def next_start_dates(today: dt.date, n: int = STARTS) -> list[dt.date]:
    """The first ``n`` of 1 February and 1 September after ``today``, in order."""
    dates = [
        dt.date(year, month, day)
        for year in (today.year, today.year + 1, today.year + 2)
        for month, day in START_DAYS
    ]
    return [d for d in dates if d > today][:n]


def aanbod_details_create(ctx: DemoContext, schools: list[MboInstelling]) -> None:
    """Locations and start moments for the schools' demo aanbod that has neither yet: one or
    two of the school's real locations (its hoofdlocatie first) and the next ``STARTS`` start
    dates, 8–24 places each. Uses its own random stream (seeded by the run's seed and the
    aanbod's BRIN, crebo and leerweg), so the rest of the demo does not change with it."""
    locaties: dict[int, list[MboLocatie]] = {}
    for loc in MboLocatie.objects.filter(instelling__in=schools).order_by(
        "-is_hoofdlocatie", "brinvest"
    ):
        locaties.setdefault(loc.instelling_id, []).append(loc)
    bare = (
        Opleidingsaanbod.objects.filter(
            instelling__in=schools, is_demo=True, locaties__isnull=True, startmomenten__isnull=True
        )
        .select_related("instelling", "kwalificatie")
        .order_by("pk")
    )
    through = Opleidingsaanbod.locaties.through
    links, moments = [], []
    dates = next_start_dates(ctx.today)
    for aanbod in bare:
        rng = random.Random(f"demo-aanbod:{ctx.seed}:{aanbod}")
        own = locaties.get(aanbod.instelling_id, [])
        chosen = own[:1] + rng.sample(own[1:], k=min(len(own) - 1, rng.randint(0, 1)))
        links += [through(opleidingsaanbod_id=aanbod.pk, mbolocatie_id=loc.pk) for loc in chosen]
        moments += [
            StartMoment(aanbod=aanbod, start_date=date, capacity=rng.randint(*CAPACITY))
            for date in dates
        ]
    through.objects.bulk_create(links)
    StartMoment.objects.bulk_create(moments)
    ctx.counts["locaties bij opleidingsaanbod"] += len(links)
    ctx.counts["startmomenten"] += len(moments)


def leerbaan_story(ctx: DemoContext, leerbaan: Leerbaan) -> LeerbaanStory:
    """The history of a saved leerbaan up to its built status: made by its werkgever 25–90
    days ago; published within 3 days (unless concept); gesloten ones closed on their closing
    date."""
    werkgever = ctx.actor(leerbaan.leerbedrijf.organisation)
    made = ctx.office_moment(ctx.today - dt.timedelta(days=ctx.rng.randint(*MADE_DAYS_AGO)))
    story = LeerbaanStory(leerbaan, werkgever, [Step("make", S.CONCEPT, made, werkgever)])
    if leerbaan.status == S.CONCEPT:
        return story
    story.published_at = ctx.moment_between(made, made + PUBLISH_WITHIN)
    story.steps.append(Step("publish", S.GEPUBLICEERD, story.published_at, werkgever))
    if leerbaan.status == S.GESLOTEN:
        closed = max(ctx.office_moment(leerbaan.closing_date), story.published_at)
        story.steps.append(Step("close", S.GESLOTEN, closed, werkgever))
    return story


def leerbaan_stories(ctx: DemoContext, leerbanen: list[Leerbaan]) -> dict[int, LeerbaanStory]:
    """``leerbaan_story`` for every saved leerbaan, by leerbaan id."""
    return {lb.pk: leerbaan_story(ctx, lb) for lb in leerbanen}


def leerbanen_settle(ctx: DemoContext, stories: dict[int, LeerbaanStory]) -> None:
    """Store what the voordrachten did to the leerbanen: ``places_taken`` (= their aangenomen
    voordrachten) and vervuld for a full one (one update per distinct pair), the history with
    the fill (by whoever took the last place), and ``created_at`` = the moment it was made."""
    groups: dict[tuple[int, str], list[int]] = {}
    for story in stories.values():
        if story.taken:
            groups.setdefault((story.taken, story.status()), []).append(story.leerbaan.pk)
        if story.filled_at:
            story.steps.append(Step("fill", S.VERVULD, story.filled_at, story.filled_by))
        ctx.counts[f"leerbanen {story.status()}"] += 1
    for (taken, status), ids in sorted(groups.items()):
        Leerbaan.objects.filter(pk__in=ids).update(places_taken=taken, status=status)
    ordered = list(stories.values())
    ctx.counts["overgangen"] += logs_create(
        LeerbaanTransition, "leerbaan", ((s.leerbaan, s.steps) for s in ordered)
    )
    stamps_save(Leerbaan, [(s.leerbaan, {"created_at": s.steps[0].at}) for s in ordered])
