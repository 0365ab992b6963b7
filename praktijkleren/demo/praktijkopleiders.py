"""The people of the demo leerbedrijven: full vestiging addresses, 1–2 contact persons and 1–3
praktijkopleiders each (with a capacity and the kwalificaties of its erkenningen), and a
fitting praktijkopleider on every demo leerbaan.

These draws use their own seeded randomness (``People``), so that adding them left the rest of
the region (names, leerbanen, candidates, voordrachten) as it was for the same seed.
"""

import random
from dataclasses import dataclass, field

import phonenumbers

from candidates.selectors import praktijkopleider_loads
from leerbedrijven.models import ContactPerson, Leerbaan, Praktijkopleider, Vestiging
from praktijkleren.demo.context import DemoContext, demo_slug
from praktijkleren.demo.leerbedrijven import DemoWerkgever

# Letters of Dutch postcodes: no F, I, O, Q, U or Y, and never SA, SD or SS.
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
FORBIDDEN_LETTERS = {"SA", "SD", "SS"}
FUNCTIES = (
    "HR-adviseur",
    "Opleidingscoördinator",
    "Vestigingsmanager",
    "Teamleider",
    "Recruiter",
    "Leermeester",
)
# How many praktijkopleiders a leerbedrijf has (1–3) and how many candidates each takes.
OPLEIDERS_WEIGHTS = {1: 45, 2: 40, 3: 15}
CAPACITY_WEIGHTS = {1: 30, 2: 40, 3: 20, 4: 10}


@dataclass
class People:
    """Seeded randomness for this step only: ``rng`` and an nl_NL ``faker``."""

    seed: int
    rng: random.Random = field(init=False)
    faker: object = field(init=False)

    def __post_init__(self) -> None:
        from faker import Faker  # a dev dependency: the demo never runs in production

        self.rng = random.Random(f"praktijkleren-demo-people:{self.seed}")
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(f"people:{self.seed}")


def postcode_letters(people: People) -> str:
    """Two letters a Dutch postcode may end in."""
    while True:
        letters = "".join(people.rng.choice(POSTCODE_LETTERS) for _ in range(2))
        if letters not in FORBIDDEN_LETTERS:
            return letters


def phone_number(people: People, *, mobile: bool) -> str:
    """A valid Dutch number in E.164: a mobile (06) or a Utrecht landline (030)."""
    while True:
        prefix = "+316" if mobile else "+3130"
        digits = 8 if mobile else 7
        number = prefix + "".join(str(people.rng.randint(0, 9)) for _ in range(digits))
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def _email(first: str, last: str, leerbedrijf_naam: str) -> str:
    local = demo_slug(f"{first} {last}").replace("-", ".")
    return f"{local}@{demo_slug(leerbedrijf_naam)}.demo.example"


def addresses_complete(people: People, werkgevers: list[DemoWerkgever]) -> None:
    """Give every demo vestiging its postcode letters and plaats (its PC4's woonplaats)."""
    vestigingen = [v for w in werkgevers for v in w.vestigingen]
    for vestiging in vestigingen:
        vestiging.postcode_letters = postcode_letters(people)
        vestiging.plaats = vestiging.postcode.woonplaats or vestiging.postcode.gemeente.naam
    Vestiging.objects.bulk_update(vestigingen, ["postcode_letters", "plaats"])


def contacts_create(ctx: DemoContext, people: People, werkgevers: list[DemoWerkgever]) -> None:
    """1–2 contact persons per demo leerbedrijf."""
    rows = []
    for werkgever in werkgevers:
        for _ in range(people.rng.choice((1, 1, 2))):
            first, last = people.faker.first_name(), people.faker.last_name()
            rows.append(
                ContactPerson(
                    leerbedrijf=werkgever.leerbedrijf,
                    naam=f"{first} {last}",
                    functie=people.rng.choice(FUNCTIES),
                    email=_email(first, last, werkgever.leerbedrijf.naam),
                    telefoon=phone_number(people, mobile=people.rng.random() < 0.5),
                )
            )
    ContactPerson.objects.bulk_create(rows)
    ctx.counts["contactpersonen"] += len(rows)


def praktijkopleiders_create(
    ctx: DemoContext, people: People, werkgevers: list[DemoWerkgever]
) -> dict[int, list[Praktijkopleider]]:
    """1–3 praktijkopleiders per demo leerbedrijf, spread over its vestigingen, each with 1–4
    places and some of the kwalificaties of its erkenningen (together all of them). Returns
    them by leerbedrijf id."""
    found: dict[int, list[Praktijkopleider]] = {}
    for werkgever in werkgevers:
        kwalificaties = [e.kwalificatie for e in werkgever.erkenningen]
        count = people.rng.choices(list(OPLEIDERS_WEIGHTS), list(OPLEIDERS_WEIGHTS.values()))[0]
        count = min(count, max(1, len(kwalificaties)))
        opleiders = []
        for i in range(count):
            first, last = people.faker.first_name(), people.faker.last_name()
            opleider = Praktijkopleider.objects.create(
                leerbedrijf=werkgever.leerbedrijf,
                vestiging=werkgever.vestigingen[i % len(werkgever.vestigingen)],
                naam=f"{first} {last}",
                email=_email(first, last, werkgever.leerbedrijf.naam),
                telefoon=phone_number(people, mobile=True),
                capacity=people.rng.choices(
                    list(CAPACITY_WEIGHTS), list(CAPACITY_WEIGHTS.values())
                )[0],
            )
            opleiders.append(opleider)
        # Each kwalificatie goes to one praktijkopleider at least, some to a second one.
        given: dict[int, list] = {o.pk: [] for o in opleiders}
        for j, kwalificatie in enumerate(kwalificaties):
            given[opleiders[j % count].pk].append(kwalificatie)
            if count > 1 and people.rng.random() < 0.3:
                other = people.rng.choice([o for o in opleiders if kwalificatie not in given[o.pk]])
                given[other.pk].append(kwalificatie)
        for opleider in opleiders:
            opleider.kwalificaties.set(given[opleider.pk] or kwalificaties[:1])
        found[werkgever.leerbedrijf.pk] = opleiders
        ctx.counts["praktijkopleiders"] += len(opleiders)
    return found


def leerbanen_assign(
    people: People, leerbanen: list[Leerbaan], opleiders: dict[int, list[Praktijkopleider]]
) -> None:
    """Name a praktijkopleider on every demo leerbaan: one who supervises its kwalificatie,
    at its vestiging when there is one."""
    kwalificaties = {
        o.pk: set(o.kwalificaties.values_list("pk", flat=True))
        for group in opleiders.values()
        for o in group
    }
    for leerbaan in leerbanen:
        group = opleiders.get(leerbaan.leerbedrijf_id, [])
        fitting = [o for o in group if leerbaan.kwalificatie_id in kwalificaties[o.pk]]
        here = [o for o in fitting if o.vestiging_id == leerbaan.vestiging_id]
        options = here or fitting
        if options:
            leerbaan.praktijkopleider = people.rng.choice(options)
    Leerbaan.objects.bulk_update(leerbanen, ["praktijkopleider"])


def capacities_settle(opleiders: dict[int, list[Praktijkopleider]]) -> None:
    """After the voordrachten: give each praktijkopleider room for one more candidate than the
    demo placed with them (the seeding writes placements without the services' check)."""
    everyone = [o for group in opleiders.values() for o in group]
    loads = praktijkopleider_loads(praktijkopleiders=everyone)
    grown = [o for o in everyone if o.capacity <= loads[o.pk]]
    for opleider in grown:
        opleider.capacity = loads[opleider.pk] + 1
    Praktijkopleider.objects.bulk_update(grown, ["capacity"])
