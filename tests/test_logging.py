"""Logging of refused and failed requests: a 403 or 404 is one line without a traceback, a 500
logs its traceback, and each is printed once (not also by Django's own console handler)."""

import contextlib
import json
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


# --- structured logs (praktijkleren/logs.py) --------------------------------------------------

REMOTE_ADDR = "203.0.113.77"  # a documentation address: must never be logged


@contextlib.contextmanager
def capture_json():
    """What the root logger's console handler prints inside the block, rendered as production
    does (one JSON object a line); call the yielded function for the parsed lines, its
    ``text`` for the raw output."""
    from praktijkleren.logs import formatter

    (handler,) = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    output = StringIO()
    previous_stream = handler.setStream(output)
    previous_formatter = handler.formatter
    handler.setFormatter(formatter("json"))

    def lines() -> list[dict]:
        text = output.getvalue()
        assert text, "nothing was logged"
        return [json.loads(line) for line in text.splitlines()]

    lines.text = output.getvalue  # type: ignore[attr-defined]
    try:
        yield lines
    finally:
        handler.setStream(previous_stream)
        handler.setFormatter(previous_formatter)


@pytest.fixture
def json_log():
    """``capture_json`` for the whole test."""
    with capture_json() as lines:
        yield lines


def test_every_line_of_a_request_is_json_with_request_id_level_and_event(json_log):
    response = Client().get("/ontbreekt/", {"q": "Jansen"})

    assert response.status_code == 404
    lines = json_log()
    events = [line["event"] for line in lines]
    assert events == ["request_started", "request_finished", "Not Found: /ontbreekt/"]
    for line in lines:
        assert line["request_id"] == response["X-Request-ID"]
        assert line["level"] in {"info", "warning"}
        assert line["timestamp"]
    assert lines[1]["code"] == 404
    assert lines[1]["request"] == "GET /ontbreekt/"
    assert "Jansen" not in json_log.text()  # no query string


def test_each_request_gets_its_own_id_in_the_response_header(json_log):
    first = Client().get("/ontbreekt/")
    second = Client().get("/ontbreekt/")

    ids = {first["X-Request-ID"], second["X-Request-ID"]}
    assert len(ids) == 2
    assert all(len(value) == 36 for value in ids)  # a UUID
    assert {line["request_id"] for line in json_log()} == ids


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("7c9e6679742540de944be07fc1f90ae7", True),  # a proxy's hex id
        ("kort", False),
        ("a" * 65, False),
        ("abc def ghi", False),
        ('abcdefgh"}{"level":"critical', False),
        ("abcdefgh\nERROR vervalst", False),
        ("jan@gemeente.example", False),
    ],
)
def test_an_incoming_request_id_is_kept_only_when_it_is_safe(json_log, incoming, kept):
    response = Client().get("/ontbreekt/", headers={"X-Request-ID": incoming})

    answered = response["X-Request-ID"]
    assert (answered == incoming) is kept
    if not kept:
        assert len(answered) == 36
    assert {line["request_id"] for line in json_log()} == {answered}


def test_a_server_error_logs_one_json_traceback_with_the_request_id(json_log):
    response = Client(raise_request_exception=False).get("/kapot/")

    assert response.status_code == 500
    lines = json_log()
    with_traceback = [line for line in lines if "exception" in line]
    assert len(with_traceback) == 1
    assert with_traceback[0]["level"] == "error"
    assert "RuntimeError: kapot" in with_traceback[0]["exception"]
    assert {line["request_id"] for line in lines} == {response["X-Request-ID"]}


def _personal_data_absent(text: str, *values: str) -> None:
    for value in values:
        assert value not in text, f"{value!r} was logged"


def test_a_failed_log_in_logs_no_user_name_e_mail_address_or_ip_address(json_log):
    from tests.accounts.factories import UserFactory

    user = UserFactory(username="jan.jansen@gemeente.example", first_name="Janneke")
    client = Client()
    for password in ["fout", "nog-fout"]:
        response = client.post(
            "/inloggen/",
            {"username": user.username, "password": password},
            REMOTE_ADDR=REMOTE_ADDR,
        )
        assert response.status_code == 200
    client.post(
        "/inloggen/",
        {"username": "onbekend@elders.example", "password": "fout"},
        REMOTE_ADDR=REMOTE_ADDR,
    )

    lines = json_log()
    assert [line["event"] for line in lines].count("request_finished") == 3
    _personal_data_absent(
        json_log.text(),
        "jan.jansen",
        "gemeente.example",
        "onbekend@elders.example",
        "Janneke",
        user.email,
        REMOTE_ADDR,
        "fout",
    )


def test_a_candidate_page_logs_the_user_id_but_no_personal_data(json_log):
    from django.urls import reverse

    from tests.candidates.factories import CandidateFactory

    candidate = CandidateFactory(
        first_name="Fenna", last_name="Vliegenthart", email="fenna@voorbeeld.example"
    )
    consultant = candidate.consultant
    client = Client()
    client.force_login(consultant)
    url = reverse("trajecten:candidate_detail", args=[candidate.pk])

    response = client.get(url, REMOTE_ADDR=REMOTE_ADDR)

    assert response.status_code == 200
    lines = json_log()
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert finished == [
        {
            "code": 200,
            "request": f"GET {url}",
            "event": "request_finished",
            "user_id": consultant.pk,
            "request_id": response["X-Request-ID"],
            "level": "info",
            "logger": "django_structlog.middlewares.request",
            "timestamp": finished[0]["timestamp"],
        }
    ]
    _personal_data_absent(
        json_log.text(),
        "Fenna",
        "Vliegenthart",
        candidate.email,
        consultant.username,
        consultant.email,
        consultant.first_name,
        consultant.last_name,
        REMOTE_ADDR,
    )


def test_the_settings_keep_personal_data_out_of_django_structlog(settings):
    assert settings.DJANGO_STRUCTLOG_IP_LOGGING_ENABLED is False
    assert settings.DJANGO_STRUCTLOG_USER_ID_FIELD == "pk"
    assert settings.MIDDLEWARE[0] == "praktijkleren.logs.RequestLogMiddleware"
    assert logging.getLogger("axes").getEffectiveLevel() == logging.ERROR


def test_production_settings_log_json_lines():
    """In a fresh interpreter on the production settings: a request (answered with the https
    redirect) and a standard-library line are JSON objects carrying the request id."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import django, logging; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/gezondheid/', headers={'X-Request-ID': 'proef-123456'})\n"
        "print('STATUS', r.status_code, r['X-Request-ID'])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.production",
        "SECRET_KEY": "x" * 50,
        "BSN_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "BSN_INDEX_KEY": "i" * 43,
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("LOG_FORMAT", None)
    result = subprocess.run(
        [sys.executable, "-W", "ignore::UserWarning", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "STATUS 301 proef-123456" in result.stdout
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [line["event"] for line in lines] == ["request_started", "request_finished"]
    assert {line["request_id"] for line in lines} == {"proef-123456"}
    assert {line["level"] for line in lines} == {"info"}


@pytest.mark.celery_worker
def test_a_task_logs_its_task_id_and_the_request_id_that_queued_it(transactional_db, monkeypatch):
    """A real worker (a thread of this process, solo pool) consumes a task from Redis: the
    task's own lines carry its task id and the request id bound when it was queued."""
    import time

    import structlog
    from celery.contrib.testing.worker import start_worker

    from praktijkleren.celery import app

    @app.task(name="tests.logs_probe")
    def logs_probe():
        structlog.get_logger("tests.probe").info("probe_structlog")
        logging.getLogger("tests.probe").info("probe_stdlib")

    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")
    try:
        # The worker configures logging from settings.LOGGING as it starts: capture after.
        with (
            start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"),
            capture_json() as log,
        ):
            with structlog.contextvars.bound_contextvars(request_id="wachtrij-verzoek-1"):
                result = logs_probe.delay()
            deadline = time.monotonic() + 20
            while "probe_stdlib" not in log.text() and time.monotonic() < deadline:
                time.sleep(0.05)
            probes = [line for line in log() if line["event"].startswith("probe_")]
    finally:
        app.tasks.unregister("tests.logs_probe")

    assert [line["event"] for line in probes] == ["probe_structlog", "probe_stdlib"]
    for line in probes:
        assert line["task_id"] == result.id
        assert line["request_id"] == "wachtrij-verzoek-1"
