"""Settings shared by every environment. Every value comes from the environment via
``praktijkleren.env``; ``dev`` and ``test`` only set defaults and import this module."""

import logging
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from praktijkleren.env import derived_key, env_bool, env_int, env_list, env_str
from praktijkleren.logs import configure_structlog, logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "csp",
    # TOTP and recovery codes for the second log-in step (before accounts: its admin
    # unregisters their device admins, see praktijkleren/accounts/admin.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "praktijkleren.geo",
    "praktijkleren.accounts",
    "praktijkleren.notifications",
    "praktijkleren.ui",
    "praktijkleren.ops",
    "opleidingen",
    "leerbedrijven",
    "candidates",
    "trajecten",
    "praktijkleren.demo",
    "axes",
    "django_structlog",
]

MIDDLEWARE = [
    # First: binds the request id for every line logged below it and answers it in X-Request-ID.
    "praktijkleren.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "praktijkleren.ui.middleware.MethodNotAllowedPageMiddleware",
    # Records a logged-in user's request to a candidate's page that answers 403 or 404.
    "praktijkleren.accounts.audit.RefusedAccessMiddleware",
    "praktijkleren.accounts.middleware.SessionLifetimeMiddleware",
    "praktijkleren.accounts.middleware.TwoFactorMiddleware",
    # Last: turns a log-in refused by django-axes into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "praktijkleren.urls"
WSGI_APPLICATION = "praktijkleren.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "praktijkleren.ui.context_processors.portal",
                "praktijkleren.ui.sessions.session_timing",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded portal: a write transaction takes SQLite's write lock when it begins, and a
    # second writer waits for it (up to 20 s) instead of failing with "database is locked";
    # WAL lets pages be read while a change is written.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# A list, so another backend (OIDC through a DigiD/eHerkenning broker) is added here, not in the
# views: see docs/architecture.md, "Log-in". django-axes first: it refuses a locked-out log-in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "praktijkleren.accounts.backends.PortalModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Log-in lockout and session lengths (issue 9). After LOGIN_FAILURE_LIMIT failed log-ins the
# user name and, separately, the address are refused for LOGIN_LOCKOUT_MINUTES (django-axes,
# failures counted in its database table); an unknown user name is counted like a known one.
# A session ends after SESSION_IDLE_MINUTES without a request (the cookie's age, renewed on every
# request) and SESSION_MAX_HOURS after the log-in at the latest
# (``praktijkleren.accounts.middleware.SessionLifetimeMiddleware``); pages warn
# SESSION_WARNING_SECONDS before the idle end (static/js/session-timeout.js).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 60)
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 15)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
# Behind a reverse proxy the client's address is the n-th from the right in X-Forwarded-For
# (n = the number of proxies); 0 reads REMOTE_ADDR (no proxy, or one that rewrites it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful log-in does not clear the failures: it would clear the address's too, so one
# own account would let an attacker guess other accounts' passwords from that address unhindered.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "praktijkleren.ui.sessions.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "praktijkleren.accounts.lockout.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful log-ins are not kept with their address
# The log-in's second step (TOTP through django-otp, recovery codes as its static device): while
# TWO_FACTOR_REQUIRED, a logged-in user who has not passed it is sent to it from every page
# (``praktijkleren.accounts.middleware.TwoFactorMiddleware``). On by default; production forces
# it on, dev and test default it off (the demo's printed accounts, and force_login in tests).
# Wrong codes count as failed log-ins for django-axes (same limit, same lockout); django-otp's
# own per-device throttle is off so that one rule applies. The admin never shows a device's key.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
TWO_FACTOR_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Praktijkleren"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]  # masked in its records
# django-axes' records (user name typed and address: personal data) are deleted this many days
# after the attempt by a daily job (accounts.axes_records_purge); a lockout still running is kept.
AXES_RECORDS_RETENTION_DAYS = env_int("AXES_RECORDS_RETENTION_DAYS", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves what collectstatic gathered (the Dockerfile runs it at build)
# under hashed names (components.<hash>.css), pre-compressed with brotli and gzip
# (whitenoise[brotli]), hashed files with Cache-Control "max-age=315360000, public, immutable"
# (tests/test_headers.py). With DEBUG on (make run) it serves the sources as they are.
# Only the NL Design System CSS the portal uses is vendored: frontend/build-css.mjs.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline (no
# 'unsafe-inline', no nonces). The portal's templates have no inline script or style, and the
# Django 5.2 admin needs none either: its scripts are static files and its page data travels in
# data- attributes and json_script (type="application/json", which is data, not script).
# img-src allows data: for the SVG check marks in the vendored Utrecht and voorbeeld-theme CSS.
# tests/e2e fail on any violation the browser reports, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Security headers on every response (praktijkleren/ui/security_headers.py; tests/test_headers.py).
# SecurityMiddleware: nosniff, the Referrer-Policy and the opener policy (HSTS: production.py).
# Permissions-Policy: the browser features the portal never uses are denied to every page and
# frame, interest-cohort and its successor browsing-topics (ad profiling) included; only names
# Chromium knows (it warns on each unknown one, e.g. "bluetooth"). Cache-Control: no-store on
# everything a view answers (pages show personal data); the middleware sits after WhiteNoise, so
# static files stay cacheable. Both are inserted here, not in the list above, to keep this block
# self-contained.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "praktijkleren.ui.security_headers.PermissionsPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "praktijkleren.ui.security_headers.NoStoreMiddleware",
)

CRISPY_ALLOWED_TEMPLATE_PACKS = ("utrecht",)
CRISPY_TEMPLATE_PACK = "utrecht"

# Reference data (../shared/data) and the demo.
REFERENCE_DATA_DIR = Path(env_str("REFERENCE_DATA_DIR", str(BASE_DIR.parent / "shared" / "data")))
DEMO_USERS_ALLOWED = env_bool("DEMO_USERS_ALLOWED", False)
# The erkenningen import refuses a file that would end more than this share of the erkenningen
# that are current today (``leerbedrijven.importers``); a whole percentage in the environment.
ERKENNINGEN_MAX_ENDING_SHARE = env_int("ERKENNINGEN_MAX_ENDING_PERCENT", 10) / 100

# E-mail.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Praktijkleren <noreply@praktijkleren.example>")

# Celery: without a broker URL the tasks run in-process (embedded default). The settings close
# the known loss and duplicate modes: a task is acknowledged after it ran and re-delivered when
# its worker died; one task prefetched at a time; the broker's visibility time-out (how long
# Redis waits before it hands an unacknowledged task to another worker) exceeds any task's run
# time; publishing and connecting give up quickly, so a request never waits for a broker that is
# down (the outbox row stays pending; the dispatcher sends it later).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 30)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 45)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 300,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
# Beat touches its liveness file at every tick, at least every 30 s (manage.py probe beat-live).
CELERY_BEAT_SCHEDULER = "praktijkleren.ops.liveness:LivenessScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
CELERY_BEAT_SCHEDULE = {
    "notifications-dispatch-due": {"task": "notifications.dispatch_due", "schedule": 15.0},
    "notifications-digests": {
        "task": "notifications.digests_send",
        "schedule": crontab(minute=0, hour=7),
    },
    # Leerbanen close at midnight (Europe/Amsterdam): run just after it, and every 15 minutes
    # for full leerbanen and unanswered voordrachten.
    "flow-close-due-at-midnight": {
        "task": "candidates.close_due",
        "schedule": crontab(minute=1, hour=0),
    },
    "flow-close-due": {"task": "candidates.close_due", "schedule": 900.0},
    "leerbaan-closing-reminders": {
        "task": "leerbedrijven.reminders_send",
        "schedule": crontab(minute=0, hour=8),
    },
    "erkenningen-announce": {
        "task": "trajecten.erkenningen_announce",
        "schedule": crontab(minute=30, hour=6),
    },
    # Check-ins that flag a problem or were missed: the consultant hears once, in the morning.
    "checkins-signal": {
        "task": "trajecten.checkins_signal",
        "schedule": crontab(minute=15, hour=7),
    },
    # Retention: anonymise candidates whose term (RETENTION) expired, at night, in batches.
    "candidates-anonymise-expired": {
        "task": "trajecten.candidates_anonymise_expired",
        "schedule": crontab(minute=30, hour=2),
    },
    # Log-in attempt records (user name, address) older than AXES_RECORDS_RETENTION_DAYS.
    "axes-records-purge": {
        "task": "accounts.axes_records_purge",
        "schedule": crontab(minute=30, hour=3),
    },
}

# Retention terms (issue 9, 'Personal data'; docs/privacy.md), in days from the date the
# candidate reached the final status (its CandidateTransition): afgemeld after having been
# actief, afgerond, uitgevallen; ``never_active``: afgemeld without ever having been actief.
# Policy choices, not law: the AVG (art. 5(1)(e)) asks for no longer than needed, and these
# follow the terms gemeenten commonly keep re-integration files under the Participatiewet.
RETENTION = {
    "afgemeld": env_int("RETENTION_AFGEMELD_DAYS", 2 * 365),
    "afgerond": env_int("RETENTION_AFGEROND_DAYS", 2 * 365),
    "uitgevallen": env_int("RETENTION_UITGEVALLEN_DAYS", 2 * 365),
    "never_active": env_int("RETENTION_NEVER_ACTIVE_DAYS", 365),
}
# How many candidates the retention job anonymises per transaction.
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 500)

# Notifications: the portal's public address (links in e-mails and webhooks), the CloudEvents
# source (NL GOV profile: a URN naming the producing system; set the organisation's OIN-based URN
# in production), and the retry schedule of a failed delivery (seconds).
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
CLOUDEVENTS_SOURCE = env_str("CLOUDEVENTS_SOURCE", "urn:nld:praktijkleren:portaal")
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 30)
NOTIFICATION_RETRY_MAX_SECONDS = env_int("NOTIFICATION_RETRY_MAX_SECONDS", 600)
# Webhook addresses: https and public addresses only, unless a developer allows more here.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", False)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)

# Structured logs (praktijkleren/logs.py): JSON lines in production, readable lines elsewhere;
# every line of a request carries its request id (also answered in X-Request-ID), a task's its
# task id and the request id that queued it. No IP address, user name, e-mail address, user
# agent or query string (django-structlog logs the address by default: turned off here).
LOG_FORMAT = env_str("LOG_FORMAT", "console")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
configure_structlog()
LOGGING = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_STATUS_4XX_LOG_LEVEL = logging.INFO
# The BSN, encrypted at rest (docs/bsn.md). BSN_ENCRYPTION_KEYS: Fernet keys, comma-separated,
# newest first (it encrypts with the first and reads with any). BSN_INDEX_KEY: the HMAC-SHA256 key
# of the blind index that serves exact look-up and duplicate detection; BSN_INDEX_KEY_PREVIOUS
# keeps look-ups working while bsn_rotate_keys re-indexes after a change of it. Without them the
# settings refuse to load, unless BSN_KEYS_FROM_SECRET_KEY (dev and test only; production sets it
# false) derives both from SECRET_KEY.
_BSN_KEYS_DERIVED = env_bool("BSN_KEYS_FROM_SECRET_KEY", False)
BSN_ENCRYPTION_KEYS = env_list(
    "BSN_ENCRYPTION_KEYS",
    [derived_key(SECRET_KEY, "bsn-encryption")] if _BSN_KEYS_DERIVED else [],
)
if not BSN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("Set the environment variable BSN_ENCRYPTION_KEYS.")
BSN_INDEX_KEY = (
    env_str("BSN_INDEX_KEY", derived_key(SECRET_KEY, "bsn-index"))
    if _BSN_KEYS_DERIVED
    else env_str("BSN_INDEX_KEY")
)
BSN_INDEX_KEY_PREVIOUS = env_str("BSN_INDEX_KEY_PREVIOUS", "")
