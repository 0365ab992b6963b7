"""The text, phone and date rules of the portal's forms (issue 9, "bad input"), and that a
request refused by validation leaves nothing half-made."""

import datetime as dt
import importlib
import inspect

import pytest
from auditlog.models import LogEntry
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates import services
from candidates.forms import CandidateForm, InviteForm
from candidates.models import Candidate, CandidateTransition
from leerbedrijven.forms import ContactPersonForm
from leerbedrijven.leerbaan_forms import LeerbaanForm
from opleidingen.forms import StartMomentForm
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.ui.forms import LoginForm, TextRulesMixin
from praktijkleren.validators import (
    FREE_TEXT_MAX_CHARS,
    date_within,
    no_control_characters,
    no_control_characters_multiline,
)
from tests.accounts.factories import UserFactory
from tests.geo.factories import PostcodeFactory
from tests.leerbedrijven.factories import LeerbedrijfFactory
from tests.opleidingen.factories import KwalificatieFactory
from tests.trajecten.factories import EnrolmentFactory
from trajecten import progress_forms
from trajecten.forms import PraktijkovereenkomstForm
from trajecten.models import Praktijkovereenkomst

FORM_MODULES = [
    "candidates.forms",
    "leerbedrijven.forms",
    "leerbedrijven.leerbaan_forms",
    "opleidingen.forms",
    "trajecten.forms",
    "trajecten.progress_forms",
    "praktijkleren.ui.transitions",
    "praktijkleren.notifications.forms",
    "praktijkleren.ui.forms",
    "praktijkleren.accounts.forms",
]


# --- the validators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["a\x00b", "a\x07", "\x1b[31m", "a\tb", "a\nb", "a\x85", "a\u2028"]
)
def test_a_one_line_text_refuses_control_characters(text):
    with pytest.raises(ValidationError) as refused:
        no_control_characters(text)
    assert refused.value.code == "control_character"


@pytest.mark.parametrize(
    "text",
    ["\u200b", "Anna\u200bBakker", "Bak\u202eker", "a\u2066b\u2069", "\ufeffAnna", "Jan\u00adsen"],
)
def test_a_one_line_text_refuses_format_characters(text):
    with pytest.raises(ValidationError) as refused:
        no_control_characters(text)
    assert refused.value.code == "format_character"


@pytest.mark.parametrize("text", [" ", "\u3164", " \u2800 ", "\u00a0\u3000"])
def test_a_one_line_text_refuses_a_value_with_nothing_visible(text):
    with pytest.raises(ValidationError) as refused:
        no_control_characters(text)
    assert refused.value.code == "invisible"


@pytest.mark.parametrize("text", ["", "Jörg Ñúñez", "山田 太郎", "O'Brien-de Vries", "محمد"])
def test_a_one_line_text_keeps_visible_names(text):
    no_control_characters(text)


@pytest.mark.parametrize("text", ["a\tb", "regel 1\r\nregel 2", "Jörg Ñúñez 山田 🙂"])
def test_a_multi_line_text_keeps_tabs_and_line_breaks(text):
    no_control_characters_multiline(text)


@pytest.mark.parametrize("text", ["a\x00b", "a\x0b", "\x1b[31m", "a\x7f", "a\u2029"])
def test_a_multi_line_text_refuses_other_control_characters(text):
    with pytest.raises(ValidationError):
        no_control_characters_multiline(text)


def test_a_date_out_of_range_is_refused_naming_both_limits():
    today = dt.date(2026, 6, 1)
    assert date_within(today, past_days=1, future_days=1, today=today) == today
    assert date_within(None, past_days=1, future_days=1) is None
    with pytest.raises(ValidationError, match="tussen 31 mei 2026 en 2 juni 2026"):
        date_within(dt.date(9999, 12, 31), past_days=1, future_days=1, today=today)


# --- every form takes the rules ---------------------------------------------------------------


def _portal_forms():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def test_every_portal_form_takes_the_text_rules():
    missing = [cls.__qualname__ for cls in _portal_forms() if not issubclass(cls, TextRulesMixin)]
    assert not missing
    assert issubclass(LoginForm, TextRulesMixin)


def test_a_text_field_without_bound_gets_one():
    class Free(TextRulesMixin, forms.Form):
        note = forms.CharField(widget=forms.Textarea, required=False)
        name = forms.CharField(max_length=10)

    form = Free({"note": "x" * (FREE_TEXT_MAX_CHARS + 1), "name": "a\tb"})
    assert not form.is_valid()
    assert "niet meer dan 2000" in form.errors["note"][0]
    assert "stuurteken" in form.errors["name"][0]
    assert Free({"note": "regel 1\nregel 2", "name": "Anna"}).is_valid()


# --- the candidate's intake -------------------------------------------------------------------


@pytest.fixture
def intake(db):
    PostcodeFactory(pc4="3511")
    kwalificatie = KwalificatieFactory()

    def data(**overrides):
        return {
            "first_name": "Sanne",
            "last_name": "de Vries",
            "postcode": "3511 AB",
            "wished_kwalificaties": [kwalificatie.pk],
            "route": "diploma",
            "max_travel_km": 20,
            "hours_per_week": 32,
            "earliest_start_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            **overrides,
        }

    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "San\x00ne", "Null"),
        ("first_name", "San\x07ne", "stuurteken"),
        ("last_name", "de\nVries", "regeleinde"),
        ("birth_place", "Zwolle\x1b", "stuurteken"),
        ("first_name", "\u200b", "onzichtbaar teken"),
        ("last_name", "Jansen\u202egnip", "richtingsteken"),
        ("last_name", "\u3164", "alleen uit spaties of onzichtbare tekens"),
        ("work_experience", "x" * 2001, "niet meer dan 2000"),
        ("earlier_education", "mbo\x0b2", "stuurteken"),
        ("phone", "bel me maar", "geen geldig telefoonnummer"),
        ("earliest_start_date", "9999-12-31", "Kies een datum tussen"),
    ],
)
def test_the_intake_refuses_bad_text_at_its_field(intake, field, value, message):
    form = CandidateForm(intake(**{field: value}))
    assert not form.is_valid()
    assert set(form.errors) == {field}
    assert message in " ".join(form.errors[field])


def test_the_intake_keeps_line_breaks_in_free_text(intake):
    form = CandidateForm(intake(work_experience="Kok, 2019–2023\r\n\tSouschef"))
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06-12345678", "+31 6 12345678"),
        ("+31 6 12345678", "+31 6 12345678"),
        ("030-1234567", "+31 30 123 4567"),
        ("0031 30 123 4567", "+31 30 123 4567"),
    ],
)
def test_the_intake_accepts_dutch_phone_numbers_and_normalises_them(intake, typed, stored):
    form = CandidateForm(intake(phone=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("06-12345678", "+31612345678"), ("030-1234567", "+31301234567")],
)
def test_a_contact_persons_phone_is_stored_in_e164(db, typed, stored):
    form = ContactPersonForm({"naam": "Anna", "functie": "HR", "telefoon": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["telefoon"] == stored


@pytest.mark.parametrize("typed", ["12345", "06-1234", "+31 6 123", "telefoon", "06\x0012345678"])
def test_a_contact_persons_bad_phone_is_refused_at_its_field(db, typed):
    form = ContactPersonForm({"naam": "Anna", "functie": "HR", "telefoon": typed})
    assert not form.is_valid()
    assert "telefoon" in form.errors


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2100-09-01"])
def test_a_start_moment_far_away_is_refused(day):
    form = StartMomentForm({"start_date": day, "capacity": 5})
    assert not form.is_valid()
    assert "Kies een datum tussen" in form.errors["start_date"][0]


def test_an_interview_more_than_a_year_ahead_is_refused():
    day = timezone.localdate() + dt.timedelta(days=400)
    form = InviteForm(
        {"interview_date": day.isoformat(), "interview_time": "10:00", "interview_place": "Hier"}
    )
    assert not form.is_valid()
    assert "binnen een jaar" in form.errors["interview_date"][0]


def _pok(**overrides):
    today = timezone.localdate()
    return {
        "period_start": (today + dt.timedelta(days=30)).isoformat(),
        "period_end": (today + dt.timedelta(days=30 + 2 * 365)).isoformat(),
        "hours_per_week": 24,
        "hours_spread": "ma–wo",
        "guidance": "De praktijkopleider, wekelijks",
        "onderdeel": "Kerntaak 1",
        "assessment": "Door de school",
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_start", "1900-01-01"),
        ("period_end", "9999-12-31"),
        ("signed_by_school", "1970-01-01"),
        ("guidance", "x" * 1001),
        ("assessment", "a\x00b"),
    ],
)
def test_a_pok_with_a_bad_field_is_refused_at_it(db, field, value):
    form = PraktijkovereenkomstForm(_pok(**{field: value}))
    assert not form.is_valid()
    assert set(form.errors) == {field}


# --- the programme and progress forms, fuzzed as forms ------------------------------------------

VALUES = st.one_of(
    st.just(""),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc"]), min_size=1, max_size=3),
    st.builds(lambda n: "x" * n, st.integers(2_001, 10_000)),
    st.sampled_from(["0", "-1", "9999-12-31", "0001-01-01", "2026-02-30"]),
)
PROGRESS_FORMS = [
    (progress_forms.KeuzedeelForm, False),
    (progress_forms.CandidateAgreementForm, False),
    (progress_forms.VrijstellingForm, True),
    (progress_forms.ConfirmForm, True),
    (progress_forms.ResultForm, True),
    (progress_forms.CheckInForm, True),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("form_class", "takes_enrolment"), PROGRESS_FORMS)
def test_random_text_in_a_progress_form_is_refused_at_its_field(form_class, takes_enrolment):
    enrolment = EnrolmentFactory(status="gestart", start_date=timezone.localdate())
    kwargs = {"enrolment": enrolment} if takes_enrolment else {}
    names = list(form_class(**kwargs).fields)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    def check(data):
        form = form_class(data, **kwargs)
        if not form.is_valid():
            assert set(form.errors) - {"__all__"} <= set(form.fields)
            assert set(form.errors) != {"__all__"}

    check()


# --- failing before saving --------------------------------------------------------------------


def test_an_intake_refused_for_one_field_creates_nothing(client, intake):
    consultant = UserFactory()
    client.force_login(consultant)
    before = (LogEntry.objects.count(), OutboxMessage.objects.count())
    response = client.post(
        reverse("candidates:candidate_create"),
        intake(consent="on", bsn="", phone="06-12345678", birth_place="Zwolle\x07"),
    )
    assert response.status_code == 200
    assert "birth_place" in response.context["form"].errors
    assert not Candidate.objects.exists()
    assert not CandidateTransition.objects.exists()
    assert (LogEntry.objects.count(), OutboxMessage.objects.count()) == before


def test_an_intake_failing_inside_the_service_leaves_no_candidate(client, intake, monkeypatch):
    """A failure after the candidate row is written (here: its history row) rolls it back."""

    def broken(*args, **kwargs):
        raise RuntimeError("history unavailable")

    monkeypatch.setattr(services, "log_write", broken)
    consultant = UserFactory()
    form = CandidateForm(intake(consent="on"))
    assert form.is_valid(), form.errors
    with pytest.raises(RuntimeError):
        services.candidate_register(
            organisation=consultant.organisation, consultant=consultant, data=form.cleaned_data
        )
    assert not Candidate.objects.exists()
    assert not CandidateTransition.objects.exists()


def test_a_pok_refused_for_one_field_is_not_saved(client, db):
    enrolment = EnrolmentFactory(status="geaccepteerd", start_date=timezone.localdate())
    school = UserFactory(organisation=enrolment.instelling.organisation)
    client.force_login(school)
    url = reverse("trajecten:agreement_edit", kwargs={"pk": enrolment.pk, "kind": "pok"})
    response = client.post(url, _pok(period_end="9999-12-31"))
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    assert not Praktijkovereenkomst.objects.exists()


@pytest.mark.parametrize("field", ["start_date", "closing_date"])
def test_a_leerbaan_date_far_away_is_refused_at_its_field(db, field):
    form = LeerbaanForm({field: "2100-01-01"}, leerbedrijf=LeerbedrijfFactory())
    assert not form.is_valid()
    assert "Kies een datum tussen" in form.errors[field][0]
