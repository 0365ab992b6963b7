import datetime as dt

import factory

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import (
    ContactPerson,
    Erkenning,
    Leerbaan,
    Leerbedrijf,
    Praktijkopleider,
    Vestiging,
)
from opleidingen.constants import Leerweg
from tests.accounts.factories import OrganisationFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import KwalificatieFactory


class LeerbedrijfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leerbedrijf

    organisation = factory.SubFactory(OrganisationFactory, werkgever=True)
    naam = factory.Faker("company", locale="nl_NL")
    kvk_nummer = factory.Sequence(lambda n: f"{10000000 + n}")


class VestigingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vestiging

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    vestigingsnummer = factory.Sequence(lambda n: f"{100000000000 + n}")
    naam = factory.LazyAttribute(lambda o: o.leerbedrijf.naam)
    postcode = factory.SubFactory(PostcodeFactory)


class ErkenningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Erkenning

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    leerweg = Leerweg.BBL
    geldig_van = dt.date(2024, 1, 1)
    geldig_tot = dt.date(2028, 8, 1)


class LeerbaanFactory(factory.django.DjangoModelFactory):
    """An open leerbaan whose leerbedrijf is erkend for its kwalificatie (BBL)."""

    class Meta:
        model = Leerbaan
        skip_postgeneration_save = True

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    vestiging = factory.SubFactory(
        VestigingFactory, leerbedrijf=factory.SelfAttribute("..leerbedrijf")
    )
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    titel = factory.Sequence(lambda n: f"Leerbaan {n}")
    hours_per_week = 32
    places = 2
    start_date = dt.date(2027, 2, 1)
    closing_date = dt.date(2027, 1, 15)
    status = LeerbaanStatus.GEPUBLICEERD

    @factory.post_generation
    def erkend(self, create, extracted, **kwargs):
        """Erkend by default; pass ``erkend=False`` for a leerbaan without erkenning."""
        if create and extracted is not False:
            ErkenningFactory(leerbedrijf=self.leerbedrijf, kwalificatie=self.kwalificatie)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    naam = factory.Faker("name", locale="nl_NL")
    functie = "HR-adviseur"
    email = factory.Sequence(lambda n: f"contact{n}@leerbedrijf.example")
    telefoon = "+31301234567"


class PraktijkopleiderFactory(factory.django.DjangoModelFactory):
    """An active praktijkopleider at a vestiging of its leerbedrijf, for one place; pass
    ``kwalificaties=[...]`` to set what they supervise."""

    class Meta:
        model = Praktijkopleider
        skip_postgeneration_save = True

    leerbedrijf = factory.SubFactory(LeerbedrijfFactory)
    vestiging = factory.SubFactory(
        VestigingFactory, leerbedrijf=factory.SelfAttribute("..leerbedrijf")
    )
    naam = factory.Faker("name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"opleider{n}@leerbedrijf.example")
    capacity = 1

    @factory.post_generation
    def kwalificaties(self, create, extracted, **kwargs):
        if create and extracted:
            self.kwalificaties.set(extracted)
