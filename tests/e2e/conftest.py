"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Chromium is expected at ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own
browser downloads are never used. Without Chromium the tests are skipped, unless
``REQUIRE_E2E=1`` is set: then a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is intended (test process only).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"


def _require_e2e() -> bool:
    return os.environ.get("REQUIRE_E2E") == "1"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skip, or fail with REQUIRE_E2E=1, if missing)."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if _require_e2e():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context and page; ``page.base_url`` is the live server's URL."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: inject the vendored axe-core and fail on any WCAG 2.1 A/AA
    violation (rule tags wcag2a, wcag2aa, wcag21a, wcag21aa) on the current page."""

    def check(page, *, context: str = "document") -> None:
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate(
            """async (context) => await axe.run(context === "document" ? document : context, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                resultTypes: ["violations"],
            })""",
            context,
        )
        assert result["testEngine"]["name"] == "axe-core"
        violations = result["violations"]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"])
            for v in violations
        )
        assert not violations, f"axe found WCAG 2.1 A/AA violations on {page.url}:\n{report}"

    return check
