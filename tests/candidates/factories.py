import datetime as dt

import factory
from django.utils import timezone

from candidates.models import Candidate, Enrolment, Match
from opleidingen.constants import Route
from tests.accounts.factories import UserFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import KwalificatieFactory, MboInstellingFactory


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate of a gemeente consultant, wanting one kwalificatie on the diploma route.

    Pass ``wished_kwalificaties=[...]`` / ``wished_dossiers=[...]`` to set the wishes.
    """

    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    consultant = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda o: o.consultant.organisation)
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Faker("email", locale="nl_NL")
    postcode = factory.SubFactory(PostcodeFactory)
    route = Route.DIPLOMA
    max_travel_km = 25
    hours_per_week = 32
    earliest_start_date = dt.date(2027, 1, 1)
    consent_given_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def wished_kwalificaties(self, create, extracted, **kwargs):
        if create and extracted:
            self.wished_kwalificaties.set(extracted)

    @factory.post_generation
    def wished_dossiers(self, create, extracted, **kwargs):
        if create and extracted:
            self.wished_dossiers.set(extracted)


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    candidate = factory.SubFactory(CandidateFactory)
    leerbaan = factory.SubFactory(LeerbaanFactory)
    score = 80.0
    reasons = factory.LazyFunction(lambda: ["12 km van huis"])


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    candidate = factory.SubFactory(CandidateFactory)
    leerbaan = factory.SubFactory(LeerbaanFactory)
    instelling = factory.SubFactory(MboInstellingFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    route = Route.DIPLOMA
