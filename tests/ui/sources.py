"""The project's own source files whose markup reaches the browser, for the tests that check
templates against the shipped CSS (what frontend/build-css.mjs scans too)."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP_DIRS = {".git", ".venv", "node_modules", "staticfiles", "vendor", "tests", "frontend"}


def project_files(*suffixes: str) -> list[Path]:
    """Files under the project with one of ``suffixes`` (".html", ".py", ...), outside
    ``SKIP_DIRS`` and hidden directories."""
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP_DIRS or any(p.startswith(".") for p in parts):
            continue
        if path.suffix in suffixes and path.is_file():
            found.append(path)
    return found
