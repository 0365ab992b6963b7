"""The BSN at rest: encrypted, found through a blind index, shown masked (docs/bsn.md).

- **Encryption:** Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) under
  ``settings.BSN_ENCRYPTION_KEYS``, newest first, through ``MultiFernet``: it encrypts with the
  first key and reads a token made with any of them, so keys can be rotated
  (``manage.py bsn_rotate_keys``).
- **Blind index:** HMAC-SHA256 of the nine digits under ``settings.BSN_INDEX_KEY`` as 64 hex
  characters; equal BSNs have equal indexes, so it serves exact look-up and duplicate detection
  without decrypting. ``BSN_INDEX_KEY_PREVIOUS`` (set only while the index key changes) makes
  ``indexes`` also give the index under the previous key.
- **Mask:** ``*****6789``: five asterisks and the last four digits.

Every function takes and gives ``str``; the empty string stands for "no BSN" throughout. Their
local variables stay out of Django's error reports (``sensitive_variables``).
"""

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.views.decorators.debug import sensitive_variables

__all__ = [
    "BSN_FORMAT",
    "InvalidToken",
    "decrypt",
    "encrypt",
    "index",
    "indexes",
    "mask",
    "reencrypt",
    "under_newest_key",
]

BSN_FORMAT = re.compile(r"[0-9]{9}")
MASK_PREFIX = "*****"


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    """The ``MultiFernet`` of the configured keys (rebuilt when the settings change, as in
    tests). Raises ``ValueError`` when a key is not a valid Fernet key."""
    return _multi_fernet(tuple(settings.BSN_ENCRYPTION_KEYS))


@sensitive_variables()
def encrypt(bsn: str) -> str:
    """The Fernet token (URL-safe base64 text, 120 characters for nine digits) of ``bsn`` under
    the newest key; ``""`` for ``""``. A new random IV each call: two tokens of one BSN differ."""
    if not bsn:
        return ""
    return _fernet().encrypt(bsn.encode("ascii")).decode("ascii")


@sensitive_variables()
def decrypt(token: str) -> str:
    """The BSN in ``token``, read with any configured key; ``""`` for ``""``. Raises
    ``InvalidToken`` when no key opens it (a key was dropped too early, or the text is no
    token)."""
    if not token:
        return ""
    return _fernet().decrypt(token.encode("ascii")).decode("ascii")


@sensitive_variables()
def reencrypt(token: str) -> str:
    """``token`` encrypted again under the newest key (``MultiFernet.rotate``: its original
    timestamp kept); ``""`` for ``""``. Raises ``InvalidToken`` like ``decrypt``."""
    if not token:
        return ""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


@sensitive_variables()
def under_newest_key(token: str) -> tuple[str, str]:
    """(``token`` under the newest key, the BSN in it): ``token`` itself when the newest key
    opens it already, else ``reencrypt(token)``. ``("", "")`` for ``""``. Raises
    ``InvalidToken`` when no configured key opens it."""
    if not token:
        return "", ""
    newest = Fernet(settings.BSN_ENCRYPTION_KEYS[0])
    try:
        return token, newest.decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        rotated = reencrypt(token)
        return rotated, newest.decrypt(rotated.encode("ascii")).decode("ascii")


@sensitive_variables()
def index(bsn: str, key: str | None = None) -> str:
    """The blind index of ``bsn``: HMAC-SHA256 under ``key`` (default ``BSN_INDEX_KEY``), 64
    lower-case hex characters; ``""`` for ``""``."""
    if not bsn:
        return ""
    secret = (key or settings.BSN_INDEX_KEY).encode()
    return hmac.new(secret, bsn.encode("ascii"), hashlib.sha256).hexdigest()


@sensitive_variables()
def indexes(bsn: str) -> list[str]:
    """The indexes under which a row with ``bsn`` may be stored: under the current index key,
    and while the index key changes also under ``BSN_INDEX_KEY_PREVIOUS``. ``[]`` for ``""``."""
    if not bsn:
        return []
    found = [index(bsn)]
    if settings.BSN_INDEX_KEY_PREVIOUS:
        found.append(index(bsn, settings.BSN_INDEX_KEY_PREVIOUS))
    return found


@sensitive_variables()
def mask(bsn: str) -> str:
    """``bsn`` masked for anyone but the registering organisation's consultants: five asterisks
    and the last four digits, ``"123456782"`` → ``"*****6782"``; ``""`` for ``""``."""
    if not bsn:
        return ""
    return MASK_PREFIX + bsn[-4:]
