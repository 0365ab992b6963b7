import factory

from opleidingen.constants import Route
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import KwalificatieFactory, MboInstellingFactory
from trajecten.models import Enrolment


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An aangevraagd enrolment at an mbo-instelling (pass ``status``, ``start_date``,
    ``end_reason`` for other states)."""

    class Meta:
        model = Enrolment

    candidate = factory.SubFactory(CandidateFactory, status="geplaatst")
    leerbaan = factory.SubFactory(LeerbaanFactory)
    instelling = factory.SubFactory(MboInstellingFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    route = Route.DIPLOMA
