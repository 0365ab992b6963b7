"""The warning before a session's idle end (static/js/session-timeout.js) in a real browser:
shown with its button, accessible, the button renews the session, and when the time is up the
browser goes to the log-in page. The session lengths are shortened to seconds."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_warning_shows_and_keeps_the_session(page, log_in, settings, assert_accessible):
    settings.SESSION_COOKIE_AGE = 123  # the warning shows after 3 seconds
    settings.SESSION_WARNING_SECONDS = 120
    log_in(UserFactory())
    page.goto(reverse("notifications:list"))
    warning = page.locator("#session-warning")
    assert warning.is_hidden()
    page.locator(".pl-account__notifications-link").focus()  # where the user was

    warning.wait_for(state="visible", timeout=8_000)
    assert "automatisch uitgelogd" in page.locator("#session-warning-text").inner_text()
    button = page.get_by_role("button", name="Ingelogd blijven")
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Ingelogd blijven"
    assert_accessible(page)

    with page.expect_response(reverse("session_keep_alive")) as answer:
        button.click()
    assert answer.value.status == 204
    warning.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.className").startswith(
        "utrecht-link pl-account__notifications-link"
    )


def test_the_browser_goes_to_the_log_in_page_at_the_end(page, log_in, settings):
    settings.SESSION_COOKIE_AGE = 4
    settings.SESSION_WARNING_SECONDS = 2
    log_in(UserFactory())
    path = reverse("notifications:list")
    page.goto(path)

    page.wait_for_url(f"**{reverse('login')}?reden=inactief&next=*", timeout=10_000)
    assert page.locator("#id_username").is_visible()
    assert page.get_by_text("U bent uitgelogd omdat u 0 minuten niets").is_visible()
