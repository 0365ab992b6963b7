"""Progress of a running enrolment (``trajecten.progress``): werkprocessen confirmed by the
praktijkopleider or the school, lessons and exams, the check-ins planned at the start and
recorded, the daily signal of risks and missed check-ins (once), completing with the date
behaald, and the consultant told why an enrolment stopped."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from opleidingen.constants import Route
from praktijkleren.notifications.models import Event, OutboxMessage
from praktijkleren.workflow import TransitionRefused
from tests.trajecten.factories import make_ready
from tests.trajecten.programme_world import build
from trajecten import programmes, progress, services
from trajecten.constants import ConfirmedRole, EnrolmentStatus
from trajecten.models import CheckIn, Enrolment, ProgrammeItem, Result
from trajecten.progress_forms import CheckInForm, OutcomeForm
from trajecten.tasks import checkins_signal_task

pytestmark = pytest.mark.django_db
E = EnrolmentStatus
TODAY = timezone.localdate
DAY = dt.timedelta(days=1)


def _with_programme(route=Route.DIPLOMA, **kwargs):
    w = build(route=route, **kwargs)
    programmes.programme_set(
        enrolment=w.enrolment,
        by=w.school,
        werkprocessen=w.werkprocessen if route == Route.PRAKTIJKVERKLARING else None,
    )
    w.items = list(w.enrolment.programme.filter(werkproces__isnull=False))
    return w


# --- werkprocessen confirmed ------------------------------------------------------------------


def test_the_praktijkopleider_and_the_school_confirm_werkprocessen():
    w = _with_programme()
    progress.werkproces_confirm(enrolment=w.enrolment, by=w.werkgever, item=w.items[0], on=TODAY())
    progress.werkproces_confirm(
        enrolment=w.enrolment, by=w.school, item=w.items[1], on=w.enrolment.start_date
    )
    first, second = (ProgrammeItem.objects.get(pk=i.pk) for i in w.items[:2])
    assert (first.confirmed_role, first.confirmed_by, first.confirmed_on) == (
        ConfirmedRole.PRAKTIJKOPLEIDER,
        w.werkgever,
        TODAY(),
    )
    assert second.confirmed_role == ConfirmedRole.SCHOOL
    summary = progress.progress_summary(enrolment=w.enrolment)
    assert (summary.confirmed, summary.total) == (2, 3)
    with pytest.raises(TransitionRefused, match="al bevestigd"):
        progress.werkproces_confirm(enrolment=w.enrolment, by=w.school, item=w.items[0], on=TODAY())


def test_a_confirmation_is_refused_for_others_dates_and_states():
    w = _with_programme()
    item = w.items[0]
    for user in (w.consultant, w.strangers["werkgever"], w.strangers["school"]):
        with pytest.raises(TransitionRefused) as refused:
            progress.werkproces_confirm(enrolment=w.enrolment, by=user, item=item, on=TODAY())
        assert refused.value.code == "role"
    with pytest.raises(TransitionRefused, match="toekomst"):
        progress.werkproces_confirm(enrolment=w.enrolment, by=w.school, item=item, on=TODAY() + DAY)
    with pytest.raises(TransitionRefused, match="vóór de start"):
        progress.werkproces_confirm(
            enrolment=w.enrolment, by=w.school, item=item, on=w.enrolment.start_date - DAY
        )
    generic = w.enrolment.programme.filter(werkproces__isnull=True).first()
    with pytest.raises(TransitionRefused, match="Alleen een werkproces"):
        progress.werkproces_confirm(enrolment=w.enrolment, by=w.school, item=generic, on=TODAY())
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused) as refused:
        progress.werkproces_confirm(enrolment=w.enrolment, by=w.school, item=item, on=TODAY())
    assert refused.value.code == "state"
    assert not ProgrammeItem.objects.filter(confirmed_on__isnull=False).exists()


# --- lessons and exams ------------------------------------------------------------------------


def test_the_school_records_lessons_and_exams():
    w = build(route=Route.CERTIFICAAT)
    progress.result_record(
        enrolment=w.enrolment,
        by=w.school,
        kind="les",
        name="Hygiëne",
        passed=True,
        result_date=TODAY(),
    )
    progress.result_record(
        enrolment=w.enrolment,
        by=w.school,
        kind="examen",
        name="Proeve",
        passed=False,
        result_date=TODAY() - DAY,
    )
    assert Result.objects.filter(enrolment=w.enrolment).count() == 2
    summary = progress.progress_summary(enrolment=w.enrolment)
    assert (summary.passed, summary.results) == (1, 2)


def test_results_are_refused_for_others_dates_states_and_a_praktijkverklaring_exam():
    w = build(route=Route.DIPLOMA)
    base = {"kind": "les", "name": "Rekenen", "passed": True, "result_date": TODAY()}
    for user in (w.werkgever, w.consultant, w.strangers["school"]):
        with pytest.raises(TransitionRefused) as refused:
            progress.result_record(enrolment=w.enrolment, by=user, **base)
        assert refused.value.code == "role"
    for change, message in (
        ({"result_date": TODAY() + DAY}, "toekomst"),
        ({"result_date": w.enrolment.start_date - DAY}, "vóór de start"),
        ({"name": "  "}, "Noem"),
        ({"kind": "stage"}, "les of examen"),
    ):
        with pytest.raises(TransitionRefused, match=message):
            progress.result_record(enrolment=w.enrolment, by=w.school, **{**base, **change})
    pv = build(route=Route.PRAKTIJKVERKLARING)
    with pytest.raises(TransitionRefused, match="geen examen"):
        progress.result_record(enrolment=pv.enrolment, by=pv.school, **{**base, "kind": "examen"})
    done = build(route=Route.DIPLOMA, status=E.GEACCEPTEERD)
    with pytest.raises(TransitionRefused) as refused:
        progress.result_record(enrolment=done.enrolment, by=done.school, **base)
    assert refused.value.code == "state"
    assert not Result.objects.exists()


# --- check-ins --------------------------------------------------------------------------------


def test_the_start_plans_three_check_ins():
    w = build(status=E.GEACCEPTEERD, start_days_ago=0)
    make_ready(w.enrolment)
    services.enrolment_start(enrolment=w.enrolment, by=w.school)
    due = list(CheckIn.objects.filter(enrolment=w.enrolment).values_list("day", "due_on"))
    start = w.enrolment.start_date
    assert due == [(d, start + dt.timedelta(days=d)) for d in (30, 60, 90)]


def _checkins(w):
    return services.checkins_create(enrolment=w.enrolment)


def test_school_and_consultant_record_a_check_in():
    w = build()
    first, second, _third = _checkins(w)
    progress.checkin_record(
        enrolment=w.enrolment,
        by=w.school,
        checkin=first,
        held_on=TODAY(),
        with_leerbedrijf=True,
        with_candidate=True,
        risk=False,
        note="Gaat goed.",
    )
    progress.checkin_record(
        enrolment=w.enrolment,
        by=w.consultant,
        checkin=second,
        held_on=TODAY(),
        with_leerbedrijf=False,
        with_candidate=True,
        risk=True,
        note="Vervoer lastig.",
    )
    first, second = CheckIn.objects.get(pk=first.pk), CheckIn.objects.get(pk=second.pk)
    assert (first.held_on, first.with_leerbedrijf, first.recorded_by) == (TODAY(), True, w.school)
    assert (second.risk, second.recorded_by) == (True, w.consultant)


def test_a_check_in_is_refused_for_others_dates_and_states():
    w = build()
    checkin = _checkins(w)[0]
    fields = {"with_leerbedrijf": True, "with_candidate": True, "risk": False}
    for user in (w.werkgever, w.strangers["consultant"], w.strangers["school"]):
        with pytest.raises(TransitionRefused) as refused:
            progress.checkin_record(
                enrolment=w.enrolment, by=user, checkin=checkin, held_on=TODAY(), **fields
            )
        assert refused.value.code == "role"
    for held_on in (TODAY() + DAY, w.enrolment.start_date - DAY):
        with pytest.raises(TransitionRefused):
            progress.checkin_record(
                enrolment=w.enrolment, by=w.school, checkin=checkin, held_on=held_on, **fields
            )
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=E.AFGEROND)
    with pytest.raises(TransitionRefused) as refused:
        progress.checkin_record(
            enrolment=w.enrolment, by=w.school, checkin=checkin, held_on=TODAY(), **fields
        )
    assert refused.value.code == "state"
    assert CheckIn.objects.get(pk=checkin.pk).held_on is None


def _signals(w):
    return OutboxMessage.objects.filter(
        kind="enrolment.checkin_signal", user=w.consultant
    ).order_by("pk")


def test_a_risk_is_signalled_to_the_consultant_once():
    w = build()
    candidate = w.enrolment.candidate
    candidate.bsn = "111222333"
    candidate.save(update_fields=["bsn_encrypted", "bsn_index"])
    checkin = _checkins(w)[0]
    progress.checkin_record(
        enrolment=w.enrolment,
        by=w.school,
        checkin=checkin,
        held_on=TODAY(),
        with_leerbedrijf=True,
        with_candidate=False,
        risk=True,
        note="Ziek gemeld, BSN nergens.",
    )
    # At once, not only at the next daily run.
    assert CheckIn.objects.get(pk=checkin.pk).signalled_at is not None
    assert _signals(w).count() == 1
    assert checkins_signal_task() == 0
    (message,) = _signals(w)
    assert str(w.enrolment.candidate) in message.subject
    assert "probleem" in message.body
    assert "111222333" not in message.body + message.subject + message.body_html
    assert "Ziek gemeld" not in message.body  # the note stays on the page
    # The school, which recorded it, hears nothing from the signal.
    assert not OutboxMessage.objects.filter(
        kind="enrolment.checkin_signal", organisation=w.school.organisation
    ).exists()
    assert checkins_signal_task() == 0
    assert _signals(w).count() == 1


def test_a_missed_check_in_is_signalled_after_14_days_once():
    w = build(start_days_ago=0)
    first = _checkins(w)[0]
    due = first.due_on
    assert progress.checkins_signal(today=due + dt.timedelta(days=14)) == 0
    assert progress.checkins_signal(today=due + dt.timedelta(days=15)) == 1
    (message,) = _signals(w)
    assert "nog niet vastgelegd" in message.body
    assert progress.checkins_signal(today=due + dt.timedelta(days=16)) == 0
    assert Event.objects.filter(type="enrolment.checkin_signal").count() == 1


def test_held_check_ins_without_risk_and_ended_enrolments_are_not_signalled():
    w = build(start_days_ago=0)
    first, second, third = _checkins(w)
    progress.checkin_record(
        enrolment=w.enrolment,
        by=w.school,
        checkin=first,
        held_on=TODAY(),
        with_leerbedrijf=True,
        with_candidate=True,
        risk=False,
    )
    CheckIn.objects.filter(pk__in=[second.pk, third.pk]).update(risk=True, held_on=TODAY())
    Enrolment.objects.filter(pk=w.enrolment.pk).update(status=E.GESTOPT, end_reason="overig")
    assert progress.checkins_signal(today=TODAY() + dt.timedelta(days=200)) == 0


# --- completing -------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [Route.CERTIFICAAT, Route.DIPLOMA])
def test_completing_a_certificaat_or_diploma_asks_the_date_behaald(route):
    w = build(route=route)
    for outcome_date, message in (
        (None, "Vul de datum"),
        (TODAY() + DAY, "toekomst"),
        (w.enrolment.start_date - DAY, "vóór de start"),
    ):
        with pytest.raises(TransitionRefused, match=message):
            services.enrolment_complete(
                enrolment=w.enrolment, by=w.school, outcome_date=outcome_date
            )
        assert Enrolment.objects.get(pk=w.enrolment.pk).status == E.GESTART
    with pytest.raises(TransitionRefused) as refused:  # the role comes before the date
        services.enrolment_complete(enrolment=w.enrolment, by=w.consultant, outcome_date=None)
    assert refused.value.code == "role"
    services.enrolment_complete(enrolment=w.enrolment, by=w.school, outcome_date=TODAY())
    enrolment = Enrolment.objects.get(pk=w.enrolment.pk)
    assert (enrolment.status, enrolment.outcome_date) == (E.AFGEROND, TODAY())
    assert progress.progress_summary(enrolment=enrolment).outcome_date == TODAY()
    message = OutboxMessage.objects.filter(kind="enrolment.completed", user=w.consultant).get()
    assert "Behaald op" in message.body


def test_completing_a_praktijkverklaring_needs_a_confirmed_werkproces():
    w = _with_programme(route=Route.PRAKTIJKVERKLARING)
    with pytest.raises(TransitionRefused, match="bevestigd werkproces") as refused:
        services.enrolment_complete(enrolment=w.enrolment, by=w.school)
    assert refused.value.code == "rule"
    progress.werkproces_confirm(enrolment=w.enrolment, by=w.werkgever, item=w.items[0], on=TODAY())
    services.enrolment_complete(enrolment=w.enrolment, by=w.school, outcome_date=TODAY())
    enrolment = Enrolment.objects.get(pk=w.enrolment.pk)
    assert enrolment.status == E.AFGEROND
    assert enrolment.outcome_date is None  # the praktijkverklaring's issue sets it


def test_the_complete_form_asks_the_date_only_on_certificaat_and_diploma():
    diploma = build(route=Route.DIPLOMA).enrolment
    assert "outcome_date" in OutcomeForm(obj=diploma).fields
    form = OutcomeForm({"outcome_date": (TODAY() + DAY).isoformat()}, obj=diploma)
    assert not form.is_valid()
    assert "outcome_date" in form.errors
    pv = build(route=Route.PRAKTIJKVERKLARING).enrolment
    assert OutcomeForm({}, obj=pv).is_valid()


def test_the_complete_page_shows_the_date_field_and_completes(client):
    w = build(route=Route.DIPLOMA)
    url = reverse(
        "trajecten:enrolment_transition", kwargs={"pk": w.enrolment.pk, "transition": "complete"}
    )
    client.force_login(w.school)
    assert 'name="outcome_date"' in client.get(url).content.decode()
    response = client.post(url, {"outcome_date": "2999-01-01"})
    assert response.status_code == 200  # the form again, with the error at the field
    client.post(url, {"outcome_date": TODAY().isoformat()})
    assert Enrolment.objects.get(pk=w.enrolment.pk).status == E.AFGEROND
    page = client.get(w.enrolment.get_absolute_url()).content.decode()
    assert "Behaald op" in page


# --- uitval -----------------------------------------------------------------------------------


def test_the_consultant_is_told_why_the_school_stopped_the_enrolment():
    w = build()
    services.enrolment_stop(
        enrolment=w.enrolment, by=w.school, reason_code="gezondheid", reason="Lang ziek."
    )
    message = OutboxMessage.objects.filter(kind="enrolment.stopped", user=w.consultant).get()
    assert "Reden: Gezondheid" in message.body
    assert "Lang ziek." in message.body


# --- the progress page ------------------------------------------------------------------------


def test_the_progress_page_for_werkgever_school_and_consultant(client):
    w = _with_programme()
    checkin = _checkins(w)[0]
    url = reverse("trajecten:progress", kwargs={"pk": w.enrolment.pk})
    client.force_login(w.werkgever)
    page = client.get(url).content.decode()
    assert "0 van 3 werkprocessen bevestigd" in page
    assert w.enrolment.candidate.last_name not in page
    target = w.items[0].pk
    client.post(url, {"action": "confirm", "target": target, f"wp{target}-on": TODAY().isoformat()})
    assert ProgrammeItem.objects.get(pk=target).confirmed_role == ConfirmedRole.PRAKTIJKOPLEIDER
    # The werkgever records no check-in and no result.
    client.post(
        url, {"action": "checkin", "target": checkin.pk, f"ci{checkin.pk}-held_on": TODAY()}
    )
    assert CheckIn.objects.get(pk=checkin.pk).held_on is None
    client.force_login(w.consultant)
    response = client.post(
        url,
        {
            "action": "checkin",
            "target": checkin.pk,
            f"ci{checkin.pk}-held_on": TODAY().isoformat(),
            f"ci{checkin.pk}-with_candidate": "on",
            f"ci{checkin.pk}-risk": "on",
            f"ci{checkin.pk}-note": "Let op.",
        },
    )
    assert response.status_code == 302
    assert CheckIn.objects.get(pk=checkin.pk).risk is True
    client.force_login(w.school)
    response = client.post(
        url,
        {"action": "result", "kind": "les", "name": "Rekenen", "passed": "1", "result_date": "x"},
    )
    assert response.status_code == 200  # the error at the field
    client.post(
        url,
        {
            "action": "result",
            "kind": "les",
            "name": "Rekenen",
            "passed": "0",
            "result_date": TODAY().isoformat(),
        },
    )
    assert Result.objects.get(enrolment=w.enrolment).passed is False
    detail = client.get(w.enrolment.get_absolute_url()).content.decode()
    assert "1 van 3 bevestigd" in detail


def test_beat_runs_the_check_in_signal_daily():
    from django.conf import settings

    from praktijkleren.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["checkins-signal"]
    assert entry["task"] == "trajecten.checkins_signal"
    assert entry["task"] in app.tasks


def test_a_check_in_names_who_took_part():
    w = build()
    data = {"held_on": TODAY().isoformat(), "note": ""}
    form = CheckInForm(data, enrolment=w.enrolment)
    assert not form.is_valid()
    assert "met wie het gesprek was" in form.errors["with_leerbedrijf"][0]
    assert CheckInForm({**data, "with_candidate": "on"}, enrolment=w.enrolment).is_valid()
