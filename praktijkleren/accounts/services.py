"""Writes on accounts: the second log-in step (TOTP through django-otp, recovery codes as
django-otp's static device) and its reset by beheer.

A user has at most one TOTP device: unconfirmed while it is being set up, confirmed once the
user typed a code from it. Confirming it also makes ``settings.TWO_FACTOR_RECOVERY_CODES``
recovery codes (one static device; each code works once). A reset by beheer removes every device
of the user and is recorded in django-auditlog's append-only ``LogEntry``.
"""

import re

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from praktijkleren.accounts.models import User

TOTP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"
TOTP_DIGITS = 6
# What a person types: a TOTP code (6 digits) or a recovery code (8 letters and digits of
# base32), with spaces or dashes anywhere.
_SEPARATORS = re.compile(r"[\s-]+")
_TOTP_CODE = re.compile(rf"^[0-9]{{{TOTP_DIGITS}}}$")
_RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def token_normalise(token: str) -> str:
    """``token`` as the devices store it: spaces and dashes removed, lower case."""
    return _SEPARATORS.sub("", token or "").lower()


def is_totp_code(token: str) -> bool:
    """True when the normalised ``token`` has the form of a TOTP code (6 digits)."""
    return bool(_TOTP_CODE.match(token))


def is_recovery_code(token: str) -> bool:
    """True when the normalised ``token`` has the form of a recovery code (8 base32 characters)."""
    return bool(_RECOVERY_CODE.match(token))


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's TOTP device being set up (unconfirmed), made with a new random key (20 bytes,
    django-otp's default) when there is none. The same device, and so the same QR code and key,
    until it is confirmed. Raises ``ValueError`` when the user already has a confirmed device:
    a new one only comes after a reset by beheer."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValueError("The user already has a confirmed TOTP device.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False, digits=TOTP_DIGITS
        )
    return device


@transaction.atomic
def two_factor_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the user's TOTP device being set up with a ``token`` (a 6-digit code) from it,
    and make new recovery codes (replacing any earlier ones).

    Returns the confirmed device and the recovery codes (plain text, to be shown once).
    Raises ``ValidationError({"token": ...})`` when the code is not one of the device's current
    codes, or when there is no device being set up."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    token = token_normalise(token)
    if device is None or not is_totp_code(token) or not device.verify_token(token):
        raise ValidationError(
            {
                "token": ValidationError(
                    _(
                        "Deze code klopt niet. Vul de 6 cijfers in die de app nu toont; "
                        "een code is 30 seconden geldig."
                    ),
                    code="invalid_code",
                )
            }
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return device, recovery_codes_make(user=user)


def recovery_codes_make(*, user: User) -> list[str]:
    """Replace the user's recovery codes by ``settings.TWO_FACTOR_RECOVERY_CODES`` new ones
    (django-otp's ``StaticToken.random_token``: 8 base32 characters from ``os.urandom``); returns
    them in plain text. Each works once (``two_factor_verify`` consumes it)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The user's confirmed device that accepts ``token``, or None: a 6-digit code is checked
    against the TOTP device (a code is accepted once: django-otp refuses a time step already
    used), a recovery code against the static device, which then deletes it. Devices are locked
    (SELECT ... FOR UPDATE) while checking, so two requests cannot use one code."""
    token = token_normalise(token)
    kind: type[Device]
    if is_totp_code(token):
        kind = TOTPDevice
    elif is_recovery_code(token):
        kind = StaticDevice
    else:
        return None
    for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def two_factor_reset(
    *, user: User, by: User | None, origin: str | None = None, via: str = "admin"
) -> int:
    """Remove every django-otp device of ``user`` (its app and its recovery codes), so that the
    user sets the second step up again at the next log-in; ``by`` is the beheer user who asked
    (None from ``manage.py two_factor_reset``), ``origin`` their IP address, ``via`` the way it
    was asked. Writes one django-auditlog ``LogEntry`` (an update of the user, ``changes``
    {"two_factor": [before, after]}, ``additional_data`` {"event": "two_factor_reset",
    "devices_removed": n, "via": via}) even when the user had no device. Returns the number of
    devices removed."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"two_factor": ["ingesteld" if devices else "niet ingesteld", "gereset"]},
        actor=by,
        remote_addr=origin,
        additional_data={
            "event": "two_factor_reset",
            "devices_removed": len(devices),
            "via": via,
        },
    )
    return len(devices)
