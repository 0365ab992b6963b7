"""One typed helper for every setting read from the environment.

Each function reads one variable, converts it and raises ``ImproperlyConfigured`` with the
variable's name when the value cannot be converted. A variable that is missing and has no
default also raises, so production never runs on a silent fallback.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | object = _MISSING) -> str:
    """Return the variable ``name`` as a string, or ``default`` when it is unset."""
    value = os.environ.get(name)
    if value is not None:
        return value
    if default is _MISSING:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return default  # type: ignore[return-value]


def env_bool(name: str, default: bool) -> bool:
    """Return the variable ``name`` as a boolean (1/0, true/false, yes/no, on/off)."""
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean such as 'true' or 'false', not {value!r}."
    )


def env_int(name: str, default: int) -> int:
    """Return the variable ``name`` as an integer."""
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated variable ``name`` as a list of non-empty, stripped strings."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def derived_key(secret: str, purpose: str) -> str:
    """A 32-byte key derived from ``secret`` for ``purpose`` (HKDF-SHA256, the purpose as its
    ``info``), URL-safe base64 encoded: a valid Fernet key, and a good HMAC key.

    For developer and test settings only (``BSN_KEYS_FROM_SECRET_KEY``): production reads its
    keys from the environment (``docs/bsn.md``)."""
    import base64

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"praktijkleren {purpose}".encode()
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(raw).decode("ascii")
