"""The embedded default (``make run``) migrates a fresh SQLite database: every migration runs
there too, and the triggers that stand in for the composite foreign key (``leerbedrijven``
``0005``; dropped and created again by migrations that rebuild the tables) are in place."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from leerbedrijven.migrations._sqlite import SQLITE_TRIGGERS

ROOT = Path(__file__).resolve().parent.parent


def test_a_fresh_sqlite_database_migrates_with_the_vestiging_triggers(tmp_path):
    path = tmp_path / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.dev",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(path) as db:
        triggers = {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert set(SQLITE_TRIGGERS) <= triggers
