"""The main flow in a real browser, with the keyboard: a consultant proposes a candidate for a
leerbaan, the werkgever invites and accepts, the school accepts the enrolment with a start
date, and the consultant sees the candidate geplaatst with the enrolment and the history.

Every step is a keyboard action (Tab to the control, Enter), every page is checked for focus
where it matters, and the ``page`` fixture fails the test on any Content-Security-Policy
violation. Clicking an action twice fast must not end on an error page.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.constants import CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, Voordracht
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import (
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)
from tests.workflows.conftest import interview, open_leerbaan
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py
TAB_LIMIT = 80


def focused(page) -> dict:
    """The focused element: tag, id, text (with visually hidden parts) and whether it sits in
    the messages."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {
                tag: el.tagName,
                id: el.id,
                text: (el.textContent || "").trim().replace(/\\s+/g, " "),
                inMessages: Boolean(el.closest(".pl-messages")),
            };
        }"""
    )


def tab_to(page, pattern: str) -> dict:
    """Press Tab until the focused element's text matches ``pattern`` (a regular expression);
    fail after ``TAB_LIMIT`` presses (then the control is not keyboard reachable)."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = focused(page)
        if re.search(pattern, now["text"]):
            return now
    pytest.fail(f"{pattern!r} not reached with {TAB_LIMIT} Tabs on {page.url}")


def fill_invitation(page) -> None:
    """Fill the invitation's form: an interview a week from now, at a place."""
    day = timezone.localdate() + dt.timedelta(days=7)
    page.get_by_label("Datum van het gesprek").fill(day.isoformat())
    page.get_by_label("Tijd van het gesprek").fill("10:30")
    page.get_by_label("Plaats van het gesprek").fill("Kerkstraat 1, Utrecht")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def date_keys(page, date: dt.date) -> str:
    """The digits to type for ``date`` into a date field: the order of day, month and year
    follows the browser's own language (dd-mm-jjjj in Dutch, mm/dd/yyyy in headless Chromium),
    so it is found once on a blank page of the same browser."""
    probe = page.context.new_page()
    try:
        probe.set_content('<input type="date" id="probe">')
        probe.focus("#probe")
        probe.keyboard.type("01022027")
        day_first = probe.eval_on_selector("#probe", "input => input.value") == "2027-02-01"
    finally:
        probe.close()
    return date.strftime("%d%m%Y" if day_first else "%m%d%Y")


def log_in_with_keyboard(page, user) -> None:
    page.goto(reverse("login"))
    assert focused(page)["id"] == "id_username"  # autofocus
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    press_enter_and_wait(page)
    assert "inloggen" not in page.url


def log_out_with_keyboard(page) -> None:
    tab_to(page, r"^Uitloggen$")
    press_enter_and_wait(page)
    assert page.url.endswith(reverse("login"))


def message_has_focus(page, text: str) -> None:
    """After an action the page's message has focus, so that it is read first and the next Tab
    goes on from there."""
    now = focused(page)
    assert now["inMessages"], f"focus is on {now}, not on the message"
    assert text in page.locator(".pl-messages").inner_text()


@pytest.fixture
def world():
    """A consultant with an actief candidate who fits an open leerbaan of a werkgever, and a
    school near the candidate that offers its kwalificatie in BBL."""
    consultant = UserFactory(username="consulent")
    werkgever = UserFactory(username="werkgever", organisation=OrganisationFactory(werkgever=True))
    school_user = UserFactory(username="school", organisation=OrganisationFactory(school=True))
    leerbaan = open_leerbaan(werkgever, titel="Leerling-kok restaurant De Haven")
    candidate = CandidateFactory(
        consultant=consultant,
        first_name="Sanne",
        last_name="de Vries",
        wished_kwalificaties=[leerbaan.kwalificatie],
        postcode=PostcodeFactory(lat=52.09, lon=5.12),
    )
    instelling = MboInstellingFactory(organisation=school_user.organisation, naam="ROC Midden")
    MboLocatieFactory(instelling=instelling, lat=52.1, lon=5.12)
    OpleidingsaanbodFactory(instelling=instelling, kwalificatie=leerbaan.kwalificatie)
    return {
        "consultant": consultant,
        "werkgever": werkgever,
        "school": school_user,
        "leerbaan": leerbaan,
        "candidate": candidate,
    }


def test_the_main_flow_with_the_keyboard(page, world):
    candidate, leerbaan = world["candidate"], world["leerbaan"]
    start = timezone.localdate() + dt.timedelta(days=60)

    # The consultant opens the candidate and proposes it for the leerbaan.
    log_in_with_keyboard(page, world["consultant"])
    assert page.url.endswith(reverse("candidates:candidate_list"))
    page.keyboard.press("Tab")  # a new page: the skip link comes first
    assert focused(page)["text"] == "Naar de hoofdinhoud"
    tab_to(page, r"^Sanne de Vries$")
    press_enter_and_wait(page)
    assert page.url.endswith(candidate.get_absolute_url())
    tab_to(page, rf"^Voordragen voor {re.escape(leerbaan.titel)}$")
    press_enter_and_wait(page)
    # The voordracht's page asks for the motivation (optional).
    page.get_by_label("Motivatie (niet verplicht)").fill("Ervaren en gemotiveerd.")
    tab_to(page, r"^Voordragen$")
    press_enter_and_wait(page)
    message_has_focus(page, "Sanne de Vries is voorgedragen")
    voordracht = Voordracht.objects.get(candidate=candidate, leerbaan=leerbaan)
    assert voordracht.status == VoordrachtStatus.VOORGEDRAGEN
    log_out_with_keyboard(page)

    # The werkgever invites the candidate from the leerbaan's page, then accepts.
    log_in_with_keyboard(page, world["werkgever"])
    assert page.url.endswith(reverse("leerbedrijven:leerbaan_list"))
    tab_to(page, rf"^{re.escape(leerbaan.titel)}$")
    press_enter_and_wait(page)
    tab_to(page, r"^Uitnodigen Sanne de Vries$")
    press_enter_and_wait(page)
    fill_invitation(page)
    tab_to(page, r"^Uitnodigen$")
    press_enter_and_wait(page)
    message_has_focus(page, "‘Uitnodigen’ is gelukt")
    tab_to(page, r"^Aannemen Sanne de Vries$")
    press_enter_and_wait(page)
    # Aannemen places the candidate: its page asks to confirm.
    tab_to(page, r"^Aannemen$")
    press_enter_and_wait(page)
    message_has_focus(page, "‘Aannemen’ is gelukt")
    voordracht.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.AANGENOMEN
    enrolment = Enrolment.objects.get(voordracht=voordracht)
    log_out_with_keyboard(page)

    # The school opens the enrolment request and accepts it with a start date.
    log_in_with_keyboard(page, world["school"])
    assert page.url.endswith(reverse("trajecten:enrolment_list"))
    tab_to(page, r"^Sanne de Vries$")
    press_enter_and_wait(page)
    assert page.url.endswith(enrolment.get_absolute_url())
    tab_to(page, r"^Accepteren$")
    press_enter_and_wait(page)
    # The form page: the skip link leads to the form, whose first field is the start date.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Naar de hoofdinhoud"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_start_date"
    page.keyboard.type(date_keys(page, start))
    press_enter_and_wait(page)
    message_has_focus(page, "‘Accepteren’ is gelukt")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.start_date) == (EnrolmentStatus.GEACCEPTEERD, start)
    log_out_with_keyboard(page)

    # The consultant sees the candidate geplaatst, with the enrolment and the history.
    log_in_with_keyboard(page, world["consultant"])
    tab_to(page, r"^Sanne de Vries$")
    press_enter_and_wait(page)
    assert Candidate.objects.get(pk=candidate.pk).status == CandidateStatus.GEPLAATST
    status = page.locator("section[aria-labelledby=status-heading]")
    assert "Geplaatst" in status.inner_text()
    enrolments = page.locator("section[aria-labelledby=inschrijvingen]").inner_text()
    assert "ROC Midden" in enrolments
    assert "geaccepteerd" in enrolments
    history = page.locator("section[aria-labelledby=geschiedenis] tbody").inner_text()
    assert "Voorgedragen" in history
    assert "Geplaatst" in history
    voordrachten = page.locator("section[aria-labelledby=voordrachten] tbody").inner_text()
    assert "Aangenomen" in voordrachten


# Sends the form ``selector`` twice at the same moment, as a double click does when the first
# post is still on its way (Chromium itself folds a quick double click into one post): two
# posts with the same form data, then what each answer shows after its redirect.
SEND_TWICE = """
async (selector) => {
    const form = document.querySelector(selector);
    const send = () => fetch(form.action, {method: "POST", body: new FormData(form)});
    const answers = await Promise.all([send(), send()]);
    return Promise.all(answers.map(async (answer) => {
        const page = new DOMParser().parseFromString(await answer.text(), "text/html");
        return {
            status: answer.status,
            url: answer.url,
            h1: page.querySelector("h1").textContent.trim(),
            errorSummary: Boolean(page.querySelector(".pl-error-summary")),
        };
    }));
}
"""


def assert_normal_pages(answers, url: str, h1: str) -> None:
    for answer in answers:
        assert answer["status"] == 200, answer
        assert answer["url"].endswith(url), answer
        assert answer["h1"] == h1, answer
        assert not answer["errorSummary"], answer


def test_an_action_sent_twice_ends_on_the_normal_page(page, world, log_in):
    candidate, leerbaan = world["candidate"], world["leerbaan"]
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))

    # Voordragen sent twice at once: one voordracht, both answers the candidate's page.
    log_in(world["consultant"])
    propose = reverse("candidates:voordracht_make", args=[candidate.pk, leerbaan.pk])
    page.goto(propose)
    answers = page.evaluate(SEND_TWICE, "main form")
    assert_normal_pages(answers, candidate.get_absolute_url(), "Sanne de Vries")
    assert len(posts) == 2
    voordracht = Voordracht.objects.get(candidate=candidate, leerbaan=leerbaan)

    # A double click on Uitnodigen: Chromium sends one post; the page says it was done.
    log_in(world["werkgever"])
    invite = reverse("candidates:voordracht_transition", args=[voordracht.pk, "invite"])
    page.goto(f"{invite}?next={leerbaan.get_absolute_url()}")
    fill_invitation(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Uitnodigen", exact=True).dblclick()
    message_has_focus(page, "‘Uitnodigen’ is gelukt")
    assert len(posts) == 3

    # Aannemen sent twice at once: one acceptance, one enrolment.
    accept = reverse("trajecten:voordracht_accept", args=[voordracht.pk, "accept"])
    page.goto(f"{accept}?next={leerbaan.get_absolute_url()}")
    answers = page.evaluate(SEND_TWICE, "main form")
    assert_normal_pages(answers, leerbaan.get_absolute_url(), leerbaan.titel)
    voordracht.refresh_from_db()
    assert voordracht.status == VoordrachtStatus.AANGENOMEN
    assert list(voordracht.transitions.values_list("transition", flat=True)) == [
        "make",
        "invite",
        "accept",
    ]
    enrolment = Enrolment.objects.get(candidate=candidate)

    # The school's acceptance with a start date, sent twice at once.
    log_in(world["school"])
    url = reverse("trajecten:enrolment_transition", args=[enrolment.pk, "accept"])
    page.goto(f"{url}?next={enrolment.get_absolute_url()}")
    page.fill("#id_start_date", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    answers = page.evaluate(SEND_TWICE, "main form")
    assert_normal_pages(
        answers, enrolment.get_absolute_url(), f"Inschrijving: {leerbaan.kwalificatie.naam}"
    )
    assert len(posts) == 7  # three forms sent twice, one double click
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.GEACCEPTEERD
    assert enrolment.transitions.filter(transition="accept").count() == 1


def unread(page) -> str:
    """The header's unread count ("" when there is none)."""
    count = page.locator("#unread-count")
    return count.inner_text().split()[0] if count.count() else ""


def test_the_school_hears_of_an_accepted_voordracht(page, world, log_in):
    from candidates import services

    voordracht = services.voordracht_make(
        candidate=world["candidate"], leerbaan=world["leerbaan"], by=world["consultant"]
    )
    services.voordracht_invite(voordracht=voordracht, by=world["werkgever"], **interview())
    log_in(world["school"])
    page.goto(reverse("trajecten:enrolment_list"))
    assert unread(page) == ""

    # The werkgever accepts in its browser.
    log_in(world["werkgever"])
    page.goto(world["leerbaan"].get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Aannemen Sanne de Vries").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Aannemen", exact=True).click()
    enrolment = Enrolment.objects.get(voordracht=voordracht)

    # The school's next page counts one unread notification; opening it leads to the request.
    log_in(world["school"])
    page.goto(reverse("trajecten:enrolment_list"))
    assert unread(page) == "1"
    with page.expect_navigation():
        page.locator(".pl-account__notifications-link").click()
    notification = page.locator(".pl-notification--unread a")
    assert "Sanne de Vries" in notification.inner_text()
    with page.expect_navigation():
        notification.click()
    assert page.url.endswith(enrolment.get_absolute_url())
    assert unread(page) == ""
