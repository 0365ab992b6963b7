"""The employer's side in a real browser, with the keyboard only (the employers issue): a
werkgever posts a leerbaan (picking the werkprocessen in the form's second step), receives a
voordracht, invites the candidate with a date, time and place, and accepts.

Every step is a key press: Tab to a control (or a field, found by its id), type, Space for a
checkbox, Enter to submit. The ``page`` fixture fails the test on any Content-Security-Policy
violation.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates import services as candidate_services
from candidates.constants import VoordrachtStatus
from candidates.models import Voordracht
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from tests.accounts.factories import UserFactory
from tests.candidates.factories import CandidateFactory
from tests.e2e.test_main_flow import (
    TAB_LIMIT,
    date_keys,
    focused,
    log_in_with_keyboard,
    message_has_focus,
    press_enter_and_wait,
    tab_to,
)
from tests.leerbedrijven.posting import posting_make

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITEL = "Leerling-monteur werkplaats Noord"


def tab_to_field(page, field_id: str) -> None:
    """Press Tab until the field with ``field_id`` has focus (fail if it is not reachable)."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if focused(page)["id"] == field_id:
            return
    pytest.fail(f"#{field_id} not reached with {TAB_LIMIT} Tabs on {page.url}")


def type_into(page, field_id: str, text: str) -> None:
    tab_to_field(page, field_id)
    page.keyboard.type(text)


def time_keys(page, hour: int, minute: int) -> str:
    """The keys to type for a time into a time field: 24-hour, or 12-hour with AM/PM, as the
    browser's own language has it (found once on a blank page of the same browser)."""
    probe = page.context.new_page()
    try:
        probe.set_content('<input type="time" id="probe">')
        probe.focus("#probe")
        probe.keyboard.type("1030")
        twenty_four = probe.eval_on_selector("#probe", "input => input.value") == "10:30"
    finally:
        probe.close()
    if twenty_four:
        return f"{hour:02d}{minute:02d}"
    return f"{(hour - 1) % 12 + 1:02d}{minute:02d}{'A' if hour < 12 else 'P'}"


def selected_text(page, field_id: str) -> str:
    return page.eval_on_selector(f"#{field_id}", "s => s.options[s.selectedIndex].text")


@pytest.fixture
def world():
    posting = posting_make()
    consultant = UserFactory(username="consulent")
    candidate = CandidateFactory(
        consultant=consultant,
        first_name="Noah",
        last_name="Bakker",
        wished_kwalificaties=[posting.kwalificatie],
        postcode=posting.vestiging.postcode,
    )
    return {"posting": posting, "consultant": consultant, "candidate": candidate}


def test_an_employer_posts_a_leerbaan_and_decides_with_the_keyboard(page, world):
    posting, candidate = world["posting"], world["candidate"]
    today = timezone.localdate()
    start, closing = today + dt.timedelta(days=60), today + dt.timedelta(days=30)

    # Posting: Mijn leerbanen → Nieuwe leerbaan; the form in two steps.
    log_in_with_keyboard(page, posting.user)
    assert page.url.endswith(reverse("leerbedrijven:leerbaan_list"))
    tab_to(page, r"^Nieuwe leerbaan$")
    press_enter_and_wait(page)
    assert page.url.endswith(reverse("leerbedrijven:leerbaan_create"))
    type_into(page, "id_titel", TITEL)
    type_into(page, "id_omschrijving", "Onderhoud aan bedrijfswagens, samen met de monteurs.")
    # The leerbedrijf's only vestiging is chosen already; so is its only erkende kwalificatie,
    # which is chosen again by typing its name (as with more of them).
    assert selected_text(page, "id_vestiging") == str(posting.vestiging)
    type_into(page, "id_kwalificatie", posting.kwalificatie.naam[:6])
    assert selected_text(page, "id_kwalificatie").startswith(posting.kwalificatie.naam)
    tab_to(page, r"^Werkprocessen kiezen$")
    press_enter_and_wait(page)
    # The second step: the kwalificatie's werkprocessen, and the rest of the fields.
    first = posting.werkprocessen[0]
    checkbox = page.get_by_label(re.compile(re.escape(first.titel)))
    tab_to_field(page, checkbox.get_attribute("id"))
    page.keyboard.press("Space")
    tab_to_field(page, "id_routes_2")  # mbo-diploma, the route the candidate wants
    page.keyboard.press("Space")
    type_into(page, "id_hours_per_week", "32")
    tab_to_field(page, "id_places")
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    type_into(page, "id_start_date", date_keys(page, start))
    type_into(page, "id_closing_date", date_keys(page, closing))
    type_into(page, "id_praktijkopleider", posting.opleider.naam[:4])
    assert selected_text(page, "id_praktijkopleider").startswith(posting.opleider.naam)
    tab_to(page, r"^Publiceren$")
    press_enter_and_wait(page)
    leerbaan = Leerbaan.objects.get(titel=TITEL)
    assert (leerbaan.status, leerbaan.start_date, leerbaan.closing_date) == (
        LeerbaanStatus.GEPUBLICEERD,
        start,
        closing,
    )
    assert (leerbaan.hours_per_week, leerbaan.places, leerbaan.praktijkopleider) == (
        32,
        1,
        posting.opleider,
    )
    assert list(leerbaan.werkprocessen.all()) == [first]

    # A consultant proposes a candidate; the werkgever finds it under Voordrachten.
    candidate_services.voordracht_make(
        candidate=candidate,
        leerbaan=leerbaan,
        by=world["consultant"],
        motivation="Sleutelt al jaren.",
    )
    page.goto(reverse("leerbedrijven:leerbaan_list"))
    tab_to(page, r"^Voordrachten$")
    press_enter_and_wait(page)
    assert "Sleutelt al jaren." in page.locator("main").inner_text()
    tab_to(page, r"^Uitnodigen\b")
    press_enter_and_wait(page)
    interview_day = today + dt.timedelta(days=7)
    type_into(page, "id_interview_date", date_keys(page, interview_day))
    type_into(page, "id_interview_time", time_keys(page, 10, 30))
    type_into(page, "id_interview_place", "Werkplaats Noord, Industrieweg 4")
    tab_to(page, r"^Uitnodigen$")
    press_enter_and_wait(page)
    message_has_focus(page, "‘Uitnodigen’ is gelukt")
    voordracht = Voordracht.objects.get(candidate=candidate, leerbaan=leerbaan)
    assert voordracht.status == VoordrachtStatus.UITGENODIGD
    local = timezone.localtime(voordracht.interview_at)
    assert (local.date(), local.hour, local.minute) == (interview_day, 10, 30)

    # Accepting places the candidate: its page asks to confirm.
    page.goto(reverse("candidates:voordracht_list"))
    tab_to(page, r"^Aannemen\b")
    press_enter_and_wait(page)
    tab_to(page, r"^Aannemen$")
    press_enter_and_wait(page)
    message_has_focus(page, "‘Aannemen’ is gelukt")
    voordracht.refresh_from_db()
    leerbaan.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.AANGENOMEN
    assert leerbaan.status == LeerbaanStatus.VERVULD
