"""A candidate with a full history, for the retention, erasure and inzage tests: every table
that holds personal text about a candidate has a row with the candidate's name in it."""

import datetime as dt

from django.utils import timezone

from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import CandidateTransition, VoordrachtRequest, VoordrachtTransition
from praktijkleren.notifications.constants import Channel, OutboxStatus
from praktijkleren.notifications.models import Event, Notification, OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.trajecten.factories import EnrolmentFactory, make_ready
from trajecten.constants import EnrolmentStatus, ResultKind, VrijstellingGround
from trajecten.models import (
    CheckIn,
    EnrolmentTransition,
    Praktijkverklaring,
    Result,
    Vrijstelling,
)

BSN = "111222333"
# More valid BSNs (11-proef), for more candidates of one organisation.
OTHER_BSNS = [
    "100000009",
    "100000010",
    "100000022",
    "100000034",
    "100000046",
    "100000058",
    "100000071",
    "100000083",
    "100000095",
    "100000101",
]
NAME = "Zwaantje"  # the first name; every personal text below holds it
LAST = "Retentievogel"


def candidate_with_history(
    consultant,
    *,
    status: str = CandidateStatus.AFGEROND,
    ended_days_ago: int = 800,
    was_active: bool = True,
    enrolment: bool = True,
    bsn: str = BSN,
):
    """A candidate of ``consultant``'s organisation in final ``status``, reached
    ``ended_days_ago`` days ago (its ``CandidateTransition``), with personal data everywhere:
    profile, transitions' reasons, a voordracht (motivation, interview, decline text), a
    request, and (``enrolment``) an afgerond enrolment with POK, OOK, vrijstelling, result,
    check-in note, praktijkverklaring, and an event told by e-mail and in the portal. An
    organisation registers a BSN once: a second candidate of the same organisation needs
    another ``bsn``."""
    now = timezone.now()
    ended = now - dt.timedelta(days=ended_days_ago)
    candidate = CandidateFactory(
        consultant=consultant,
        first_name=NAME,
        last_name=LAST,
        bsn=bsn,
        email="zwaantje@example.nl",
        phone="0612345678",
        birth_date=dt.date(1990, 3, 14),
        birth_place="Breda",
        work_experience=f"{NAME} werkte tien jaar in een magazijn.",
        earlier_education=f"{NAME}: vmbo-kader",
        status=status,
        end_reason="" if status == CandidateStatus.AFGEROND else "persoonlijk",
    )
    states = ["aangemeld"]
    if was_active:
        states.append("actief")
    states.append(status)
    for i, (source, target) in enumerate(zip(["", *states], states, strict=False)):
        CandidateTransition.objects.create(
            candidate=candidate,
            transition="t",
            from_state=source,
            to_state=target,
            reason=f"Gesprek met {NAME}",
            at=ended - dt.timedelta(days=len(states) - 1 - i),
        )
    voordracht = VoordrachtFactory(
        candidate=candidate,
        status=VoordrachtStatus.AFGEWEZEN,
        decline_reason="gesprek",
        decline_message=f"{NAME} kwam te laat.",
        motivation=f"{NAME} is gemotiveerd.",
        interview_place="Kantoor Breda",
        interview_message=f"Beste {NAME}, welkom.",
    )
    VoordrachtTransition.objects.create(
        voordracht=voordracht,
        transition="decline",
        from_state="uitgenodigd",
        to_state="afgewezen",
        reason=f"{NAME} paste niet",
        at=ended,
    )
    werkgever = voordracht.leerbaan.leerbedrijf.organisation
    VoordrachtRequest.objects.create(
        candidate=candidate,
        leerbaan=voordracht.leerbaan,
        requested_by=UserFactory(organisation=werkgever),
        message=f"Mogen we {NAME} spreken?",
        answered_at=ended,
        answer=f"{NAME} wil niet.",
    )
    if enrolment:
        school = UserFactory(organisation=OrganisationFactory(school=True))
        e = EnrolmentFactory(
            candidate=candidate,
            status=EnrolmentStatus.AFGEROND,
            start_date=ended.date() - dt.timedelta(days=300),
            outcome_date=ended.date(),
            instelling__organisation=school.organisation,
        )
        make_ready(e)
        EnrolmentTransition.objects.create(
            enrolment=e,
            transition="complete",
            from_state="gestart",
            to_state="afgerond",
            reason=f"{NAME} rondde af",
            at=ended,
        )
        e.praktijkovereenkomst.guidance = f"{NAME} krijgt elke week begeleiding."
        e.praktijkovereenkomst.save()
        Vrijstelling.objects.create(
            enrolment=e,
            onderdeel="Rekenen",
            ground=VrijstellingGround.WERKERVARING,
            explanation=f"{NAME} rekent al jaren.",
            granted_on=ended.date(),
            created_by=school,
        )
        Result.objects.create(
            enrolment=e,
            kind=ResultKind.EXAMEN,
            name="Proeve",
            passed=True,
            result_date=ended.date(),
            created_by=school,
        )
        CheckIn.objects.create(
            enrolment=e,
            day=30,
            due_on=ended.date(),
            held_on=ended.date(),
            note=f"{NAME} zit niet lekker in haar vel.",
            risk=True,
        )
        Praktijkverklaring.objects.create(
            enrolment=e,
            number=f"PV-2024-{e.pk:06d}",
            check_code="ABCDEFGH",
            issued_on=ended.date(),
            issued_by=school,
            content={
                "number": "PV",
                "candidate": {
                    "name": f"{NAME} {LAST}",
                    "birth_date": "1990-03-14",
                    "birth_place": "Breda",
                },
            },
        )
        event = Event.objects.create(
            type="enrolment.completed",
            subject_type="enrolment",
            subject_id=e.pk,
            version=1,
            path="/",
        )
        OutboxMessage.objects.create(
            event=event,
            channel=Channel.EMAIL,
            organisation=consultant.organisation,
            user=consultant,
            kind=event.type,
            idempotency_key=f"k{e.pk}",
            to_email=consultant.email,
            subject=f"{NAME} {LAST} heeft afgerond",
            body=f"{NAME} {LAST} heeft de opleiding afgerond.",
            body_html=f"<p>{NAME}</p>",
            status=OutboxStatus.SENT,
            sent_at=ended,
        )
        Notification.objects.create(
            user=consultant, event=event, title=f"{NAME} {LAST} heeft afgerond"
        )
    return candidate
