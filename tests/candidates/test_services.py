import datetime as dt
import itertools
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidates.constants import MatchStatus
from candidates.models import Candidate, Match
from candidates.services import (
    CONSULTANT_STATUSES,
    MATCH_TRANSITIONS,
    WERKGEVER_STATUSES,
    candidate_register,
    match_propose,
    match_status_change,
)
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan
from opleidingen.constants import Route
from praktijkleren.notifications.models import OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, MatchFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import KwalificatiedossierFactory, KwalificatieFactory

pytestmark = pytest.mark.django_db

BSN = "111222333"
S = MatchStatus
ALLOWED = {
    (S.VOORGESTELD, S.VOORGEDRAGEN),
    (S.VOORGESTELD, S.INGETROKKEN),
    (S.VOORGEDRAGEN, S.UITGENODIGD),
    (S.VOORGEDRAGEN, S.AFGEWEZEN),
    (S.VOORGEDRAGEN, S.INGETROKKEN),
    (S.UITGENODIGD, S.GEPLAATST),
    (S.UITGENODIGD, S.AFGEWEZEN),
    (S.UITGENODIGD, S.INGETROKKEN),
}


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))


@pytest.fixture
def leerbaan(werkgever):
    """An open leerbaan of the werkgever, dated from today so the tests do not age."""
    today = timezone.localdate()
    leerbaan = LeerbaanFactory(
        leerbedrijf__organisation=werkgever.organisation,
        closing_date=today + dt.timedelta(days=30),
        start_date=today + dt.timedelta(days=60),
        places=2,
    )
    Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(geldig_tot=None)
    return leerbaan


@pytest.fixture
def candidate(consultant, leerbaan):
    """A candidate of the consultant's gemeente who fits the leerbaan, with a BSN."""
    return CandidateFactory(
        consultant=consultant,
        bsn=BSN,
        wished_kwalificaties=[leerbaan.kwalificatie],
        postcode=PostcodeFactory(lat=52.09, lon=5.12),
    )


def _match(candidate, leerbaan, status):
    return MatchFactory(candidate=candidate, leerbaan=leerbaan, status=status)


def _actor(target, consultant, werkgever):
    return werkgever if target in WERKGEVER_STATUSES else consultant


def test_transition_table_matches_the_issue():
    table = {(a, b) for a, targets in MATCH_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(MATCH_TRANSITIONS) == set(MatchStatus.values)
    assert {S.GEPLAATST, S.AFGEWEZEN, S.INGETROKKEN} == {
        s for s, targets in MATCH_TRANSITIONS.items() if not targets
    }


@pytest.mark.parametrize(("old", "new"), list(itertools.product(S.values, S.values)))
def test_every_transition_is_allowed_or_refused(
    old, new, candidate, leerbaan, consultant, werkgever
):
    match = _match(candidate, leerbaan, old)
    by = _actor(new, consultant, werkgever)
    if (old, new) in ALLOWED:
        changed = match_status_change(match=match, status=new, by=by)
        assert changed.status == new
        assert Match.objects.get(pk=match.pk).status == new
    else:
        with pytest.raises(ValidationError) as excinfo:
            match_status_change(match=match, status=new, by=by)
        message = " ".join(excinfo.value.messages)
        assert str(S(old).label) in message
        assert str(S(new).label) in message
        assert Match.objects.get(pk=match.pk).status == old
        assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
def test_the_other_party_may_not_make_the_change(
    old, new, candidate, leerbaan, consultant, werkgever
):
    match = _match(candidate, leerbaan, old)
    wrong = consultant if new in WERKGEVER_STATUSES else werkgever
    with pytest.raises(PermissionDenied):
        match_status_change(match=match, status=new, by=wrong)
    assert Match.objects.get(pk=match.pk).status == old


@pytest.mark.parametrize(
    "outsider",
    [
        lambda: UserFactory(),  # another gemeente
        lambda: UserFactory(organisation=OrganisationFactory(uwv=True)),
        lambda: UserFactory(organisation=OrganisationFactory(werkgever=True)),
        lambda: UserFactory(organisation=OrganisationFactory(school=True)),
        lambda: UserFactory(organisation=None),
    ],
)
def test_outsiders_are_refused(outsider, candidate, leerbaan):
    match = _match(candidate, leerbaan, S.VOORGEDRAGEN)
    user = outsider()
    for status in (S.UITGENODIGD, S.INGETROKKEN):
        with pytest.raises(PermissionDenied):
            match_status_change(match=match, status=status, by=user)
    with pytest.raises(PermissionDenied):
        match_propose(candidate=candidate, leerbaan=leerbaan, by=user)


def test_unknown_status_is_refused(candidate, leerbaan, werkgever):
    match = _match(candidate, leerbaan, S.VOORGEDRAGEN)
    with pytest.raises(ValidationError):
        match_status_change(match=match, status="", by=werkgever)


def test_propose_creates_the_match_with_score_and_reasons(
    candidate, leerbaan, consultant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        match = match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    match.refresh_from_db()
    assert match.status == S.VOORGEDRAGEN
    assert 0 < match.score <= 100
    assert match.reasons[1] == f"Gewenste kwalificatie: {leerbaan.kwalificatie}"
    messages = {m.organisation: m for m in OutboxMessage.objects.all()}
    assert set(messages) == {candidate.organisation, leerbaan.leerbedrijf.organisation}
    assert len(callbacks) == 2
    to_werkgever = messages[leerbaan.leerbedrijf.organisation]
    assert to_werkgever.event == "match.voorgedragen"
    assert to_werkgever.to_email == leerbaan.leerbedrijf.organisation.email
    assert candidate.last_name in to_werkgever.body
    assert match.reasons[0] in to_werkgever.body
    assert leerbaan.titel in to_werkgever.subject


def test_propose_updates_a_suggested_match(candidate, leerbaan, consultant):
    existing = MatchFactory(candidate=candidate, leerbaan=leerbaan, score=1.0, reasons=["oud"])
    match = match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert match.pk == existing.pk
    existing.refresh_from_db()
    assert existing.status == S.VOORGEDRAGEN
    assert existing.score > 1.0
    assert existing.reasons != ["oud"]


def test_propose_twice_is_refused(candidate, leerbaan, consultant):
    match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    with pytest.raises(ValidationError):
        match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert OutboxMessage.objects.count() == 2


def test_propose_without_consent_is_refused(candidate, leerbaan, consultant):
    Candidate.objects.filter(pk=candidate.pk).update(consent_given_at=None)
    candidate.refresh_from_db()
    with pytest.raises(ValidationError, match="toestemming"):
        match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert not Match.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "breaks",
    [
        lambda c, lb: Leerbaan.objects.filter(pk=lb.pk).update(status=LeerbaanStatus.GESLOTEN),
        lambda c, lb: Erkenning.objects.filter(leerbedrijf=lb.leerbedrijf).delete(),
        lambda c, lb: Candidate.objects.filter(pk=c.pk).update(route=Route.CERTIFICAAT),
        lambda c, lb: c.wished_kwalificaties.set([KwalificatieFactory()]),
        lambda c, lb: Candidate.objects.filter(pk=c.pk).update(
            postcode=PostcodeFactory(lat=53.2, lon=6.5)
        ),
    ],
    ids=["gesloten", "not erkend", "route", "not wished", "too far"],
)
def test_propose_refused_when_a_hard_rule_fails(breaks, candidate, leerbaan, consultant):
    breaks(candidate, leerbaan)
    candidate.refresh_from_db()
    with pytest.raises(ValidationError):
        match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    assert not Match.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_propose_refused_when_no_place_left(candidate, leerbaan, consultant):
    for _ in range(leerbaan.places):
        MatchFactory(leerbaan=leerbaan, status=S.GEPLAATST)
    with pytest.raises(ValidationError, match="geen plaatsen"):
        match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)


def test_placement_needs_a_place_and_fills_the_leerbaan(candidate, leerbaan, werkgever):
    MatchFactory(leerbaan=leerbaan, status=S.GEPLAATST)
    match = _match(candidate, leerbaan, S.UITGENODIGD)
    other = _match(CandidateFactory(), leerbaan, S.UITGENODIGD)
    match_status_change(match=match, status=S.GEPLAATST, by=werkgever)
    leerbaan.refresh_from_db()
    assert leerbaan.status == LeerbaanStatus.VERVULD
    with pytest.raises(ValidationError, match="geen plaatsen"):
        match_status_change(match=other, status=S.GEPLAATST, by=werkgever)
    assert Match.objects.get(pk=other.pk).status == S.UITGENODIGD


def test_placement_with_places_left_keeps_the_leerbaan_open(candidate, leerbaan, werkgever):
    match = _match(candidate, leerbaan, S.UITGENODIGD)
    match_status_change(match=match, status=S.GEPLAATST, by=werkgever)
    leerbaan.refresh_from_db()
    assert leerbaan.status == LeerbaanStatus.OPEN


@pytest.mark.parametrize(
    ("old", "new", "werkgever_told"),
    [
        (S.VOORGESTELD, S.INGETROKKEN, False),
        (S.VOORGEDRAGEN, S.INGETROKKEN, True),
        (S.VOORGEDRAGEN, S.UITGENODIGD, True),
        (S.VOORGEDRAGEN, S.AFGEWEZEN, True),
        (S.UITGENODIGD, S.GEPLAATST, True),
    ],
)
def test_every_change_tells_the_consultant_and_the_involved_werkgever(
    old,
    new,
    werkgever_told,
    candidate,
    leerbaan,
    consultant,
    werkgever,
    django_capture_on_commit_callbacks,
):
    match = _match(candidate, leerbaan, old)
    with django_capture_on_commit_callbacks() as callbacks:
        match_status_change(match=match, status=new, by=_actor(new, consultant, werkgever))
    expected = {candidate.organisation}
    if werkgever_told:
        expected.add(werkgever.organisation)
    messages = list(OutboxMessage.objects.all())
    assert {m.organisation for m in messages} == expected
    assert len(callbacks) == len(expected)
    assert all(m.event == f"match.{new}" for m in messages)
    assert len({m.idempotency_key for m in messages}) == len(messages)
    to_consultant = next(m for m in messages if m.organisation == candidate.organisation)
    assert str(S(new).label) in to_consultant.body
    assert candidate.last_name in to_consultant.body


def test_a_whole_journey_never_puts_the_bsn_in_a_message_or_log(
    candidate, leerbaan, consultant, werkgever, caplog
):
    caplog.set_level(logging.DEBUG)
    match = match_propose(candidate=candidate, leerbaan=leerbaan, by=consultant)
    match_status_change(match=match, status=S.UITGENODIGD, by=werkgever)
    match_status_change(match=match, status=S.GEPLAATST, by=werkgever)
    messages = list(OutboxMessage.objects.all())
    assert len(messages) == 6
    assert len({m.idempotency_key for m in messages}) == 6
    for message in messages:
        assert BSN not in message.subject
        assert BSN not in message.body
    for record in caplog.records:
        text = record.getMessage()
        assert BSN not in text
        assert candidate.last_name not in text


def test_register_a_candidate(consultant):
    kwalificatie = KwalificatieFactory()
    dossier = KwalificatiedossierFactory()
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "bsn": BSN,
        "email": "",
        "phone": "",
        "postcode": PostcodeFactory(),
        "wished_kwalificaties": [kwalificatie],
        "wished_dossiers": [dossier],
        "route": Route.PRAKTIJKVERKLARING,
        "max_travel_km": 30,
        "hours_per_week": 24,
        "earliest_start_date": dt.date(2027, 3, 1),
        "work_experience": "",
        "earlier_education": "",
        "consent": True,
    }
    candidate = candidate_register(
        organisation=consultant.organisation, consultant=consultant, data=data
    )
    assert candidate.organisation == consultant.organisation
    assert candidate.consent_given_at is not None
    assert list(candidate.wished_kwalificaties.all()) == [kwalificatie]
    assert list(candidate.wished_dossiers.all()) == [dossier]

    with pytest.raises(PermissionDenied):
        candidate_register(
            organisation=OrganisationFactory(werkgever=True), consultant=consultant, data=data
        )
    with pytest.raises(ValidationError):
        candidate_register(
            organisation=consultant.organisation,
            consultant=consultant,
            data={**data, "wished_kwalificaties": [], "wished_dossiers": []},
        )
    without_consent = candidate_register(
        organisation=consultant.organisation,
        consultant=consultant,
        data={**data, "consent": False},
    )
    assert without_consent.consent_given_at is None


def test_consultant_statuses_and_werkgever_statuses_cover_every_target():
    targets = {b for targets in MATCH_TRANSITIONS.values() for b in targets}
    assert targets == CONSULTANT_STATUSES | WERKGEVER_STATUSES
    assert not CONSULTANT_STATUSES & WERKGEVER_STATUSES
