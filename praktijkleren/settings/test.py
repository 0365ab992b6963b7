"""Test defaults: PostgreSQL and Redis on this machine unless the environment says otherwise."""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-praktijkleren")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/praktijkleren")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DEMO_USERS_ALLOWED", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("WEBHOOKS_ALLOW_HTTP", "true")
os.environ.setdefault("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true")
# The second log-in step is off: the demo accounts (README: TWO_FACTOR_REQUIRED=1 make run)
# and force_login in tests; tests/security/test_two_factor.py turns it on.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "false")
os.environ.setdefault("PORTAL_URL", "http://testserver")
# The BSN keys derived from SECRET_KEY unless set (not for production: docs/bsn.md).
os.environ.setdefault("BSN_KEYS_FROM_SECRET_KEY", "true")

from praktijkleren.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

warnings.filterwarnings(
    "error", r"DateTimeField .* received a naive datetime", RuntimeWarning, r"django\.db\.models"
)
WHITENOISE_AUTOREFRESH = True  # no collectstatic needed in tests
