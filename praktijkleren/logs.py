"""Structured logs (structlog through django-structlog): one configuration for the web
process, the Celery worker and beat, management commands and tests.

- Every line is an event with ``event``, ``level``, ``logger`` and ``timestamp`` (UTC, ISO
  8601), plus what is bound to the current request or task: ``request_id`` (every request, see
  ``RequestLogMiddleware``), ``user_id`` (the user's pk, never a name or an e-mail address) and,
  in the worker, ``task_id`` (and the ``request_id``/``user_id`` of the request that queued the
  task, carried in the task's headers by django-structlog).
- ``LOG_FORMAT`` chooses the rendering: ``json`` (one JSON object a line, production's
  default) or ``console`` (readable ``key=value`` lines, the default elsewhere).
- Lines from the standard library's loggers (Django, Celery, our ``logging.getLogger``) go
  through the same formatter, so they carry the request id too.
- No personal data by default: no IP address, no user agent, no query string (it may hold
  search terms), no user name or e-mail address. The quiet loggers and the 4xx filter are in
  ``logging_config``.
"""

from __future__ import annotations

import re
import sys
import uuid
from typing import Any

import structlog
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse
from django_structlog.app_settings import app_settings
from django_structlog.middlewares import RequestMiddleware

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming request id is kept only when it looks like one (a UUID, a proxy's hex id): no
# spaces, quotes, control characters or '@', at most 64 characters; otherwise a new one is made.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")

# What every line gets before it is rendered, for structlog's own loggers and (as the
# formatter's foreign_pre_chain) for records of the standard library's loggers alike.
_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure_structlog() -> None:
    """Route structlog's loggers into the standard library's ``logging`` (so ``LOGGING``'s
    handlers, filters and levels apply to both). Called once from the settings."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(kind: str) -> structlog.stdlib.ProcessorFormatter:
    """The ``logging.Formatter`` for ``kind``: ``"json"`` (one JSON object a line; a traceback
    as a plain string in ``exception``, never with local variables) or ``"console"`` (readable
    lines with a plain traceback). Raises ``ValueError`` for another kind."""
    if kind == "json":
        renderer: list[Any] = [
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    elif kind == "console":
        renderer = [
            structlog.dev.ConsoleRenderer(
                colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback
            )
        ]
    else:
        raise ValueError(f"LOG_FORMAT must be 'json' or 'console', not {kind!r}.")
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dict: one console handler (standard error) with the ``log_format``
    formatter at ``level`` on the root logger, the 4xx filter, and the quiet loggers."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "client_error_without_traceback": {
                "()": "praktijkleren.logging_filters.ClientErrorWithoutTraceback"
            },
        },
        "formatters": {
            "structured": {"()": "praktijkleren.logs.formatter", "kind": log_format},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "filters": ["client_error_without_traceback"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # runserver's own access line holds the query string; the request_finished line
            # says the same without it.
            "django.server": {"level": "WARNING"},
            # httpx logs every request's URL at INFO; a webhook URL may hold a receiver's token.
            "httpx": {"level": "WARNING"},
            "httpcore": {"level": "WARNING"},
            # django-axes names the user name and address of every attempt: personal data.
            "axes": {"level": "ERROR"},
        },
    }


def request_id_from(value: str | None) -> str:
    """``value`` (an incoming ``X-Request-ID``) when it matches ``REQUEST_ID_PATTERN``, else a
    new random UUID (36 characters)."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return str(uuid.uuid4())


def _clear_request_context(**kwargs: Any) -> None:
    """Unbind the finished request's context (Django's ``request_finished`` signal)."""
    structlog.contextvars.clear_contextvars()


request_finished.connect(_clear_request_context, dispatch_uid="praktijkleren.logs.clear_context")


class RequestLogMiddleware(RequestMiddleware):
    """django-structlog's request middleware, without personal data: it binds ``request_id``
    (``request_id_from`` the incoming header) and the user's pk for every line logged during
    the request, logs ``request_started`` and ``request_finished`` with the method and the path
    (no query string, no address, no user agent) and sends the id back in ``X-Request-ID``.

    First in ``MIDDLEWARE``, so every other middleware's lines carry the id and every answer,
    a redirect by ``SecurityMiddleware`` included, has the header. A 500's traceback is logged
    once, by Django's ``django.request`` logger (with the request id); this middleware adds no
    second one."""

    def prepare(self, request: HttpRequest) -> None:
        """Bind the request id (also kept as ``request.request_id``) and log the start."""
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        self.bind_user_id(request)
        structlog.get_logger(__name__).log(
            app_settings.STATUS_START_LOG_LEVEL,
            "request_started",
            request=self.format_request(request),
        )

    def handle_response(self, request: HttpRequest, response: HttpResponse) -> None:
        """Log ``request_finished`` and answer with the request id. The request's context
        stays bound until Django's ``request_finished`` signal (django-structlog clears it
        here): Django logs a 404 or another answer of 400 and up ("Not Found: /path") after the
        last middleware, and that line must carry the request id too."""
        self.bind_user_id(request)
        context = structlog.contextvars.get_contextvars()
        super().handle_response(request, response)
        structlog.contextvars.bind_contextvars(**context)
        request_id = getattr(request, "request_id", None)
        if request_id:
            response[REQUEST_ID_HEADER] = request_id

    @staticmethod
    def format_request(request: HttpRequest) -> str:
        """``METHOD /path/``: the path without its query string."""
        return f"{request.method} {request.path}"

    def process_got_request_exception(
        self, sender: Any, request: HttpRequest, **kwargs: Any
    ) -> None:
        """Leave the traceback to ``django.request``: ``request_finished`` says the 500."""
        return None
