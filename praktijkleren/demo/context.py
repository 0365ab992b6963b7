"""The state one seeding run shares between its steps: seeded randomness, the reference date and
the region's reference data."""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from praktijkleren.accounts.models import Organisation, User
from praktijkleren.demo.history import Actor
from praktijkleren.geo.constants import CoordinateSource
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode


@dataclass
class DemoContext:
    """One run: ``rng`` and ``faker`` are seeded from ``seed``; ``today`` is the reference date
    every generated date and moment is relative to; ``postcodes`` maps a gemeente id to its PC4s
    (those with their own point first); ``logins`` maps an organisation id to its demo account
    (demo-werkgever, demo-school, ...); ``counts`` collects what was created, by label."""

    seed: int
    today: dt.date
    region: Arbeidsmarktregio
    gemeenten: list[Gemeente]
    postcodes: dict[int, list[Postcode]]
    password_hash: str
    rng: random.Random = field(init=False)
    faker: object = field(init=False)
    logins: dict[int, User] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self) -> None:
        from faker import Faker  # a dev dependency: the demo never runs in production

        self.rng = random.Random(f"praktijkleren-demo:{self.seed}")
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(self.seed)

    @property
    def main_gemeente(self) -> Gemeente:
        """The region's largest gemeente (most PC4s; Utrecht for AM13), home of the demo
        accounts' organisations."""
        return max(self.gemeenten, key=lambda g: (len(self.postcodes[g.pk]), -g.pk))

    def all_postcodes(self) -> list[Postcode]:
        """Every PC4 of the region, ordered by gemeente then PC4."""
        return [pc for g in self.gemeenten for pc in self.postcodes[g.pk]]

    def postcode_in(self, gemeente: Gemeente) -> Postcode:
        """A PC4 of ``gemeente``, preferring ones with their own point (``coordinate_source``
        pc4) over gemeente centroids."""
        pcs = self.postcodes[gemeente.pk]
        own = [pc for pc in pcs if pc.coordinate_source == CoordinateSource.PC4]
        return self.rng.choice(own or pcs)

    def gemeente_by_size(self) -> Gemeente:
        """A gemeente of the region, drawn with weight = its number of PC4s (a size proxy)."""
        weights = [len(self.postcodes[g.pk]) for g in self.gemeenten]
        return self.rng.choices(self.gemeenten, weights=weights)[0]

    def days_from_today(self, low: int, high: int) -> dt.date:
        """A date ``low``–``high`` days (inclusive) after ``today`` (negative: before)."""
        return self.today + dt.timedelta(days=self.rng.randint(low, high))

    @property
    def day_start(self) -> dt.datetime:
        """Midnight at the start of ``today`` in Europe/Amsterdam, as an aware UTC datetime:
        every generated moment lies before it."""
        local = timezone.make_aware(dt.datetime.combine(self.today, dt.time.min))
        return local.astimezone(dt.UTC)

    @property
    def horizon(self) -> dt.datetime:
        """One hour before ``day_start``: the latest moment anything generated happens."""
        return self.day_start - dt.timedelta(hours=1)

    def office_moment(self, day: dt.date) -> dt.datetime:
        """An aware UTC moment on ``day`` between 9:00 and 16:59 Amsterdam time, to the minute."""
        local = dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.randint(0, 59)))
        return timezone.make_aware(local).astimezone(dt.UTC)

    def moment_between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A moment strictly between ``start`` and ``end`` (aware), whole minutes after
        ``start``; one minute after ``start`` when the span is shorter than two minutes."""
        start = start.astimezone(dt.UTC)  # arithmetic in UTC: no daylight-saving jumps
        minutes = int((end - start).total_seconds() // 60)
        return start + dt.timedelta(minutes=self.rng.randint(1, max(1, minutes - 1)))

    def actor(self, organisation: Organisation) -> Actor:
        """Who acts for ``organisation`` in a transition log: its demo account if it has one
        (``logins``), else nobody in particular (``user`` None, the organisation named)."""
        return Actor(user=self.logins.get(organisation.pk), organisation=organisation)


def region_context(*, region_code: str, seed: int, today: dt.date, password_hash: str):
    """A ``DemoContext`` for arbeidsmarktregio ``region_code`` (e.g. ``"AM13"``).

    Only gemeenten with at least one PC4 take part. Raises ``LookupError`` when the region is
    unknown or has no gemeente with postcodes (reference data not loaded).
    """
    region = Arbeidsmarktregio.objects.filter(code=region_code).first()
    if region is None:
        raise LookupError(f"Arbeidsmarktregio {region_code} bestaat niet.")
    postcodes: dict[int, list[Postcode]] = {}
    for pc in Postcode.objects.filter(gemeente__arbeidsmarktregio=region).order_by("pc4"):
        postcodes.setdefault(pc.gemeente_id, []).append(pc)
    gemeenten = list(region.gemeenten.filter(pk__in=postcodes).order_by("code"))
    if not gemeenten:
        raise LookupError(f"Arbeidsmarktregio {region_code} heeft geen gemeenten met postcodes.")
    return DemoContext(
        seed=seed,
        today=today,
        region=region,
        gemeenten=gemeenten,
        postcodes=postcodes,
        password_hash=password_hash,
    )


def demo_slug(text: str) -> str:
    """A DNS-safe slug of ``text`` for demo e-mail domains (``werkgeversservice@<slug>...``)."""
    return slugify(text).replace("_", "-")[:50].strip("-") or "demo"
