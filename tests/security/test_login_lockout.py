"""Log-in lockout (issue 9): after LOGIN_FAILURE_LIMIT (5) failures a user name and, separately,
an address are refused for LOGIN_LOCKOUT_MINUTES (60); the answers never tell whether an
account exists. The clock is moved by ageing django-axes' failure records."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import RequestFactory
from django.urls import reverse

from praktijkleren.accounts.lockout import client_ip
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py
WRONG = "fout"
LOCKED_TEXT = "Te veel mislukte pogingen om in te loggen"


def attempt(client, username: str, password: str = WRONG, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_times(client, username: str, times: int, address: str = "10.0.0.1"):
    response = None
    for _ in range(times):
        response = attempt(client, username, address=address)
    return response


def age_failures(minutes: int) -> None:
    """Move every recorded failure ``minutes`` into the past."""
    for record in AccessAttempt.objects.all():
        record.attempt_time -= dt.timedelta(minutes=minutes)
        record.save(update_fields=["attempt_time"])


def page_without_variables(response, username: str) -> str:
    """The answer's HTML with what differs per request (CSRF token, typed user name) blanked."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    return html.replace(username, "USERNAME")


def test_the_limits_are_the_documented_defaults():
    assert settings.LOGIN_FAILURE_LIMIT == settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 3600
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert "praktijkleren.accounts.backends.PortalModelBackend" in settings.AUTHENTICATION_BACKENDS


def test_four_failures_then_the_right_password_logs_in(client):
    user = UserFactory()
    response = fail_times(client, user.username, 4)
    assert response.status_code == 200
    assert LOCKED_TEXT not in response.content.decode()

    response = attempt(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_five_failures_refuse_even_the_right_password_for_an_hour(client):
    user = UserFactory()
    fifth = fail_times(client, user.username, 5)
    assert fifth.status_code == 429
    assert LOCKED_TEXT in fifth.content.decode()

    refused = attempt(client, user.username, PASSWORD)
    assert refused.status_code == 429
    assert LOCKED_TEXT in refused.content.decode()
    assert SESSION_KEY not in client.session

    age_failures(59)
    still_refused = attempt(client, user.username, PASSWORD)
    assert still_refused.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lockout_ends_after_the_hour(client):
    user = UserFactory()
    fail_times(client, user.username, 5)
    assert attempt(client, user.username, PASSWORD).status_code == 429

    age_failures(61)
    response = attempt(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_unknown_user_gets_the_same_answer_as_a_known_one(client):
    known = UserFactory(username="bestaat-wel")
    unknown = "bestaat-niet"

    known_answer = attempt(client, known.username, address="10.0.0.1")
    unknown_answer = attempt(client, unknown, address="10.0.0.2")

    assert known_answer.status_code == unknown_answer.status_code == 200
    assert page_without_variables(known_answer, known.username) == page_without_variables(
        unknown_answer, unknown
    )


def test_a_locked_unknown_user_gets_the_same_answer_as_a_locked_known_one(client):
    known = UserFactory(username="bestaat-wel")
    unknown = "bestaat-niet"
    fail_times(client, known.username, 5, address="10.0.0.1")
    fail_times(client, unknown, 5, address="10.0.0.2")

    known_answer = attempt(client, known.username, PASSWORD, address="10.0.0.1")
    unknown_answer = attempt(client, unknown, PASSWORD, address="10.0.0.2")

    assert known_answer.status_code == unknown_answer.status_code == 429
    assert LOCKED_TEXT in known_answer.content.decode()
    assert page_without_variables(known_answer, known.username) == page_without_variables(
        unknown_answer, unknown
    )


def test_an_address_is_locked_after_five_failures_with_any_user_names(client):
    user = UserFactory()
    for number in range(5):
        attempt(client, f"geraden-{number}", address="10.0.0.9")

    from_that_address = attempt(client, user.username, PASSWORD, address="10.0.0.9")
    assert from_that_address.status_code == 429
    assert SESSION_KEY not in client.session

    from_elsewhere = attempt(client, user.username, PASSWORD, address="10.0.0.10")
    assert from_elsewhere.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_successful_log_in_does_not_clear_the_addresss_failures(client):
    own = UserFactory()
    for number in range(4):
        attempt(client, f"geraden-{number}", address="10.0.0.9")
    assert attempt(client, own.username, PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()

    fifth = attempt(client, "geraden-5", address="10.0.0.9")

    assert fifth.status_code == 429
    assert attempt(client, own.username, PASSWORD, address="10.0.0.9").status_code == 429


def test_a_user_name_is_locked_after_five_failures_from_any_addresses(client):
    user = UserFactory()
    for number in range(5):
        attempt(client, user.username, address=f"10.0.1.{number}")

    response = attempt(client, user.username, PASSWORD, address="10.0.2.1")

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_lockout_page_is_the_log_in_page_with_one_h1(client):
    user = UserFactory()
    response = fail_times(client, user.username, 5)

    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'id="login-form"' in html
    assert 'role="alert"' in html


def test_the_client_address_behind_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7, 10.1.1.1"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.9.9.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 4  # fewer entries than proxies: not trusted
    assert client_ip(request) == "10.9.9.9"
