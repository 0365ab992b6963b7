"""Deciding on voordrachten (the employers issue): the werkgever's inbox shows each candidate
only as ``candidate_for_employer`` allows and nothing of another werkgever; an invitation
carries its date, place and message to the consultant; a decline needs a reason code; the
acceptance is reached from the inbox; and the reverse match: the werkgever asks the consultant
to propose a fitting candidate, who answers by proposing or declining, each told to exactly the
right people."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidates import services
from candidates.constants import VoordrachtStatus
from candidates.forms import VoordrachtMakeForm
from candidates.models import Candidate, Voordracht, VoordrachtRequest
from leerbedrijven.models import Leerbaan
from praktijkleren.notifications.models import Notification, OutboxMessage
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.workflows.conftest import interview, open_leerbaan, voordracht_in

pytestmark = pytest.mark.django_db

V = VoordrachtStatus
BSN = "111222333"
# The second candidate's: one organisation registers a BSN once.
FITTING_BSN = "123456782"
INBOX = reverse("candidates:voordracht_list")
REQUESTS = reverse("candidates:voordracht_request_list")


@pytest.fixture
def rich_candidate(candidate):
    # A last name no generated user shares: the pages name the logged-in user too.
    Candidate.objects.filter(pk=candidate.pk).update(
        last_name="Van Kandidaatsveld",
        phone="+31 6 12345678",
        work_experience="Tien jaar bakker",
    )
    return Candidate.objects.get(pk=candidate.pk)


def _html(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _transition(voordracht, name):
    return reverse("candidates:voordracht_transition", args=[voordracht.pk, name])


def _accept(voordracht):
    return reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"])


def _invite_form(day, time="10:30", place="Kerkstraat 1, Utrecht", message=""):
    return {
        "interview_date": day.isoformat(),
        "interview_time": time,
        "interview_place": place,
        "interview_message": message,
    }


# --- the inbox: what the werkgever sees --------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "name", "contact"),
    [
        (V.VOORGEDRAGEN, True, False),
        (V.UITGENODIGD, True, True),
        (V.AANGENOMEN, True, True),
        (V.AFGEWEZEN, True, False),
    ],
)
def test_the_inbox_shows_each_candidate_as_far_as_its_state_allows(
    client, rich_candidate, leerbaan, werkgever, state, name, contact
):
    voordracht = voordracht_in(state, rich_candidate, leerbaan)
    Voordracht.objects.filter(pk=voordracht.pk).update(motivation="Een harde werker.")
    html = _html(client, werkgever, INBOX, status="alle")
    assert voordracht.get_absolute_url() in html
    assert "Een harde werker." in html
    assert "12 km van huis" in html  # the match's reasons
    assert (escape(rich_candidate.last_name) in html) is name
    assert (rich_candidate.email in html) is contact
    assert ("+31 6 12345678" in html) is contact
    assert BSN not in html


@pytest.mark.parametrize("state", [V.INGETROKKEN, V.VERLOPEN, V.ELDERS_GEPLAATST])
def test_a_voordracht_that_ended_without_the_werkgever_is_not_in_the_inbox(
    client, rich_candidate, leerbaan, werkgever, state
):
    voordracht_in(state, rich_candidate, leerbaan)
    html = _html(client, werkgever, INBOX, status="alle")
    assert escape(rich_candidate.last_name) not in html
    assert "Geen voordrachten gevonden." in html


def test_without_consent_the_inbox_names_nobody(client, rich_candidate, leerbaan, werkgever):
    voordracht = voordracht_in(V.UITGENODIGD, rich_candidate, leerbaan)
    Candidate.objects.filter(pk=rich_candidate.pk).update(consent_given_at=None, status="geplaatst")
    html = _html(client, werkgever, INBOX)
    assert voordracht.get_absolute_url() in html
    assert f"Kandidaat uit {rich_candidate.postcode.woonplaats}" in html
    for secret in (rich_candidate.last_name, rich_candidate.email, "+31 6 12345678", BSN):
        assert escape(secret) not in html


def test_the_inbox_filters_by_leerbaan_and_shows_open_ones_by_default(
    client, consultant, werkgever, leerbaan
):
    other = open_leerbaan(werkgever)
    here = CandidateFactory(consultant=consultant, last_name="Hierhuis")
    there = CandidateFactory(consultant=consultant, last_name="Daarhuis")
    declined = CandidateFactory(consultant=consultant, last_name="Afgewezenhuis")
    voordracht_in(V.VOORGEDRAGEN, here, leerbaan)
    voordracht_in(V.UITGENODIGD, there, other)
    voordracht_in(V.AFGEWEZEN, declined, leerbaan)
    html = _html(client, werkgever, INBOX)
    assert "Hierhuis" in html
    assert "Daarhuis" in html
    assert "Afgewezenhuis" not in html
    html = _html(client, werkgever, INBOX, leerbaan=leerbaan.pk, status="alle")
    assert "Hierhuis" in html
    assert "Afgewezenhuis" in html
    assert "Daarhuis" not in html
    # The leerbaan's page links to its part of the inbox.
    assert f"{INBOX}?leerbaan={leerbaan.pk}" in _html(
        client, werkgever, leerbaan.get_absolute_url()
    )


def test_another_werkgever_sees_nothing_of_it(client, candidate, consultant, leerbaan, werkgever):
    invited = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    fitting = CandidateFactory(
        consultant=consultant, last_name="Verzoekhuis", wished_kwalificaties=[leerbaan.kwalificatie]
    )
    request = services.voordracht_request(
        candidate=fitting, leerbaan=leerbaan, by=werkgever, message="Graag Verzoekhuis"
    )
    stranger = UserFactory(organisation=OrganisationFactory(werkgever=True))
    open_leerbaan(stranger)
    for url in (INBOX, REQUESTS):
        html = _html(client, stranger, url, status="alle", leerbaan=leerbaan.pk)
        for secret in (candidate.last_name, leerbaan.titel, "Verzoekhuis", BSN):
            assert escape(secret) not in html, url
    for url in (
        invited.get_absolute_url(),
        _transition(invited, "decline"),
        _accept(invited),
        leerbaan.get_absolute_url(),
        reverse("candidates:voordracht_request_create", args=[leerbaan.pk, candidate.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert Voordracht.objects.get(pk=invited.pk).status == V.UITGENODIGD
    assert VoordrachtRequest.objects.get().pk == request.pk


def test_the_inbox_is_the_werkgevers(client, consultant):
    client.force_login(consultant)
    assert client.get(INBOX).status_code == 403


# --- invite, decline, accept ---------------------------------------------------------------------


def test_the_invitation_carries_date_place_and_message_to_the_consultant(
    client, candidate, leerbaan, werkgever, consultant
):
    voordracht = voordracht_in(V.VOORGEDRAGEN, candidate, leerbaan)
    day = timezone.localdate() + dt.timedelta(days=10)
    client.force_login(werkgever)
    page = client.get(_transition(voordracht, "invite")).content.decode()
    for field in ("interview_date", "interview_time", "interview_place", "interview_message"):
        assert f'name="{field}"' in page
    form = _invite_form(day, "14:15", "Zorgpad 3, Houten", "Meld u bij de receptie.")
    response = client.post(_transition(voordracht, "invite"), form)
    assert response.status_code == 302

    voordracht.refresh_from_db()
    assert voordracht.status == V.UITGENODIGD
    local = timezone.localtime(voordracht.interview_at)
    assert (local.date(), local.hour, local.minute) == (day, 14, 15)
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert (voordracht.interview_place, voordracht.interview_message) == (
        "Zorgpad 3, Houten",
        "Meld u bij de receptie.",
    )
    mail = OutboxMessage.objects.get(kind="voordracht.invited", user=consultant)
    day_text = f"{day.day} "  # "21 maart 2027 om 14:15"
    for text in (day_text, "om 14:15", "Zorgpad 3, Houten", "Meld u bij de receptie."):
        assert text in mail.body, text
    title = Notification.objects.get(user=consultant, event__type="voordracht.invited").title
    assert "om 14:15" in title
    assert "Zorgpad 3, Houten" in title
    html = _html(client, consultant, voordracht.get_absolute_url())
    assert "Zorgpad 3, Houten" in html
    assert "Meld u bij de receptie." in html


def test_an_interview_in_the_past_is_refused(client, candidate, leerbaan, werkgever):
    voordracht = voordracht_in(V.VOORGEDRAGEN, candidate, leerbaan)
    client.force_login(werkgever)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(_transition(voordracht, "invite"), _invite_form(yesterday))
    assert response.status_code == 200
    assert "in het verleden" in response.content.decode()
    assert 'id="id_interview_date_error"' in response.content.decode()
    assert Voordracht.objects.get(pk=voordracht.pk).status == V.VOORGEDRAGEN
    with pytest.raises(ValidationError, match="verleden"):
        services.voordracht_invite(
            voordracht=voordracht,
            by=werkgever,
            **interview(interview_at=timezone.now() - dt.timedelta(minutes=5)),
        )
    with pytest.raises(ValidationError, match="plaats"):
        services.voordracht_invite(
            voordracht=voordracht, by=werkgever, **interview(interview_place=" ")
        )
    late = timezone.make_aware(
        dt.datetime.combine(leerbaan.start_date, dt.time(9)), timezone.get_current_timezone()
    )
    with pytest.raises(ValidationError, match="vóór de startdatum"):
        services.voordracht_invite(
            voordracht=voordracht, by=werkgever, **interview(interview_at=late)
        )
    assert Voordracht.objects.get(pk=voordracht.pk).status == V.VOORGEDRAGEN
    assert not OutboxMessage.objects.filter(kind="voordracht.invited").exists()


def test_a_decline_needs_a_reason_code_and_carries_the_message(
    client, candidate, leerbaan, werkgever, consultant
):
    voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    with pytest.raises(TransitionRefused, match="reden"):
        services.voordracht_decline(
            voordracht=voordracht, by=werkgever, reason_code="", reason="Nee"
        )
    client.force_login(werkgever)
    response = client.post(_transition(voordracht, "decline"), {"reason": "Geen klik."})
    assert response.status_code == 200
    assert 'id="id_reason_code_error"' in response.content.decode()
    assert Voordracht.objects.get(pk=voordracht.pk).status == V.UITGENODIGD

    client.post(
        _transition(voordracht, "decline"), {"reason_code": "gesprek", "reason": "Geen klik."}
    )
    voordracht.refresh_from_db()
    assert (voordracht.status, voordracht.decline_reason) == (V.AFGEWEZEN, "gesprek")
    assert voordracht.decline_message == "Geen klik."
    mail = OutboxMessage.objects.get(kind="voordracht.declined", user=consultant)
    assert "Na het gesprek: geen goede match" in mail.body
    assert "Geen klik." in mail.body
    assert "Geen klik." in _html(client, consultant, voordracht.get_absolute_url())


def test_accepting_is_reached_from_the_inbox_and_says_what_it_does(
    client, candidate, leerbaan, werkgever, school
):
    voordracht = voordracht_in(V.UITGENODIGD, candidate, leerbaan)
    html = _html(client, werkgever, INBOX)
    assert _accept(voordracht) in html
    assert _transition(voordracht, "decline") in html
    assert _transition(voordracht, "invite") not in html  # already invited: the workflow says so
    page = client.get(_accept(voordracht)).content.decode()
    assert "vraagt de inschrijving aan bij de dichtstbijzijnde mbo-instelling" in page
    first = client.post(_accept(voordracht), {"next": INBOX}, follow=True)
    second = client.post(_accept(voordracht), {"next": INBOX}, follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["info"]
    assert Voordracht.objects.get(pk=voordracht.pk).status == V.AANGENOMEN


# --- the reverse match: the werkgever's request -------------------------------------------------


@pytest.fixture
def fitting(consultant, leerbaan):
    """A second candidate of the consultant who fits the leerbaan, nobody proposed it."""
    return CandidateFactory(
        consultant=consultant,
        last_name="Passendhuis",
        bsn=FITTING_BSN,
        phone="+31 6 87654321",
        wished_kwalificaties=[leerbaan.kwalificatie],
    )


def _request_url(leerbaan, candidate):
    return reverse("candidates:voordracht_request_create", args=[leerbaan.pk, candidate.pk])


def test_the_werkgever_sees_fitting_candidates_anonymously_and_asks_for_one(
    client, fitting, leerbaan, werkgever, consultant
):
    colleague = UserFactory(organisation=consultant.organisation)  # not the candidate's consultant
    html = _html(client, werkgever, leerbaan.get_absolute_url())
    assert _request_url(leerbaan, fitting) in html
    assert f"Kandidaat uit {fitting.postcode.woonplaats}" in html
    page = _html(client, werkgever, _request_url(leerbaan, fitting))
    for secret in (
        "Passendhuis",
        fitting.first_name,
        fitting.email,
        "+31 6 87654321",
        BSN,
        FITTING_BSN,
    ):
        assert escape(secret) not in html
        assert escape(secret) not in page
    response = client.post(_request_url(leerbaan, fitting), {"message": "Graag een gesprek."})
    assert response.status_code == 302

    request = VoordrachtRequest.objects.get()
    assert (request.candidate, request.leerbaan, request.requested_by) == (
        fitting,
        leerbaan,
        werkgever,
    )
    assert request.message == "Graag een gesprek."
    told = Notification.objects.filter(event__type="voordracht.requested")
    assert list(told.values_list("user", flat=True)) == [consultant.pk]
    mails = OutboxMessage.objects.filter(kind="voordracht.requested", channel="email")
    assert set(mails.values_list("to_email", flat=True)) == {
        consultant.email,
        consultant.organisation.email,
    }
    assert "Graag een gesprek." in mails.get(user=consultant).body
    assert not Notification.objects.filter(user__in=[werkgever, colleague]).exists()
    # The leerbaan's page now says it was asked; the request list shows it open, still anonymous.
    html = _html(client, werkgever, leerbaan.get_absolute_url())
    assert _request_url(leerbaan, fitting) not in html
    html = _html(client, werkgever, REQUESTS)
    assert "Open: wacht op de consulent" in html
    assert "Passendhuis" not in html


def test_a_request_is_refused_twice_on_a_closed_leerbaan_and_with_an_open_voordracht(
    client, fitting, candidate, leerbaan, werkgever, today
):
    services.voordracht_request(candidate=fitting, leerbaan=leerbaan, by=werkgever)
    with pytest.raises(TransitionRefused, match="al gevraagd"):
        services.voordracht_request(candidate=fitting, leerbaan=leerbaan, by=werkgever)
    client.force_login(werkgever)
    response = client.post(_request_url(leerbaan, fitting), follow=True)  # sent twice: no 500
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    page = client.get(_request_url(leerbaan, fitting)).content.decode()
    assert "al om voordracht gevraagd" in page  # the page says so instead of the form again
    assert "<form" not in page.split('id="main"', 1)[1].split("</main>", 1)[0]

    voordracht_in(V.VOORGEDRAGEN, candidate, leerbaan)
    with pytest.raises(TransitionRefused, match="al voorgedragen"):
        services.voordracht_request(candidate=candidate, leerbaan=leerbaan, by=werkgever)

    closed = open_leerbaan(werkgever, kwalificatie=leerbaan.kwalificatie)
    Leerbaan.objects.filter(pk=closed.pk).update(closing_date=today - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused, match="gesloten"):
        services.voordracht_request(candidate=fitting, leerbaan=closed, by=werkgever)
    assert client.get(_request_url(closed, fitting)).status_code == 404

    stranger = UserFactory(organisation=OrganisationFactory(werkgever=True))
    with pytest.raises(TransitionRefused, match="werkgever van de leerbaan"):
        services.voordracht_request(candidate=candidate, leerbaan=closed, by=stranger)
    assert VoordrachtRequest.objects.count() == 1


def test_a_candidate_who_does_not_fit_cannot_be_asked_for(client, consultant, leerbaan, werkgever):
    elsewhere = CandidateFactory(consultant=consultant)  # wishes another kwalificatie
    client.force_login(werkgever)
    assert client.get(_request_url(leerbaan, elsewhere)).status_code == 404
    with pytest.raises(ValidationError):
        services.voordracht_request(candidate=elsewhere, leerbaan=leerbaan, by=werkgever)


def test_the_consultant_proposes_the_requested_candidate(
    client, fitting, leerbaan, werkgever, consultant
):
    request = services.voordracht_request(
        candidate=fitting, leerbaan=leerbaan, by=werkgever, message="Graag!"
    )
    html = _html(client, consultant, REQUESTS)
    propose = reverse("candidates:voordracht_make", args=[fitting.pk, leerbaan.pk])
    assert escape(str(fitting)) in html
    assert propose in html
    assert "Graag!" in html
    assert "Graag!" in _html(client, consultant, propose)  # the proposal page shows the request
    client.post(propose, {"motivation": "Zoals gevraagd."})

    request.refresh_from_db()
    assert request.answered_at is not None
    assert request.was_proposed()
    voordracht = Voordracht.objects.get(candidate=fitting, leerbaan=leerbaan)
    assert voordracht.motivation == "Zoals gevraagd."
    html = _html(client, werkgever, REQUESTS)
    assert "Voorgedragen" in html
    html = _html(client, werkgever, INBOX)
    assert escape(fitting.last_name) in html
    assert BSN not in html


def test_the_consultant_declines_a_request_and_only_the_werkgever_hears_of_it(
    client, fitting, leerbaan, werkgever, consultant
):
    request = services.voordracht_request(candidate=fitting, leerbaan=leerbaan, by=werkgever)
    colleague = UserFactory(organisation=werkgever.organisation)
    url = reverse("candidates:voordracht_request_decline", args=[request.pk])
    client.force_login(werkgever)
    assert client.get(url).status_code == 403  # the consultant's to answer
    other_consultant = UserFactory()
    client.force_login(other_consultant)
    assert client.get(url).status_code == 404

    client.force_login(consultant)
    response = client.post(url, {"answer": ""})
    assert response.status_code == 200
    assert 'id="id_answer_error"' in response.content.decode()
    first = client.post(url, {"answer": "Kiest een andere richting."}, follow=True)
    second = client.post(url, {"answer": "Kiest een andere richting."}, follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["info"]

    request.refresh_from_db()
    assert request.answer == "Kiest een andere richting."
    assert not request.was_proposed()
    told = Notification.objects.filter(event__type="voordracht.request_declined")
    assert set(told.values_list("user", flat=True)) == {werkgever.pk, colleague.pk}
    mails = OutboxMessage.objects.filter(kind="voordracht.request_declined", channel="email")
    assert set(mails.values_list("organisation", flat=True)) == {werkgever.organisation_id}
    for mail in mails:
        assert "Kiest een andere richting." in mail.body
        assert fitting.last_name not in mail.body + mail.subject
        assert BSN not in mail.body
    html = _html(client, werkgever, REQUESTS)
    assert "Kiest een andere richting." in html
    assert escape(fitting.last_name) not in html
    with pytest.raises(TransitionRefused, match="al beantwoord"):
        services.voordracht_request_decline(request=request, by=consultant, answer="Nogmaals")


@pytest.mark.parametrize(
    ("motivation", "refused"),
    [
        ("Gemotiveerd. BSN 123456782 voor de administratie.", True),
        ("BSN 1234.56.782", True),
        ("Telefoon 0612345678, werkt 40 uur", False),
        ("Gemotiveerd en ervaren.", False),
    ],
)
def test_a_bsn_in_the_motivation_is_refused(motivation, refused):
    form = VoordrachtMakeForm({"motivation": motivation})
    assert form.is_valid() is not refused
    if refused:
        assert form.errors["motivation"] == [
            "Haal het BSN uit de motivatie: de werkgever leest die."
        ]
