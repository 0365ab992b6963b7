"""Developer defaults: the embedded portal (SQLite, tasks in-process, console e-mail)."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-not-secret-praktijkleren")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("DEMO_USERS_ALLOWED", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("WEBHOOKS_ALLOW_HTTP", "true")
os.environ.setdefault("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true")
# The second log-in step is off: the demo accounts (README: TWO_FACTOR_REQUIRED=1 make run)
# and force_login in tests; tests/security/test_two_factor.py turns it on.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
# The BSN keys derived from SECRET_KEY unless set (not for production: docs/bsn.md).
os.environ.setdefault("BSN_KEYS_FROM_SECRET_KEY", "true")

from praktijkleren.settings.base import *  # noqa: F403
