"""Content-Security-Policy: the header on every kind of page, and templates that need nothing
inline (the browser tests in tests/e2e fail on any violation a page really causes)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
# An inline <script> (one without src), a <style> element, a style attribute or an on* handler.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("name", ["login", "admin:login", "health"])
def test_every_response_has_the_policy(client, name):
    response = client.get(reverse(name))
    policy = response.headers["Content-Security-Policy"]
    for directive in EXPECTED:
        assert directive in policy
    assert "unsafe" not in policy


def test_no_template_has_inline_script_or_style():
    templates = [
        path
        for root in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
        for path in Path(root).rglob("*.html")
    ]
    assert templates
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in templates
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "inline script or style, blocked by the CSP:\n" + "\n".join(offenders)


def test_a_csrf_failure_shows_our_page_not_djangos_inline_styled_one():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "Content-Security-Policy" in response.headers
    assert '<h1 class="utrecht-heading-1 pl-page-heading">Formulier verlopen</h1>' in (
        response.content.decode()
    )
