import pytest

from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory, LeerbedrijfFactory
from tests.opleidingen.factories import MboInstellingFactory
from tests.trajecten.factories import EnrolmentFactory
from trajecten.selectors import enrolments_visible_to

pytestmark = pytest.mark.django_db


def test_enrolments_visible_to():
    school_org = OrganisationFactory(school=True)
    instelling = MboInstellingFactory(organisation=school_org)
    werkgever_org = OrganisationFactory(werkgever=True)
    leerbaan = LeerbaanFactory(leerbedrijf=LeerbedrijfFactory(organisation=werkgever_org))
    consultant = UserFactory()
    at_school = EnrolmentFactory(instelling=instelling)
    for_leerbaan = EnrolmentFactory(leerbaan=leerbaan)
    of_candidate = EnrolmentFactory(candidate=CandidateFactory(consultant=consultant))
    todo = EnrolmentFactory(
        candidate=CandidateFactory(consultant=consultant, status="geplaatst"), instelling=None
    )
    assert set(enrolments_visible_to(user=UserFactory(organisation=school_org))) == {at_school}
    assert set(enrolments_visible_to(user=UserFactory(organisation=werkgever_org))) == {
        for_leerbaan
    }
    assert set(enrolments_visible_to(user=consultant)) == {of_candidate, todo}
    beheer = UserFactory(organisation=OrganisationFactory(beheer=True))
    assert not enrolments_visible_to(user=beheer).exists()
