"""The project's speed figures, printed (never asserted in a unit test).

    uv run python bench/run.py            # on a fresh SQLite file in a temp directory
    DATABASE_URL=postgres://... uv run python bench/run.py   # on that (empty or disposable) DB

Times, as a newcomer's ``make run`` does them: ``migrate``, ``load_reference`` (real data from
``REFERENCE_DATA_DIR``), a second ``load_reference`` (should change nothing), ``seed_demo
--reset`` (a full build of the default region, also on a database that has one), then
``bench/bench_match.py`` over every candidate and published leerbaan.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(env: dict[str, str], *args: str) -> float:
    """Run ``manage.py <args>`` with ``env``; return wall seconds; raise on a non-zero exit."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own manage.py with fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - start


def main() -> None:
    env = dict(os.environ)
    env.setdefault("DEMO_PASSWORD", "bench-only-password")
    tmp = tempfile.mkdtemp(prefix="praktijkleren-bench-")
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    print(f"database: {env['DATABASE_URL'].split('@')[-1]}")
    for label, args in [
        ("migrate", ("migrate", "--no-input")),
        ("load_reference (first run)", ("load_reference",)),
        ("load_reference (second run)", ("load_reference",)),
        ("seed_demo --reset (AM13)", ("seed_demo", "--reset")),
    ]:
        print(f"{label:32s} {_timed(env, *args):7.2f} s (wall, incl. Django start-up)")
    subprocess.run([sys.executable, "bench/bench_match.py"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    main()
