"""Consultant, employer and school pages: scoping, privacy, audit and the main actions."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidates import services
from candidates.constants import VoordrachtStatus
from candidates.models import Candidate, Voordracht
from praktijkleren.accounts.models import AccessLog
from praktijkleren.notifications.models import OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import KwalificatieFactory, MboInstellingFactory
from tests.trajecten.factories import EnrolmentFactory
from tests.workflows.conftest import interview

pytestmark = pytest.mark.django_db

BSN = "111222333"


@pytest.fixture
def leerbaan():
    today = timezone.localdate()
    return LeerbaanFactory(
        start_date=today + dt.timedelta(days=90), closing_date=today + dt.timedelta(days=60)
    )


@pytest.fixture
def candidate(leerbaan):
    return CandidateFactory(
        bsn=BSN,
        wished_kwalificaties=[leerbaan.kwalificatie],
        earliest_start_date=timezone.localdate() + dt.timedelta(days=60),
        postcode=leerbaan.vestiging.postcode,
    )


@pytest.fixture
def werkgever(leerbaan):
    return UserFactory(organisation=leerbaan.leerbedrijf.organisation)


def test_candidate_page_lists_the_leerbanen_that_fit_with_reasons(client, candidate, leerbaan):
    client.force_login(candidate.consultant)
    response = client.get(candidate.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert leerbaan.titel in html
    assert "Minder dan 1 km van huis" in html
    assert f"Gewenste kwalificatie: {leerbaan.kwalificatie.crebo}" in html


def test_viewing_a_candidate_is_audit_logged(client, candidate):
    client.force_login(candidate.consultant)
    client.get(candidate.get_absolute_url())
    entry = AccessLog.objects.get(candidate_id=candidate.pk)
    assert entry.user == candidate.consultant
    assert entry.organisation == candidate.consultant.organisation
    assert (entry.action, entry.view) == ("view", "trajecten:candidate_detail")
    assert (entry.result, entry.origin) == ("shown", "127.0.0.1")


def test_a_candidate_of_another_organisation_is_not_found(client, candidate):
    other = UserFactory()  # a consultant of another gemeente
    client.force_login(other)
    assert client.get(candidate.get_absolute_url()).status_code == 404


def test_an_employer_may_not_open_candidate_pages(client, candidate, werkgever):
    client.force_login(werkgever)
    assert client.get(candidate.get_absolute_url()).status_code == 403
    assert client.get(reverse("candidates:candidate_list")).status_code == 403


def test_consultant_proposes_and_the_employer_sees_no_bsn(client, candidate, leerbaan, werkgever):
    client.force_login(candidate.consultant)
    url = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    response = client.post(url)
    assert response.status_code == 302
    voordracht = Voordracht.objects.get(candidate=candidate, leerbaan=leerbaan)
    assert voordracht.status == VoordrachtStatus.VOORGEDRAGEN

    client.force_login(werkgever)
    for page in (leerbaan.get_absolute_url(), voordracht.get_absolute_url()):
        html = client.get(page).content.decode()
        assert escape(candidate.last_name) in html
        assert BSN not in html
        assert candidate.email not in html  # contact details only from the invitation on


def _transition_url(voordracht, name):
    return reverse("candidates:voordracht_transition", args=[voordracht.pk, name])


def test_employer_invites_and_the_consultant_organisation_is_told(
    client, candidate, leerbaan, werkgever
):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        _transition_url(voordracht, "invite"),
        {
            "next": leerbaan.get_absolute_url(),
            "interview_date": day,
            "interview_time": "14:00",
            "interview_place": "Kerkstraat 1, Utrecht",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == leerbaan.get_absolute_url()
    voordracht.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.UITGENODIGD
    assert OutboxMessage.objects.filter(organisation=candidate.organisation).exists()


def test_the_page_offers_only_what_the_workflow_allows(client, candidate, leerbaan, werkgever):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    html = client.get(voordracht.get_absolute_url()).content.decode()
    assert _transition_url(voordracht, "invite") in html
    assert _transition_url(voordracht, "decline") in html
    assert reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"]) not in html
    assert _transition_url(voordracht, "withdraw") not in html  # the consultant's
    client.force_login(candidate.consultant)
    html = client.get(voordracht.get_absolute_url()).content.decode()
    assert _transition_url(voordracht, "withdraw") in html
    assert _transition_url(voordracht, "invite") not in html


def test_declining_asks_a_reason_at_its_field(client, candidate, leerbaan, werkgever):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    url = _transition_url(voordracht, "decline")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="reason_code"' in page.content.decode()
    response = client.post(url, {"reason_code": "overig", "reason": ""})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    assert Voordracht.objects.get(pk=voordracht.pk).status == VoordrachtStatus.VOORGEDRAGEN
    response = client.post(url, {"reason_code": "gesprek"})
    assert response.status_code == 302
    assert Voordracht.objects.get(pk=voordracht.pk).decline_reason == "gesprek"
    html = client.get(voordracht.get_absolute_url()).content.decode()
    assert "Na het gesprek: geen goede match" in html  # the history shows the reason


def test_the_accept_page_says_what_else_accepting_does(client, candidate, leerbaan, werkgever):
    voordracht = services.voordracht_make(
        candidate=candidate, leerbaan=leerbaan, by=candidate.consultant
    )
    services.voordracht_invite(voordracht=voordracht, by=werkgever, **interview())
    client.force_login(werkgever)
    url = reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"])
    html = client.get(url).content.decode()
    assert "vraagt de inschrijving aan bij de dichtstbijzijnde mbo-instelling" in html
    assert "beëindigt de andere voordrachten van de kandidaat" in html


def test_an_invalid_transition_shows_a_message_not_an_error(client, candidate, leerbaan, werkgever):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    url = reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Voordracht.objects.get(pk=voordracht.pk).status == VoordrachtStatus.VOORGEDRAGEN
    [message] = response.context["messages"]
    assert message.level_tag == "error"
    assert "‘Aannemen’ kan niet: deze voordracht heeft de status ‘Voorgedragen’." in str(message)


def test_an_unknown_transition_is_not_found(client, candidate, leerbaan, werkgever):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    for name in ("bestaat-niet", "expire", "place_elsewhere"):
        assert client.post(_transition_url(voordracht, name)).status_code == 404


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "foo", "/\\evil"])
def test_next_is_never_an_external_url(client, candidate, leerbaan, werkgever, target):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan)
    client.force_login(werkgever)
    data = {"next": target, "reason_code": "gesprek"}
    response = client.post(_transition_url(voordracht, "decline"), data)
    assert response["Location"] == voordracht.get_absolute_url()


def test_employer_sees_fitting_candidates_without_name(client, candidate, leerbaan, werkgever):
    # A name no generated leerbedrijf, vestiging or kwalificatie can carry by chance.
    candidate.last_name = "Zwanenburg-Oosterhout"
    candidate.save(update_fields=["last_name"])
    client.force_login(werkgever)
    html = client.get(leerbaan.get_absolute_url()).content.decode()
    assert f"Kandidaat uit {candidate.postcode.woonplaats}" in html
    assert escape(candidate.last_name) not in html


def test_register_a_candidate(client):
    consultant = UserFactory()
    kwalificatie = KwalificatieFactory()
    postcode = PostcodeFactory(pc4="3511")
    client.force_login(consultant)
    response = client.post(
        reverse("candidates:candidate_create"),
        {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "bsn": "",
            "postcode": "3511 AB",
            "wished_kwalificaties": [kwalificatie.pk],
            "route": "diploma",
            "max_travel_km": 20,
            "hours_per_week": 32,
            "earliest_start_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "consent": "on",
        },
    )
    candidate = Candidate.objects.get(last_name="de Vries")
    assert response["Location"] == candidate.get_absolute_url()
    assert candidate.organisation == consultant.organisation
    assert candidate.postcode == postcode
    assert candidate.consent_given_at is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bsn", "123456789", "elfproef"),
        ("postcode", "9999", "Postcode 9999 is niet bekend"),
        ("postcode", "35X1", "Vul een postcode in"),
        ("hours_per_week", "99", "hoogstens 40"),
        ("max_travel_km", "100000", "hoogstens 150"),
    ],
)
def test_bad_input_is_reported_at_its_field(client, field, value, message):
    client.force_login(UserFactory())
    data = {"first_name": "A", "last_name": "B", "postcode": "3511", "route": "diploma"}
    data[field] = value
    response = client.post(reverse("candidates:candidate_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<div [^>]*id="id_{field}_error">(.*?)</div>', html, re.S)
    assert error
    assert message in error.group(1)
    field_tag = re.search(rf'<input [^>]*id="id_{field}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field_tag
    assert f"id_{field}_error" in field_tag
    assert f'href="#id_{field}"' in html  # the error summary links to the field


def test_school_sees_only_its_incoming_enrolments(client):
    instelling = MboInstellingFactory()
    mine = EnrolmentFactory(instelling=instelling)
    theirs = EnrolmentFactory(instelling=MboInstellingFactory())
    client.force_login(UserFactory(organisation=instelling.organisation))
    html = client.get(reverse("trajecten:enrolment_list")).content.decode()
    assert escape(str(mine.candidate)) in html
    assert escape(str(theirs.candidate)) not in html
    assert mine.candidate.bsn == "" or mine.candidate.bsn not in html


def test_an_employer_does_not_see_another_employers_leerbaan(client, leerbaan):
    client.force_login(UserFactory(organisation=OrganisationFactory(werkgever=True)))
    assert client.get(leerbaan.get_absolute_url()).status_code == 404


def test_after_a_withdrawal_the_pages_offer_the_voordracht_again(
    client, candidate, leerbaan, werkgever
):
    from candidates import services

    voordracht = services.voordracht_make(
        candidate=candidate, leerbaan=leerbaan, by=candidate.consultant
    )
    services.voordracht_withdraw(voordracht=voordracht, by=candidate.consultant)
    client.force_login(candidate.consultant)
    propose = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    assert propose in client.get(candidate.get_absolute_url()).content.decode()
    assert propose in client.get(leerbaan.get_absolute_url()).content.decode()
    client.post(propose)
    # The werkgever sees the new voordracht by name, and not the withdrawn one next to it.
    client.force_login(werkgever)
    html = client.get(leerbaan.get_absolute_url()).content.decode()
    assert f"Kandidaat uit {candidate.postcode.woonplaats}" not in html.split("passend")[0]
    assert "1 voordracht is ingetrokken, verlopen of elders geplaatst." in html


def test_a_declined_candidate_is_not_offered_again(client, candidate, leerbaan, werkgever):
    voordracht = VoordrachtFactory(candidate=candidate, leerbaan=leerbaan, status="afgewezen")
    client.force_login(candidate.consultant)
    propose = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    assert propose not in client.get(candidate.get_absolute_url()).content.decode()
    assert propose not in client.get(leerbaan.get_absolute_url()).content.decode()
    assert voordracht.status == "afgewezen"


def test_a_post_only_address_opened_by_hand_gets_a_dutch_page(client, candidate):
    client.force_login(candidate.consultant)
    response = client.get(reverse("notifications:mark_all_read"))
    assert response.status_code == 405
    assert "Dit adres is een knop" in response.content.decode()


def test_proposing_asks_a_motivation_and_shows_why_the_candidate_fits(
    client, candidate, leerbaan, werkgever
):
    client.force_login(candidate.consultant)
    url = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    html = client.get(url).content.decode()
    assert 'name="motivation"' in html
    assert "Waarom de kandidaat past" in html
    client.post(url, {"motivation": "Zeer gemotiveerd, ervaring in de thuiszorg."})
    voordracht = Voordracht.objects.get(candidate=candidate, leerbaan=leerbaan)
    assert voordracht.motivation == "Zeer gemotiveerd, ervaring in de thuiszorg."
    client.force_login(werkgever)
    for page in (voordracht.get_absolute_url(), reverse("candidates:voordracht_list")):
        assert "ervaring in de thuiszorg" in client.get(page).content.decode()
    made = OutboxMessage.objects.get(kind="voordracht.made", user=werkgever)
    assert "ervaring in de thuiszorg" in made.body


def test_a_too_long_motivation_is_refused_at_its_field(client, candidate, leerbaan):
    client.force_login(candidate.consultant)
    url = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    response = client.post(url, {"motivation": "x" * 2001})
    assert response.status_code == 200
    assert 'id="id_motivation_error"' in response.content.decode()
    assert not Voordracht.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "abc", "geen geldig telefoonnummer"),
        ("earliest_start_date", "1900-01-01", "Kies een datum tussen"),
        ("earliest_start_date", "9999-12-31", "Kies een datum tussen"),
        ("work_experience", "x" * 2001, "niet meer dan 2000 tekens"),
    ],
)
def test_registration_refuses_nonsense_at_its_field(client, field, value, message):
    client.force_login(UserFactory())
    data = {"first_name": "A", "last_name": "B", "postcode": "3511", "route": "diploma"}
    data[field] = value
    html = client.post(reverse("candidates:candidate_create"), data).content.decode()
    error = re.search(rf'id="id_{field}_error">(.*?)</div>', html, re.S)
    assert error
    assert message in error.group(1)


def test_a_phone_number_is_stored_in_one_form(client):
    consultant = UserFactory()
    kwalificatie = KwalificatieFactory()
    PostcodeFactory(pc4="3512")
    client.force_login(consultant)
    client.post(
        reverse("candidates:candidate_create"),
        {
            "first_name": "Sanne",
            "last_name": "Telefoon",
            "postcode": "3512",
            "phone": "06-12345678",
            "wished_kwalificaties": [kwalificatie.pk],
            "route": "diploma",
            "max_travel_km": 20,
            "hours_per_week": 32,
            "earliest_start_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert Candidate.objects.get(last_name="Telefoon").phone == "+31 6 12345678"
