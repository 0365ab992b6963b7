"""Session lengths and cookies (issue 9): a session ends after SESSION_IDLE_MINUTES (15) without
a request and SESSION_MAX_HOURS (12) after the log-in; a new session key at log-in; the warning
before the idle end and its keep-alive URL; cookie flags."""

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from praktijkleren.accounts.middleware import LOGGED_IN_AT
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_lengths_are_the_documented_defaults():
    assert settings.SESSION_IDLE_MINUTES == 15
    assert settings.SESSION_COOKIE_AGE == 900
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_MAX_HOURS == 12
    assert settings.SESSION_WARNING_SECONDS == 120


def test_the_session_key_changes_at_log_in(client):
    session = client.session
    session["bezocht"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    log_in(client, UserFactory())

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session[SESSION_KEY]


def test_the_log_in_stores_its_moment(client):
    before = int(time.time())
    log_in(client, UserFactory())
    assert before <= client.session[LOGGED_IN_AT] <= int(time.time())


def test_every_request_renews_the_idle_time(client):
    log_in(client, UserFactory())
    row = session_row(client)
    row.expire_date = timezone.now() + dt.timedelta(minutes=1)
    row.save()

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 900
    renewed = session_row(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=14) < renewed <= dt.timedelta(minutes=15)


def test_the_session_ends_after_fifteen_idle_minutes(client):
    log_in(client, UserFactory())
    row = session_row(client)
    row.expire_date = timezone.now() - dt.timedelta(seconds=1)  # 15 minutes without a request
    row.save()

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_session_ends_twelve_hours_after_the_log_in(client):
    log_in(client, UserFactory())
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - 12 * 3600
    session.save()
    path = reverse("notifications:list")

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "U bent uitgelogd omdat u langer dan 12 uur was ingelogd." in page


def test_a_session_just_under_twelve_hours_continues(client):
    log_in(client, UserFactory())
    session = client.session
    session[LOGGED_IN_AT] = int(time.time()) - 12 * 3600 + 60
    session.save()

    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_session_without_a_log_in_moment_gets_one(client):
    client.force_login(UserFactory())
    session = client.session
    session.pop(LOGGED_IN_AT, None)
    session.save()

    assert client.get(reverse("notifications:list")).status_code == 200
    assert LOGGED_IN_AT in client.session


def test_keep_alive_renews_the_session(client):
    log_in(client, UserFactory())
    row = session_row(client)
    row.expire_date = timezone.now() + dt.timedelta(seconds=30)
    row.save()

    response = client.post(reverse("session_keep_alive"))

    assert response.status_code == 204
    assert session_row(client).expire_date - timezone.now() > dt.timedelta(minutes=14)


def test_keep_alive_is_post_only_and_for_logged_in_users(client):
    url = reverse("session_keep_alive")
    anonymous = client.post(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405


def test_logged_in_pages_carry_the_warning_without_inline_script(client):
    client.force_login(UserFactory())

    html = client.get(reverse("notifications:list")).content.decode()

    assert 'id="session-warning"' in html
    assert 'data-idle-seconds="900"' in html
    assert 'data-warning-seconds="120"' in html
    assert 'role="alert"' in html
    assert "Ingelogd blijven" in html
    assert f'action="{reverse("session_keep_alive")}"' in html
    assert re.search(r'<script src="[^"]*js/session-timeout\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"


def test_the_log_in_page_has_no_warning(client):
    html = client.get(reverse("login")).content.decode()
    assert "session-warning" not in html
    assert "session-timeout.js" not in html


def test_the_session_cookie_is_httponly_and_samesite(client):
    response = log_in(client, UserFactory())
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_production_cookies_are_secure_httponly_and_samesite():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.nl",
        "BSN_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "BSN_INDEX_KEY": "i" * 43,
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [True, True, "Lax", True, "Lax"]


def test_the_log_in_page_says_why_after_the_idle_end(client):
    html = client.get(reverse("login"), {"reden": "inactief"}).content.decode()
    assert "U bent uitgelogd omdat u 15 minuten niets in het portaal hebt gedaan." in html
    assert "U bent uitgelogd" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    ("warning_seconds", "idle_seconds", "expected"),
    [
        (
            60,
            900,
            "U wordt over 1 minuut automatisch uitgelogd, omdat u 15 minuten niets in het "
            "portaal hebt gedaan.",
        ),
        (
            120,
            60,
            "U wordt over 2 minuten automatisch uitgelogd, omdat u 1 minuut niets in het "
            "portaal hebt gedaan.",
        ),
    ],
)
def test_the_warning_counts_its_minutes_in_singular_and_plural(
    client, settings, warning_seconds, idle_seconds, expected
):
    settings.SESSION_WARNING_SECONDS = warning_seconds
    settings.SESSION_COOKIE_AGE = idle_seconds
    client.force_login(UserFactory())
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'data-message="{expected} Niet opgeslagen invoer gaat dan verloren."' in html
    assert "1 minuten" not in html


def test_the_log_in_page_says_one_minute_in_singular(client, settings):
    settings.SESSION_COOKIE_AGE = 60
    html = client.get(reverse("login"), {"reden": "inactief"}).content.decode()
    assert "U bent uitgelogd omdat u 1 minuut niets in het portaal hebt gedaan." in html
