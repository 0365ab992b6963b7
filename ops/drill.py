#!/usr/bin/env python3
"""Restore drill of the docker compose stack (ops/drill.sh runs it; docs/operations.md).

1. Starts the stack (as ops/smoke.py does), loads the demo region and a real consultant who logs
   in once over HTTP (setting up the second step; the drill keeps the key, as the app would).
2. Takes a backup with ops/backup.sh and restores it with ops/restore.sh into a fresh database
   of the same PostgreSQL (``praktijkleren_restored``).
3. Compares every table of the two databases: row count and a checksum of its rows (md5 over
   the rows' text, in a fixed order). They must be equal.
4. Starts a second web process on the restored database and, over HTTP, logs the consultant in
   (password and a TOTP code) and opens a candidate's page: it must show the candidate.
5. Stops everything and removes the stack's volumes and the dump.

Exit 0 when the restored copy is equal and serves the page. Prints the timings.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smoke
from smoke import ROOT, Browser, Stack, fail, log, totp

RESTORED = "praktijkleren_restored"
RESTORED_WEB_PORT = 58001

CHECKSUMS = r"""
SELECT c.relname || '|' || (xpath('/row/n/text()', query_to_xml(format(
    'SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
    || '|' || (xpath('/row/m/text()', query_to_xml(format(
    'SELECT md5(coalesce(string_agg(md5(t::text), '''' ORDER BY md5(t::text)), '''')) AS m '
    'FROM %I.%I t', n.nspname, c.relname), false, true, '')))[1]::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname = 'public'
ORDER BY c.relname;
"""


def table_checksums(stack: Stack, database: str) -> dict[str, tuple[int, str]]:
    """``{table: (rows, md5 of its rows)}`` of every table in ``database``'s public schema."""
    done = stack.run(
        "exec",
        "-T",
        "db",
        "sh",
        "-c",
        f'psql -X -q -t -A -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname {database}',
        capture=True,
        input_text=CHECKSUMS,
    )
    result = {}
    for line in done.stdout.splitlines():
        if line.count("|") == 2:
            table, rows, checksum = line.split("|")
            result[table] = (int(rows), checksum)
    return result


def compose_args(stack: Stack) -> str:
    return " ".join(stack.command()[len(smoke.compose_command()) :])


def backup_and_restore(stack: Stack, workdir: Path) -> Path:
    env = {
        **os.environ,
        "ENV_FILE": str(stack.env_path),
        "COMPOSE": " ".join(smoke.compose_command()),
        "COMPOSE_ARGS": compose_args(stack),
    }
    started = time.monotonic()
    dump = subprocess.run(
        [str(ROOT / "ops" / "backup.sh"), str(workdir / "backups")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if dump.returncode != 0:
        fail(f"backup: {dump.stderr[-1500:]}")
    path = Path(dump.stdout.strip().splitlines()[-1])
    path = path if path.is_absolute() else ROOT / path
    log(
        f"backup: {path.name}, {path.stat().st_size / 1e6:.1f} MB in "
        f"{time.monotonic() - started:.1f} s, checksum {path.with_suffix('.dump.sha256').name}"
    )
    started = time.monotonic()
    restored = subprocess.run(
        [str(ROOT / "ops" / "restore.sh"), str(path), RESTORED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if restored.returncode != 0:
        fail(f"restore: {restored.stderr[-1500:]}")
    log(f"restore into {RESTORED}: {time.monotonic() - started:.1f} s")
    return path


def compare(stack: Stack) -> None:
    original = table_checksums(stack, stack.values["POSTGRES_DB"])
    copy = table_checksums(stack, RESTORED)
    if not original:
        fail("no tables found to compare")
    differing = sorted(t for t in original.keys() | copy.keys() if original.get(t) != copy.get(t))
    if differing:
        fail(f"tables differ after the restore: {differing[:10]}")
    rows = sum(n for n, _ in original.values())
    log(f"compared {len(original)} tables, {rows} rows: counts and checksums equal")


def restored_web(stack: Stack) -> subprocess.Popen:
    url = (
        f"postgres://praktijkleren_app:{stack.values['PRAKTIJKLEREN_APP_PASSWORD']}"
        f"@db:{stack.values['DB_PORT']}/{RESTORED}"
    )
    host_ports = [] if stack.local else ["-p", f"{RESTORED_WEB_PORT}:{RESTORED_WEB_PORT}"]
    # A one-off container of the migrate service (the same image; web's own would be linked
    # to its dependencies, which the host network refuses), running what web runs.
    command = stack.command(
        "run",
        "--rm",
        "--no-deps",
        *host_ports,
        "-e",
        f"DATABASE_URL={url}",
        "-e",
        f"GUNICORN_BIND=0.0.0.0:{RESTORED_WEB_PORT}",
        "migrate",
        "gunicorn",
        "praktijkleren.wsgi",
        "--config",
        "gunicorn.conf.py",
    )
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "ENV_FILE": str(stack.env_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    browser = Browser(RESTORED_WEB_PORT)
    for _ in range(60):
        try:
            if browser.request("/gezondheid/gereed/")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(2)
    process.terminate()
    fail("the web process on the restored database did not become ready")


def candidate_page_check(port: int, username: str, password: str, key: str, pick: dict) -> None:
    browser = Browser(port)
    _, path, html = browser.request("/inloggen/")
    _, path, html = browser.form(path, html, username=username, password=password)
    # A code is accepted once: wait for the next 30-second step after the one used at setup.
    time.sleep(31 - time.time() % 30)
    status, path, html = browser.form(path, html, token=totp(key))
    if "tweede-stap" in path:
        fail(f"the second step on the restored portal: {status} {path}")
    status, _, html = browser.request(f"/kandidaten/{pick['candidate']}/")
    if status != 200 or pick["candidate_name"] not in html:
        fail(f"the candidate page on the restored portal: {status}")
    log(f"the restored portal serves candidate {pick['candidate']}'s page (200, name shown)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--local", action="store_true", help="the local images, host network")
    arguments = parser.parse_args()
    local = arguments.local or not smoke.registry_reachable()
    smoke.ports_free()
    workdir = Path(tempfile.mkdtemp(prefix="praktijkleren-drill-"))
    env_path = workdir / "drill.env"
    stack = Stack(local=local, env_path=env_path, values=smoke.env_file_write(env_path))
    if local:
        smoke.local_images_build()
    started = time.monotonic()
    web = None
    try:
        stack.run("up", "-d", "--build")
        stack.wait_healthy(started)
        pick = smoke.seed_and_pick(stack)
        username, password = smoke.user_create(stack, "smoke-consulent", pick["organisation"])
        key = smoke.log_in(Browser(int(stack.values["WEB_PORT"])), username, password)
        backup_and_restore(stack, workdir)
        compare(stack)
        web = restored_web(stack)
        candidate_page_check(RESTORED_WEB_PORT, username, password, key, pick)
        log(f"drill passed in {time.monotonic() - started:.0f} s")
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=60)
        stack.run("down", "--volumes", "--remove-orphans", "--timeout", "20", check=False)
        smoke.nothing_left(stack)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
