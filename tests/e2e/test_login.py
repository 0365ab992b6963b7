"""Log-in in a real browser: keyboard only, and no WCAG 2.1 A/AA violations (axe-core)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py


def focused(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim()})"
    )


def test_login_page_has_no_accessibility_violations(page, assert_accessible):
    page.goto(reverse("login"))
    assert_accessible(page)

    # And with the error summary showing.
    page.keyboard.press("Enter")  # focus starts in the username field (autofocus)
    page.wait_for_selector("text=Er ging iets mis")
    assert_accessible(page)


def test_log_in_with_the_keyboard_only(page, live_server):
    user = UserFactory(organisation=OrganisationFactory(beheer=True), is_staff=True)
    page.goto(reverse("login"))

    # A wrong password first: the summary links to the field.
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type("niet-het-wachtwoord")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Er ging iets mis")
    summary_link = page.locator(".pl-error-summary a").first
    assert summary_link.get_attribute("href") == "#id_username"

    # The username field has focus again; one Shift+Tab back is the summary link to it.
    assert focused(page)["id"] == "id_username"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["tag"] == "A"
    assert "gebruikersnaam" in focused(page)["text"]
    page.keyboard.press("Enter")  # follow the summary link to the field
    assert focused(page)["id"] == "id_username"
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Inloggen"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # home → the beheer role's start page, the admin index. (The browser keeps the
    # #id_username fragment of the summary link across the redirects.)
    page.wait_for_load_state()
    assert page.url.split("#")[0] == f"{live_server.url}{reverse('admin:index')}"
    assert page.locator("#user-tools").is_visible()  # the admin's logged-in header


def test_skip_link_moves_focus_to_main(page):
    page.goto(reverse("login"))
    # The user name field has autofocus; on a busy machine the browser applies it after load.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Naar de hoofdinhoud"
    assert page.locator(".utrecht-skip-link").is_visible()

    page.keyboard.press("Enter")

    assert focused(page)["id"] == "main"
