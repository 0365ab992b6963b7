"""Security headers (issue 9): every response a view gives — every page of the guard's table
(tests/test_guards.py) for its owners and anonymously, the admin's, the exports, the error
pages — carries the Content-Security-Policy (nothing inline), ``Cache-Control: no-store``,
``X-Content-Type-Options: nosniff``, the ``Referrer-Policy`` and the ``Permissions-Policy``;
HSTS on HTTPS with the production values; static files stay cacheable."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path, reverse
from django.views.decorators.cache import cache_control

from praktijkleren import urls as root_urls
from praktijkleren.ui.security_headers import permissions_policy_header
from tests import test_guards as guards
from tests.test_csp import EXPECTED as CSP_DIRECTIVES
from tests.trajecten import test_praktijkverklaring as pv

pytestmark = pytest.mark.django_db

# The guard's world of objects and the praktijkverklaring's enrolment, as fixtures here.
world = guards.world
enrolment = pv.enrolment
school = pv.school
consultant = pv.consultant

DENIED = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
)


def assert_security_headers(response, where) -> None:
    """The headers every response of a view must carry; ``where`` names it in a failure."""
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    for directive in CSP_DIRECTIVES:
        assert directive in policy, (where, directive, policy)
    assert "unsafe" not in policy, (where, policy)
    cache = [part.strip() for part in headers.get("Cache-Control", "").split(",")]
    assert "no-store" in cache, (where, headers.get("Cache-Control"))
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    permissions = headers.get("Permissions-Policy", "")
    for feature in DENIED:
        assert f"{feature}=()" in permissions, (where, feature, permissions)


def _get(client, user, url):
    return guards._client_for(client, user).get(url)


# --- every page of the guard's table ----------------------------------------------------------


# A ModelAdmin's standard views: one of each kind stands for all (the same middleware answers
# them; the guard's one-<h1> test renders every one). The admin's other views are all checked.
ADMIN_KINDS = ("changelist", "add", "change", "delete", "history")


def _admin_kind(name: str) -> str:
    kind = name.rsplit("_", 1)[-1]
    return kind if kind in ADMIN_KINDS else name


def test_every_url_answers_its_owners_and_anonymous_with_the_headers(client, world):
    """Every URL pattern of the guard's table (tests/test_guards.py) and of the admin, GET as
    each owning role and anonymously: whatever the answer (page, redirect, 404, 405, a
    download), the headers are there."""
    seen_statuses, seen_admin_kinds = set(), set()
    for name, url, spec in guards._requests(world):
        if spec is None:
            if _admin_kind(name) in seen_admin_kinds:
                continue
            seen_admin_kinds.add(_admin_kind(name))
        owners = ("beheer",) if spec is None else tuple(sorted(spec.owners))
        for role in dict.fromkeys((*owners, "anonymous")):
            response = _get(client, world.users[role], url)
            assert_security_headers(response, (role, url, response.status_code))
            seen_statuses.add(response.status_code)
    # The walk met pages, redirects and refusals alike, and each kind of admin view.
    assert {200, 302, 404} <= seen_statuses, seen_statuses
    assert set(ADMIN_KINDS) <= seen_admin_kinds, seen_admin_kinds


# --- each kind of page by name ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["login", "trajecten:verify", "admin:login"])
def test_anonymous_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_security_headers(response, name)


def test_the_verification_with_a_query(client):
    response = client.get(
        reverse("trajecten:verify"), {"number": "PV-2026-000001", "check_code": "x"}
    )
    assert response.status_code == 200
    assert_security_headers(response, "verify")


def test_portal_pages_of_logged_in_users(client, world):
    for role, name in (
        ("consultant", "candidates:candidate_list"),
        ("school", "trajecten:enrolment_list"),
        ("werkgever", "leerbedrijven:leerbaan_list"),
    ):
        response = _get(client, world.users[role], reverse(name))
        assert response.status_code == 200, (role, name)
        assert_security_headers(response, (role, name))


def test_a_redirect_to_the_login(client):
    response = client.get(reverse("candidates:candidate_list"))
    assert response.status_code == 302
    assert_security_headers(response, "redirect")


def test_admin_pages(client, world):
    client.force_login(world.users["beheer"])
    for name in ("admin:index", "admin:accounts_user_changelist", "admin:accounts_user_add"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_security_headers(response, name)


def test_the_erkenningen_csv_export(client, world):
    client.force_login(world.users["beheer"])
    response = client.get(reverse("admin:leerbedrijven_erkenning_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_security_headers(response, "csv export")


def test_the_praktijkverklaring_pdf(client, enrolment, school, consultant):
    pv._issue(enrolment, school)
    url = reverse("trajecten:praktijkverklaring_pdf", kwargs={"pk": enrolment.pk})
    for user in (school, consultant):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert_security_headers(response, ("pdf", user))


# --- error pages ------------------------------------------------------------------------------


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


@cache_control(max_age=60, public=True)
def _cacheable(request: HttpRequest) -> HttpResponse:
    return HttpResponse("public")


urlpatterns = [
    *root_urls.urlpatterns,
    path("test-boom/", _boom),
    path("test-cacheable/", _cacheable),
]


def test_404_page(client, world):
    for user in (None, world.users["consultant"]):
        response = _get(client, user, "/bestaat-niet/")
        assert response.status_code == 404
        assert_security_headers(response, ("404", user))


def test_405_page(client):
    response = client.post(reverse("trajecten:verify"))
    assert response.status_code == 405
    assert_security_headers(response, "405")


def test_403_csrf_page():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x"})
    assert response.status_code == 403
    assert_security_headers(response, "403 csrf")


def test_403_page(client, world):
    """A werkgever asking for a consultant's page is refused (permission_required)."""
    response = _get(client, world.users["werkgever"], reverse("candidates:candidate_create"))
    assert response.status_code in (403, 404)
    assert_security_headers(response, "403")


@pytest.mark.urls(__name__)
def test_500_page(caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    assert_security_headers(response, "500")


@pytest.mark.urls(__name__)
def test_a_view_that_sets_its_own_cache_control_keeps_it(client):
    response = client.get("/test-cacheable/")
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


# --- static files, HSTS, production settings --------------------------------------------------


@override_settings(WHITENOISE_USE_FINDERS=True)  # tests run without collectstatic
def test_static_files_stay_cacheable(client):
    response = client.get(f"/{settings.STATIC_URL.strip('/')}/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response["X-Content-Type-Options"] == "nosniff"


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_hsts_on_https(client):
    response = client.get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert_security_headers(response, "https")
    # Never on plain HTTP (a browser ignores it there; production redirects to HTTPS).
    assert "Strict-Transport-Security" not in client.get(reverse("login")).headers


def test_production_settings():
    """The production module's values, read in a fresh process (importing it here would change
    this process's environment)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD',"
        "'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'SECURE_REFERRER_POLICY',"
        "'MIDDLEWARE', 'PERMISSIONS_POLICY')}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DJANGO_", "DEMO_", "WEBHOOKS_"))
    } | {
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.nl",
        "BSN_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "BSN_INDEX_KEY": "i" * 43,
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    middleware = values["MIDDLEWARE"]
    assert "praktijkleren.ui.security_headers.PermissionsPolicyMiddleware" in middleware
    # No-store after WhiteNoise: static files are answered before it.
    assert middleware.index("praktijkleren.ui.security_headers.NoStoreMiddleware") > (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    )
    assert all(values["PERMISSIONS_POLICY"][feature] == [] for feature in DENIED)


def test_permissions_policy_header_syntax():
    assert permissions_policy_header({"camera": [], "geolocation": ["self", "https://a.nl"]}) == (
        'camera=(), geolocation=(self "https://a.nl")'
    )


def test_collected_static_files_are_compressed_hashed_and_immutable(tmp_path):
    """Production and the docker stack (Dockerfile: collectstatic at build; gunicorn, DEBUG off):
    WhiteNoise serves the stylesheets under hashed names, brotli- or gzip-compressed, cacheable
    for years (issue 10, light pages)."""
    from django.core.management import call_command
    from django.templatetags.static import static

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False, WHITENOISE_USE_FINDERS=False
    ):
        # Without the admin's and axe-core's files: compressing those takes most of the time.
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "axe-core", "django_extensions", "rest_framework"],
        )
        url = static("vendor/utrecht/components.css")
        assert re.search(r"/components\.[0-9a-f]{12}\.css$", url), url
        client = Client()
        for encoding in ("br", "gzip"):
            response = client.get(url, headers={"accept-encoding": encoding})
            assert response.status_code == 200
            assert response["Content-Encoding"] == encoding
            assert "immutable" in response["Cache-Control"]
            assert "max-age=315360000" in response["Cache-Control"]
            assert "no-store" not in response["Cache-Control"]
        plain = client.get(url)
        assert "Content-Encoding" not in plain
        assert int(response["Content-Length"]) < int(plain["Content-Length"]) / 3
