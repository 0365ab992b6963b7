"""The second log-in step (issue 9, "Log-in and sessions"): TOTP through django-otp, set up at
the first log-in, recovery codes, the lockout of the code step, a reset by beheer that is
audited, and no page for a user who has not passed it. ``TWO_FACTOR_REQUIRED`` is off in the
test settings (force_login elsewhere); every test here turns it on."""

import datetime as dt
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from praktijkleren.accounts import services
from praktijkleren.accounts.checks import two_factor_required_check
from praktijkleren.accounts.middleware import TWO_FACTOR_OPEN
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.test_guards import _client_for, _requests

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"  # tests/accounts/factories.py
LOCKED_TEXT = "Te veel mislukte pogingen om in te loggen"
REFUSED_TEXT = "Deze code klopt niet"
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device: TOTPDevice, steps: int = 0) -> str:
    """The device's TOTP code now (``steps`` time steps later), computed from its key as the
    user's app does (RFC 6238, django_otp.oath.totp)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps)
    return f"{code:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code that none of the device's accepted time steps gives."""
    accepted = {code_for(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def log_in(client, user, address: str = "127.0.0.1"):
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address
    )


def user_with_app(**fields):
    """A user with a confirmed authenticator app and 10 recovery codes: (user, device, codes)."""
    user = UserFactory(**fields)
    device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    return user, device, services.recovery_codes_make(user=user)


def h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


# --- setting up at the first log-in ------------------------------------------------------------


def test_first_log_in_sets_up_the_app_with_a_real_code_and_shows_recovery_codes_once(client):
    user = UserFactory()

    assert log_in(client, user).status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(SETUP)

    page = client.get(home["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert h1_count(page) == 1
    assert reverse("accounts:two_factor_qr") in html
    assert 'for="id_token"' in html
    assert reverse("notifications:list") not in html  # no menu before the second step
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', html).group(1)
    assert device.config_url.split("secret=")[1].split("&")[0] == secret.replace(" ", "")

    qr = client.get(reverse("accounts:two_factor_qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert b"style" not in qr.content  # no inline style or script: the CSP holds
    assert b"script" not in qr.content
    assert "no-store" in qr["Cache-Control"]

    confirmed = client.post(
        page.request["PATH_INFO"] + "?next=/meldingen/", {"token": code_for(device)}
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith(reverse("accounts:two_factor_recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(confirmed["Location"])
    html = shown.content.decode()
    assert shown.status_code == 200
    assert h1_count(shown) == 1
    codes = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == django_settings.TWO_FACTOR_RECOVERY_CODES == 10
    assert all(code in html for code in codes)
    assert "Bewaar deze herstelcodes" in html
    assert 'href="/meldingen/"' in html

    again = client.get(confirmed["Location"])
    assert again.status_code == 302  # shown once
    assert not any(code in again.content.decode() for code in codes)
    assert client.get(reverse("notifications:list")).status_code == 200


def test_a_wrong_code_at_setup_is_refused_at_its_field(client):
    user = UserFactory()
    log_in(client, user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)

    for token in (wrong_code_for(device), "12345", "abcdef"):
        response = client.post(SETUP, {"token": token})
        html = response.content.decode()
        assert response.status_code == 200
        assert response.context["form"].errors["token"], token
        assert 'id="id_token_error"' in html
        assert 'aria-describedby="id_token_helptext id_token_error"' in html
        assert 'aria-invalid="true"' in html

    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


def test_the_setup_keeps_its_key_and_cannot_replace_a_confirmed_app(client):
    user, device, _codes = user_with_app()
    log_in(client, user)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)  # a new app only after a reset
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert client.get(reverse("accounts:two_factor_qr")).status_code == 404


# --- the code at every later log-in ------------------------------------------------------------


def test_a_user_with_an_app_enters_its_code_after_the_password(client):
    user, device, _codes = user_with_app()
    log_in(client, user)

    asked = client.get(reverse("notifications:list"))
    assert asked.status_code == 302
    assert asked["Location"] == f"{VERIFY}?next=%2Fmeldingen%2F"
    page = client.get(asked["Location"])
    assert page.status_code == 200
    assert h1_count(page) == 1

    wrong = client.post(asked["Location"], {"token": wrong_code_for(device)})
    assert wrong.status_code == 200
    assert REFUSED_TEXT in wrong.content.decode()
    assert 'id="id_token_error"' in wrong.content.decode()

    key_before = client.session.session_key
    right = client.post(asked["Location"], {"token": code_for(device)})
    assert right.status_code == 302
    assert client.session.session_key != key_before  # a new session id after the step
    assert right["Location"] == "/meldingen/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("notifications:list")).status_code == 200

    # The same code again (another session that saw it) is refused: one use per time step.
    client.logout()
    log_in(client, user)
    assert REFUSED_TEXT in client.post(VERIFY, {"token": code_for(device)}).content.decode()


def test_the_header_names_the_user_only_after_the_second_step(client):
    """Between the password and the code the header shows no name and no organisation (as it
    shows no menu): whoever holds the password alone learns nothing about the account."""
    user, device, _codes = user_with_app(first_name="Geertruida", last_name="Zwanenburg")
    organisation = user.organisation.name
    log_in(client, user)
    for path in (VERIFY, SETUP):
        html = client.get(path, follow=True).content.decode()
        assert "Zwanenburg" not in html, path
        assert organisation not in html, path
        assert "pl-account__who" not in html, path
        assert reverse("logout") in html, path  # the log-out button stays

    assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Geertruida Zwanenburg" in html
    assert organisation in html


def test_a_recovery_code_works_once(client):
    user, _device, codes = user_with_app()
    log_in(client, user)

    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302
    assert client.get(reverse("notifications:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    client.post(reverse("logout"))
    log_in(client, user)
    reused = client.post(VERIFY, {"token": codes[0]})
    assert reused.status_code == 200
    assert reused.context["form"].errors["token"]
    assert client.get(reverse("notifications:list")).status_code == 302

    typed = f"{codes[1][:4].upper()}-{codes[1][4:].upper()}"  # as a person may type it
    assert client.post(VERIFY, {"token": typed}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 8


# --- lockout of the code step ------------------------------------------------------------------


def test_five_wrong_codes_log_out_and_lock_the_account_for_an_hour(client):
    user, device, codes = user_with_app()
    log_in(client, user)
    wrong = wrong_code_for(device)

    for _ in range(4):
        response = client.post(VERIFY, {"token": wrong})
        assert response.status_code == 200
        assert LOCKED_TEXT not in response.content.decode()

    fifth = client.post(VERIFY, {"token": wrong})
    assert fifth.status_code == 429
    assert LOCKED_TEXT in fifth.content.decode()
    assert h1_count(fifth) == 1
    assert SESSION_KEY not in client.session

    # Locked: the right password is refused, and so would be the right code.
    assert log_in(client, user).status_code == 429
    assert SESSION_KEY not in client.session

    for record in AccessAttempt.objects.all():
        record.attempt_time -= dt.timedelta(minutes=61)
        record.save(update_fields=["attempt_time"])
    assert log_in(client, user).status_code == 302
    assert client.post(VERIFY, {"token": codes[0]}).status_code == 302


def test_a_session_of_a_locked_user_cannot_pass_the_code_step(client):
    user, device, _codes = user_with_app()
    log_in(client, user)  # this session passed the password before the lockout
    attacker = Client()
    for number in range(5):  # someone else locks the user name from another address
        attempt = {"username": user.username, "password": f"fout-{number}"}
        assert attacker.post(reverse("login"), attempt, REMOTE_ADDR="10.0.0.99").status_code
    assert AccessAttempt.objects.filter(username=user.username).exists()

    response = client.post(VERIFY, {"token": code_for(device)})

    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_wrong_codes_and_wrong_passwords_count_together(client):
    user, device, _codes = user_with_app()
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "fout"})
    log_in(client, user)
    assert client.post(VERIFY, {"token": wrong_code_for(device)}).status_code == 200
    assert client.post(VERIFY, {"token": wrong_code_for(device)}).status_code == 429


# --- reset by beheer ---------------------------------------------------------------------------


def _verified_beheer(client):
    beheer, device, _codes = user_with_app(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    client.force_login(beheer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return beheer


def test_beheer_resets_a_users_second_step_audited_and_the_user_sets_up_again(client):
    user, _device, _codes = user_with_app()
    beheer = _verified_beheer(client)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "two_factor_reset", "_selected_action": [user.pk]},
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 302
    assert not user_has_device(user, confirmed=None)
    assert not StaticToken.objects.filter(device__user=user).exists()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(user),
        object_pk=str(user.pk),
        additional_data__event="two_factor_reset",
    )
    assert entry.actor == beheer
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.additional_data["devices_removed"] == 2  # the app and the recovery codes
    assert entry.changes == {"two_factor": ["ingesteld", "gereset"]}
    assert entry.remote_addr == "192.0.2.7"

    client.logout()
    log_in(client, user)
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


def test_the_command_resets_too_when_no_beheer_can_log_in():
    user, _device, _codes = user_with_app()

    call_command("two_factor_reset", user.username, stdout=StringIO())

    assert not user_has_device(user, confirmed=None)
    entry = LogEntry.objects.get(object_pk=str(user.pk), additional_data__via="manage.py")
    assert entry.actor is None
    assert entry.additional_data["event"] == "two_factor_reset"
    with pytest.raises(CommandError):
        call_command("two_factor_reset", "bestaat-niet")


def test_the_user_page_in_the_admin_tells_whether_the_app_is_set_up(client):
    user, _device, _codes = user_with_app()
    _verified_beheer(client)
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert page.status_code == 200
    assert "ingesteld" in page.content.decode()


def test_the_admin_shows_no_device_keys_or_recovery_codes():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert django_settings.OTP_ADMIN_HIDE_SENSITIVE_DATA


# --- no page without the second step ----------------------------------------------------------


def test_an_unverified_user_reaches_no_portal_or_admin_page(client, world):
    """Derived from the URL list (``tests.test_guards``): every URL of a logged-in user, and
    every admin URL for beheer, answers GET and POST with a redirect to the second step."""
    checked = 0
    for name, path, spec in _requests(world):
        if name in TWO_FACTOR_OPEN or (spec is not None and spec.owners == {"anonymous"}):
            continue
        if name == "accounts:two_factor_recovery_codes":
            continue  # nothing to show: on to ``next``, which is itself guarded
        owners = ("beheer",) if spec is None else sorted(spec.owners)
        for role in owners:
            _client_for(client, world.users[role])
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                assert response.status_code == 302, (role, method, path, response.status_code)
                assert response["Location"].startswith(SETUP), (role, method, path)
                checked += 1
    assert checked > 200


def test_the_log_out_and_an_htmx_request_while_unverified(client):
    user = UserFactory()
    log_in(client, user)

    htmx = client.get(reverse("notifications:list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(SETUP)

    out = client.post(reverse("logout"))
    assert out.status_code == 302
    assert SESSION_KEY not in client.session


def test_with_the_setting_off_the_password_is_enough(client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    user, _device, _codes = user_with_app()
    log_in(client, user)
    assert client.get(reverse("notifications:list")).status_code == 200


# --- settings ---------------------------------------------------------------------------------


def test_a_deployment_without_the_second_step_fails_the_deploy_check(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    assert [e.id for e in two_factor_required_check(None)] == ["accounts.E001"]
    settings.TWO_FACTOR_REQUIRED = True
    assert two_factor_required_check(None) == []


PRINT_SETTING = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"


def test_production_settings_force_the_second_step_on():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.production",
        "SECRET_KEY": "x" * 50,
        "BSN_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "BSN_INDEX_KEY": "i" * 43,
        "ALLOWED_HOSTS": "example.nl",
        "TWO_FACTOR_REQUIRED": "false",
    }
    out = subprocess.run(
        [sys.executable, "-c", PRINT_SETTING],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    assert out.stdout.strip() == "True"


def test_the_log_in_refuses_an_overlong_user_name_at_its_field(client, settings):
    response = client.post(reverse("login"), {"username": "a" * 2001, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert 'id="id_username_error"' in response.content.decode()
