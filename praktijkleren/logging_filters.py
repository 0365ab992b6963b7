"""Logging filters named in ``LOGGING`` (praktijkleren/settings/base.py)."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """Drop the traceback from the log record of a 4xx answer; keep it for a 5xx.

    Django logs a ``PermissionDenied`` (403) or ``Http404`` (404) raised in a view with the
    exception attached (``django.utils.log.log_response``), so every refused page printed a
    traceback. Such an answer is the portal working as intended: one line says enough. The
    record's ``status_code`` comes from ``log_response``; records without one pass unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record; strip the exception from those of a client error."""
        status_code = getattr(record, "status_code", None)
        if isinstance(status_code, int) and status_code < 500:
            record.exc_info = None
            record.exc_text = None
        return True
