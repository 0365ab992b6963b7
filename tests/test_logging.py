"""Logging of refused and failed requests: a 403 or 404 is one line without a traceback, a 500
logs its traceback, and each is printed once (not also by Django's own console handler)."""

import logging
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path


def refused(request):
    raise PermissionDenied


def missing(request):
    raise Http404


def broken(request):
    raise RuntimeError("kapot")


urlpatterns = [
    path("geweigerd/", refused),
    path("ontbreekt/", missing),
    path("kapot/", broken),
    path("", include("praktijkleren.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def console(settings):
    """What the configured console handlers print for a django.request record, under DEBUG
    (as with ``make run``, where Django's own console handler would speak too)."""
    settings.DEBUG = True
    handlers = []
    logger = logging.getLogger("django.request")
    while logger:
        handlers += [h for h in logger.handlers if type(h) is logging.StreamHandler]
        logger = logger.parent if logger.propagate else None
    assert handlers, "no console handler configured"
    output = StringIO()
    previous = [handler.setStream(output) for handler in handlers]
    yield output
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


@pytest.mark.parametrize(
    ("url", "status", "line"),
    [
        ("/geweigerd/", 403, "Forbidden (Permission denied): /geweigerd/"),
        ("/ontbreekt/", 404, "Not Found: /ontbreekt/"),
    ],
)
def test_a_client_error_logs_one_line_without_traceback(console, url, status, line):
    response = Client().get(url)

    assert response.status_code == status
    printed = console.getvalue()
    assert printed.count(line) == 1, printed
    assert "Traceback" not in printed


def test_a_server_error_logs_its_traceback_once(console):
    response = Client(raise_request_exception=False).get("/kapot/")

    assert response.status_code == 500
    printed = console.getvalue()
    assert printed.count("Internal Server Error: /kapot/") == 1, printed
    assert printed.count("Traceback") == 1
    assert "RuntimeError: kapot" in printed


def test_webhook_urls_are_not_logged_by_the_http_client():
    import logging

    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpcore").isEnabledFor(logging.INFO)
