"""gunicorn's settings, from the environment (the Dockerfile's CMD loads this file).

- ``GUNICORN_BIND`` (``0.0.0.0:8000``), ``WEB_CONCURRENCY`` (worker processes, 3),
  ``GUNICORN_THREADS`` (threads a worker, 2), ``GUNICORN_TIMEOUT`` (seconds a request may take
  before its worker is restarted, 30), ``GUNICORN_GRACEFUL_TIMEOUT`` (seconds, 30),
  ``GUNICORN_KEEPALIVE`` (seconds, 5), ``GUNICORN_MAX_REQUESTS`` (requests before a worker is
  recycled, 1000, with jitter).
- Access log on stdout without query strings: a query may hold a search term or a token.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 3)
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm"  # noqa: S108 - memory-backed heartbeat files, gunicorn's advice in containers
accesslog = "-"
# %(U)s is the path without its query string; no remote address or user agent either.
access_log_format = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
