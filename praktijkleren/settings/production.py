"""Production: every secret from the environment, HTTPS only, demo users refused, the second
log-in step required."""

import os

os.environ["DEMO_USERS_ALLOWED"] = "false"
# Every professional user logs in with a second factor (TOTP); accounts.checks errors otherwise.
os.environ["TWO_FACTOR_REQUIRED"] = "true"
# Webhooks go to public https addresses only (praktijkleren.notifications.webhooks.url_check).
os.environ["WEBHOOKS_ALLOW_HTTP"] = "false"
os.environ["WEBHOOKS_ALLOW_PRIVATE_ADDRESSES"] = "false"
# The BSN keys come from the environment, never from SECRET_KEY (docs/bsn.md).
os.environ["BSN_KEYS_FROM_SECRET_KEY"] = "false"  # noqa: S105  (a switch, not a secret)

from praktijkleren.env import env_bool, env_int, env_str
from praktijkleren.logs import logging_config
from praktijkleren.settings.base import *  # noqa: F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# One JSON object a line, for the log collector (praktijkleren/logs.py).
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)  # noqa: F405
