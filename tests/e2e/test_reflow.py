"""Reflow (WCAG 1.4.10) and accessibility (axe-core, WCAG 2.1 A/AA) of every page of the portal,
opened by the role that uses it, with rich data (tests/e2e/world.py): long names, long words,
long reasons, more rows than a page shows.

At 320 CSS pixels wide (400% zoom of a 1280 px screen) no page may scroll sideways: only a
table scrolls, inside its own container. Forms are checked again with their error summary.
"""

import itertools

import pytest

from tests.e2e import world as rich

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def world():
    return rich.build()


def _visit(page, log_in, world, each):
    """Open ``each`` as its role; for a form page, submit it empty first when asked."""
    log_in(getattr(world, each.role) if each.role else None)
    response = page.goto(each.url)
    assert response is not None
    assert response.status == each.status, f"{each.name}: {each.url} answered {response.status}"


def _states(page, each):
    """Yield a label per state of the page to check: as opened, and for a page with a form,
    after submitting it empty (the error summary; or the form's own confirmation page)."""
    yield each.name
    submit = page.locator("main form[method=post] [type=submit]")
    if each.submit_empty and submit.count():
        with page.expect_navigation():
            submit.first.click()
        yield f"{each.name}, submitted empty"


def test_no_page_scrolls_sideways_at_320_css_pixels(page, log_in, world, sideways_overflow):
    page.set_viewport_size(NARROW)
    failures = []
    checked = 0
    for each in rich.pages(world):
        _visit(page, log_in, world, each)
        for state in _states(page, each):
            checked += 1
            problems = sideways_overflow(page)
            if problems:
                failures.append(f"{state} ({each.url}):\n    " + "\n    ".join(problems[:12]))

    assert checked >= len(rich.pages(world))
    assert not failures, "Pages that scroll sideways at 320 px:\n" + "\n".join(failures)


# The headings in document order as levels; one <h1>, and no level skipped on the way down
# (axe's heading-order is a best practice, outside the WCAG tags assert_accessible runs).
HEADINGS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .map((heading) => Number(heading.tagName[1]))"""


def _heading_problems(page) -> list[str]:
    levels = page.evaluate(HEADINGS)
    problems = [] if levels.count(1) == 1 and levels[0] == 1 else [f"h1s: {levels}"]
    problems += [
        f"h{before} followed by h{after}"
        for before, after in itertools.pairwise(levels)
        if after > before + 1
    ]
    return problems


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "1280px"])
def test_every_page_passes_axe(page, log_in, world, assert_accessible, viewport):
    page.set_viewport_size(viewport)
    failures = []
    for each in rich.pages(world):
        _visit(page, log_in, world, each)
        for state in _states(page, each):
            try:
                assert_accessible(page)
            except AssertionError as exc:
                failures.append(f"{state}: {exc}")
            failures += [f"{state}: {problem}" for problem in _heading_problems(page)]

    assert not failures, "\n".join(failures)
