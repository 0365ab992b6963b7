"""System checks of the BSN's keys (docs/bsn.md): run by ``manage.py check``, ``migrate`` and
``check --deploy``. Messages name the setting, never a key."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

# An HMAC key at least this long (characters): 32 random bytes in base64 are 43.
INDEX_KEY_MIN_CHARS = 32


@register(Tags.security)
def bsn_keys_check(app_configs=None, **kwargs) -> list[CheckMessage]:
    """``BSN_ENCRYPTION_KEYS`` are valid Fernet keys (32 bytes, URL-safe base64), distinct;
    ``BSN_INDEX_KEY`` is long enough; ``BSN_INDEX_KEY_PREVIOUS`` is set only during a rotation
    (a warning)."""
    messages: list[CheckMessage] = []
    keys = list(settings.BSN_ENCRYPTION_KEYS)
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            messages.append(
                Error(
                    f"Key {position} of BSN_ENCRYPTION_KEYS is no Fernet key.",
                    hint="32 random bytes, URL-safe base64 encoded (docs/bsn.md).",
                    id="candidates.E001",
                )
            )
    if len(set(keys)) != len(keys):
        messages.append(Error("BSN_ENCRYPTION_KEYS holds a key twice.", id="candidates.E002"))
    if len(settings.BSN_INDEX_KEY) < INDEX_KEY_MIN_CHARS:
        messages.append(
            Error(
                f"BSN_INDEX_KEY is shorter than {INDEX_KEY_MIN_CHARS} characters.",
                hint="32 random bytes, base64 encoded (docs/bsn.md).",
                id="candidates.E003",
            )
        )
    if settings.BSN_INDEX_KEY_PREVIOUS:
        messages.append(
            Warning(
                "BSN_INDEX_KEY_PREVIOUS is set: a change of the BSN index key is under way.",
                hint="Run manage.py bsn_rotate_keys, then unset it (docs/bsn.md).",
                id="candidates.W001",
            )
        )
    return messages
