import datetime as dt

import factory
from django.utils import timezone

from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from opleidingen.constants import Route
from tests.accounts.factories import UserFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory


class CandidateFactory(factory.django.DjangoModelFactory):
    """An actief candidate (with consent) of a gemeente consultant, wanting one kwalificatie on
    the diploma route. Traits: ``aangemeld`` (no consent yet).

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
    status = CandidateStatus.ACTIEF

    class Params:
        aangemeld = factory.Trait(consent_given_at=None, status=CandidateStatus.AANGEMELD)

    @factory.post_generation
    def wished_kwalificaties(self, create, extracted, **kwargs):
        if create and extracted:
            self.wished_kwalificaties.set(extracted)

    @factory.post_generation
    def wished_dossiers(self, create, extracted, **kwargs):
        if create and extracted:
            self.wished_dossiers.set(extracted)


class VoordrachtFactory(factory.django.DjangoModelFactory):
    """A voorgedragen voordracht; its candidate is voorgedragen too. Pass ``status`` for another
    state (a declined one gets a reason code)."""

    class Meta:
        model = Voordracht

    candidate = factory.SubFactory(CandidateFactory, status=CandidateStatus.VOORGEDRAGEN)
    leerbaan = factory.SubFactory(LeerbaanFactory)
    score = 80.0
    reasons = factory.LazyFunction(lambda: ["12 km van huis"])
    status = VoordrachtStatus.VOORGEDRAGEN
    decline_reason = factory.LazyAttribute(
        lambda o: "gesprek" if o.status == VoordrachtStatus.AFGEWEZEN else ""
    )
