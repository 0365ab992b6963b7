"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Chromium is expected at ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright's own
browser downloads are never used. Without Chromium the tests are skipped, unless
``REQUIRE_E2E=1`` is set: then a missing browser is a failure.

Every browser test fails on a Content-Security-Policy violation: the ``page`` fixture records
each one the browser reports (the ``securitypolicyviolation`` event and Chromium's console
message) and fails the test at teardown if there was any.
"""

import contextlib
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

# Runs in every document before the page's own scripts (an init script is not subject to the
# page's CSP) and hands each violation to the binding below.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.__plCspViolation(
        `${event.effectiveDirective} blocked ${event.blockedURI || "(unknown)"}`
        + ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
        + (event.sample ? ` (${event.sample})` : "")
    );
});
"""


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


class CspRecorder:
    """The Content-Security-Policy violations reported by the pages of one browser context."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def attach(self, context) -> None:
        """Record the violations of every page that ``context`` opens from now on."""
        context.expose_binding("__plCspViolation", self._on_event)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._on_console)

    def _on_event(self, source, description: str) -> None:
        self.violations.append(f"securitypolicyviolation: {description}")

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def flush(self, context) -> None:
        """Wait one round trip per open page, so that reports still on their way arrive."""
        from playwright.sync_api import Error

        for open_page in context.pages:
            with contextlib.suppress(Error):  # closed or navigating: nothing more will come
                open_page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")

    def assert_none(self) -> None:
        """Fail the test if any violation was recorded."""
        if self.violations:
            pytest.fail(
                "Content-Security-Policy violations:\n" + "\n".join(self.violations),
                pytrace=False,
            )


@pytest.fixture
def csp_recorder() -> CspRecorder:
    """The CSP violations of the ``page`` fixture's browser context."""
    return CspRecorder()


@pytest.fixture
def page(browser, live_server, csp_recorder):
    """A fresh browser context and page; ``page.base_url`` is the live server's URL. The test
    fails at teardown if any page of the context reported a CSP violation."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    csp_recorder.attach(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    csp_recorder.flush(context)
    context.close()
    csp_recorder.assert_none()


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: load the vendored axe-core and fail on any WCAG 2.1 A/AA
    violation (rule tags wcag2a, wcag2aa, wcag21a, wcag21aa) on the current page.

    axe is evaluated through the DevTools protocol rather than added as an inline ``<script>``
    (``page.add_script_tag``), which the page's CSP rightly blocks."""
    axe_source = AXE_JS.read_text(encoding="utf-8")

    def check(page, *, context: str = "document") -> None:
        page.evaluate(axe_source)
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


@pytest.fixture
def log_in(page, live_server):
    """``log_in(user)``: the page's browser context gets a session of ``user`` (None: no
    session, a visitor). Faster than the log-in form, which tests/e2e/test_login.py and the
    main-flow test drive with the keyboard."""
    from django.test import Client

    def as_user(user) -> None:
        page.context.clear_cookies()
        if user is None:
            return
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return as_user


# Reflow (WCAG 1.4.10): what sticks out of the viewport sideways. Only a table's own scroll
# container (.utrecht-table-container--overflow-inline) may hold wider content; the container
# itself must fit. Visually hidden text (1px, clipped) and the skip link (off screen until it
# has focus) are not content that sticks out.
SIDEWAYS_OVERFLOW = """
() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const scroller = ".utrecht-table-container--overflow-inline";
    const describe = (el) => {
        const classes = [...el.classList].slice(0, 3).map((c) => "." + c).join("");
        const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
        return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes} "${text}"`;
    };
    const sticking = new Map();
    for (const el of document.body.querySelectorAll("*")) {
        if (el.parentElement.closest(scroller)) continue;
        if (el.closest(".pl-visually-hidden, .utrecht-skip-link")) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (box.left < -0.5 || box.right > width + 0.5) sticking.set(el, box);
    }
    // Report the innermost elements that stick out: their ancestors only follow them.
    const inner = [...sticking].filter(
        ([el]) => ![...sticking.keys()].some((other) => other !== el && el.contains(other))
    );
    const offenders = inner.map(
        ([el, box]) => `${describe(el)}: ${Math.round(box.left)}..${Math.round(box.right)} px`
    );
    const unwrapped = [...document.querySelectorAll("table")]
        .filter((table) => !table.parentElement.closest(scroller))
        .map((table) => `${describe(table)}: a table outside ${scroller}`);
    return {
        scrollWidth: root.scrollWidth,
        clientWidth: width,
        offenders: [...unwrapped, ...offenders],
    };
}
"""


@pytest.fixture
def sideways_overflow():
    """``sideways_overflow(page)``: a list of what makes the current page scroll sideways (empty
    when nothing does): the document wider than the viewport, each innermost element sticking
    out of it (except inside a table's scroll container), and each table without such a
    container."""

    def check(page) -> list[str]:
        found = page.evaluate(SIDEWAYS_OVERFLOW)
        problems = list(found["offenders"])
        if found["scrollWidth"] > found["clientWidth"]:
            problems.insert(
                0,
                f"the document is {found['scrollWidth']} px wide in a "
                f"{found['clientWidth']} px viewport",
            )
        return problems

    return check
