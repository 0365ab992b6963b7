"""django-auditlog's change entries outlive an erasure (append-only), so they hold no personal
value of a candidate: masked fields and a neutral ``object_repr`` (issue 9, erasure)."""

import pytest
from auditlog.models import LogEntry

from candidates.audit import CANDIDATE_PERSONAL_FIELDS
from candidates.models import Candidate
from tests.accounts.factories import UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.trajecten.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _latest(instance):
    return LogEntry.objects.get_for_object(instance).order_by("-pk").first()


def test_a_candidates_changed_name_and_phone_are_masked_in_the_log():
    candidate = CandidateFactory(consultant=UserFactory(), first_name="Gerrit")
    candidate.first_name = "Gerritje"
    candidate.last_name = "Bastiaanse"
    candidate.phone = "+31 6 75176844"
    candidate.birth_place = "Zwolle"
    candidate.save()

    entry = _latest(candidate)

    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["first_name"] == ["*********", "*********"]
    assert entry.changes_dict["phone"][1] == "*********"
    text = str(entry.changes) + entry.object_repr + str(entry.serialized_data)
    for value in ("Gerrit", "Bastiaanse", "75176844", "Zwolle"):
        assert value not in text
    assert entry.object_repr == f"kandidaat {candidate.pk}"


def test_a_new_candidates_entry_names_no_one():
    candidate = CandidateFactory(consultant=UserFactory(), first_name="Gerrit")
    entry = LogEntry.objects.get_for_object(candidate).get(action=LogEntry.Action.CREATE)
    assert entry.object_repr == f"kandidaat {candidate.pk}"
    assert "Gerrit" not in str(entry.changes)


def test_every_personal_field_of_the_candidate_is_masked():
    from auditlog.registry import auditlog

    masked = set(auditlog.get_model_fields(Candidate)["mask_fields"])
    assert masked == set(CANDIDATE_PERSONAL_FIELDS)
    assert {"first_name", "last_name", "email", "phone", "birth_date", "birth_place"} <= masked
    assert {"work_experience", "earlier_education", "bsn_encrypted", "bsn_index"} <= masked


def test_voordracht_and_enrolment_entries_hold_no_candidate_text_or_name():
    candidate = CandidateFactory(consultant=UserFactory(), first_name="Gerrit")
    voordracht = VoordrachtFactory(candidate=candidate)
    voordracht.motivation = "Gerrit is een harde werker, bel 06-75176844"
    voordracht.interview_message = "Gerrit komt om 10 uur"
    voordracht.save()
    enrolment = EnrolmentFactory(candidate=candidate)

    entry = _latest(voordracht)
    assert entry.changes_dict["motivation"][1] == "*********"
    assert "Gerrit" not in str(entry.changes) + entry.object_repr
    assert entry.object_repr == f"voordracht {voordracht.pk}"
    assert _latest(enrolment).object_repr == f"inschrijving {enrolment.pk}"
