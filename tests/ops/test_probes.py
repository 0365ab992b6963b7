"""Readiness (``/gezondheid/gereed/``), the worker's and beat's liveness files, ``manage.py probe``
and gunicorn's settings (praktijkleren/ops/, gunicorn.conf.py)."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.migrations.executor import MigrationExecutor

from praktijkleren.celery import app
from praktijkleren.ops import liveness

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_readiness_names_database_migrations_and_broker(client):
    response = client.get("/gezondheid/gereed/")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_fails_while_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])

    response = client.get("/gezondheid/gereed/")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


@pytest.mark.django_db
def test_readiness_fails_when_the_broker_does_not_answer(client, monkeypatch):
    for name in ("broker_url", "broker_write_url"):
        monkeypatch.setitem(app.conf, name, "redis://127.0.0.1:1/0")

    response = client.get("/gezondheid/gereed/")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "broker": "unavailable",
    }


@pytest.mark.django_db
def test_in_process_tasks_are_ready_without_a_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    assert client.get("/gezondheid/gereed/").json()["checks"]["broker"] == "in-process"


def test_readiness_refuses_writes(client):
    assert client.post("/gezondheid/gereed/").status_code == 405


def test_a_liveness_file_is_fresh_only_when_touched_lately(tmp_path):
    path = tmp_path / "alive"
    assert not liveness.file_is_fresh(path)
    path.touch()
    assert liveness.file_is_fresh(path)
    old = time.time() - liveness.LIVENESS_MAX_AGE - 1
    os.utime(path, (old, old))
    assert not liveness.file_is_fresh(path)


def test_beat_touches_its_file_at_every_tick(tmp_path, monkeypatch):
    path = tmp_path / "beat-alive"
    monkeypatch.setenv("BEAT_LIVENESS_FILE", str(path))
    scheduler = liveness.LivenessScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    try:
        interval = scheduler.tick()
    finally:
        scheduler.close()

    assert liveness.file_is_fresh(path)
    assert 0 <= interval <= settings.CELERY_BEAT_MAX_LOOP_INTERVAL


@pytest.mark.django_db
def test_the_probe_command_fails_on_a_stale_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BEAT_LIVENESS_FILE", str(tmp_path / "beat-alive"))
    with pytest.raises(CommandError, match="beat-live: not healthy"):
        call_command("probe", "beat-live")
    assert json.loads(capsys.readouterr().out) == {
        "probe": "beat-live",
        "checks": {"ticking": "stale"},
    }
    (tmp_path / "beat-alive").touch()
    call_command("probe", "beat-live")


def _probe(env: dict[str, str], name: str) -> int:
    return subprocess.run(
        [sys.executable, "manage.py", "probe", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    ).returncode


def _wait(condition, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.mark.celery_worker
@pytest.mark.slow
def test_the_worker_probe_fails_when_the_worker_stops_consuming(tmp_path):
    """A real worker: alive while it consumes; stale when its process is frozen (SIGSTOP: it
    neither consumes nor touches); alive again when it goes on; gone when it stops."""
    path = tmp_path / "worker-alive"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.test",
        "WORKER_LIVENESS_FILE": str(path),
        "LIVENESS_INTERVAL": "0.5",
        "LIVENESS_MAX_AGE": "3",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "praktijkleren",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--queues",
            "probe-test",
            "--hostname",
            "probe-test@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert _wait(lambda: liveness.file_is_fresh(path, 3))
        assert _probe(env, "worker-live") == 0

        os.killpg(worker.pid, signal.SIGSTOP)
        assert _wait(lambda: _probe(env, "worker-live") == 1, timeout=20)

        os.killpg(worker.pid, signal.SIGCONT)
        assert _wait(lambda: _probe(env, "worker-live") == 0, timeout=20)
    finally:
        os.killpg(worker.pid, signal.SIGCONT)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    assert not path.exists()
    assert _probe(env, "worker-live") == 1


def test_gunicorn_takes_its_settings_from_the_environment():
    script = (
        "import runpy, json; c = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps({k: c[k] for k in ('bind', 'workers', 'threads', 'timeout',"
        " 'access_log_format')}))"
    )
    env = {
        **os.environ,
        "GUNICORN_BIND": "0.0.0.0:9123",
        "WEB_CONCURRENCY": "5",
        "GUNICORN_THREADS": "4",
        "GUNICORN_TIMEOUT": "17",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    config = json.loads(done.stdout)

    assert (config["bind"], config["workers"], config["threads"], config["timeout"]) == (
        "0.0.0.0:9123",
        5,
        4,
        17,
    )
    # The path without its query string; no request line, address, agent or referrer.
    assert "%(U)s" in config["access_log_format"]
    for leaking in ("%(r)s", "%(q)s", "%(h)s", "%(a)s", "%(f)s"):
        assert leaking not in config["access_log_format"]
