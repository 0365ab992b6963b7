"""Content-Security-Policy in a real browser: the detector of tests/e2e/conftest.py catches a
violation, and axe-core still runs (and still finds problems) under the policy."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_csp_violation_fails_the_check(page, csp_recorder):
    page.goto(reverse("login"))
    page.evaluate("() => document.body.setAttribute('style', 'outline: 1px solid red')")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.inlineScriptRan = true";
            document.body.append(script);
        }"""
    )
    csp_recorder.flush(page.context)

    assert page.evaluate("() => window.inlineScriptRan") is None  # blocked, not just reported
    recorded = "\n".join(csp_recorder.violations)
    assert "style-src-attr blocked inline" in recorded
    assert "script-src-elem blocked inline" in recorded
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy violations"):
        csp_recorder.assert_none()
    csp_recorder.violations.clear()  # the violations were this test's point, not a failure


def test_axe_runs_under_the_csp_and_still_finds_violations(page, assert_accessible):
    page.goto(reverse("login"))
    page.evaluate(
        """() => {
            const input = document.createElement("input");  // no label: WCAG 1.3.1 / 4.1.2
            input.type = "text";
            document.querySelector("main").append(input);
        }"""
    )

    with pytest.raises(AssertionError, match="label"):
        assert_accessible(page)


def test_the_csrf_failure_page_has_no_violation(page):
    page.goto(reverse("login"))
    page.context.clear_cookies()  # the CSRF cookie is gone: the post is refused
    page.fill("#id_username", "iemand")
    page.fill("#id_password", "iets")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("h1").inner_text() == "Formulier verlopen"
