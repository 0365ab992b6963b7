"""The shipped CSS (issue 10, light pages): frontend/build-css.mjs ships only the NL Design
System components and theme tokens the portal uses. These tests guard that subset without
Node or node_modules: removing a component package, or a template starting to use a class or
a token the subset lacks, fails here instead of leaving a page silently unstyled."""

import json
import re
from pathlib import Path

import pytest
from django.template.loader import get_template

from praktijkleren.ui.templatetags.workflow import _VARIANTS
from tests.ui.sources import ROOT, project_files

STATIC = ROOT / "static"
COMPONENTS = STATIC / "vendor" / "utrecht" / "components.css"
THEME = STATIC / "vendor" / "voorbeeld-design-tokens" / "theme.css"
OWN = sorted((STATIC / "css").glob("*.css"))
PACKAGE = json.loads((ROOT / "frontend" / "package.json").read_text())
DYNAMIC: dict[str, list[str]] = PACKAGE["praktijkleren"]["dynamicModifiers"]
UNSET = set((ROOT / "frontend" / "tokens-unset.txt").read_text().split())

# Classes the markup carries as hooks that the NL Design System does not style either (not in
# the whole @utrecht/component-library-css bundle), so their absence loses nothing.
NOT_STYLED_UPSTREAM = {
    "utrecht-form-field--select",
    "utrecht-form-field--text",
    "utrecht-form-field__label--checkbox",
    "utrecht-pagination__pages",
    "utrecht-table__cell--numeric",
    "utrecht-table__header-cell--numeric",
}

CLASS = re.compile(r"utrecht-[A-Za-z0-9_-]*[A-Za-z0-9_]")
DYNAMIC_CLASS = re.compile(r"(utrecht-[A-Za-z0-9_-]*[-_])\{[{%]")
VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
DEFINITION = re.compile(r"(--[A-Za-z0-9_-]+)\s*:")


def _sources() -> list[Path]:
    """The files whose utrecht-* classes reach the browser: templates, our *.py, static/js."""
    return project_files(".html", ".py", ".js")


def _has_class(css: str, name: str) -> bool:
    return re.search(rf"\.{re.escape(name)}(?![A-Za-z0-9_-])", css) is not None


def _shipped() -> str:
    return "\n".join(p.read_text() for p in (COMPONENTS, THEME, *OWN))


def test_base_links_the_shipped_css_and_the_favicon():
    source = Path(get_template("base.html").origin.name).read_text()
    for static_path in (
        "favicon.svg",
        "vendor/utrecht/components.css",
        "vendor/voorbeeld-design-tokens/theme.css",
        "css/tokens.css",
        "css/portal.css",
    ):
        assert f"{{% static '{static_path}' %}}" in source, static_path
        assert (STATIC / static_path).is_file(), static_path


def test_every_utrecht_class_in_the_markup_is_in_the_shipped_css():
    css = "\n".join(p.read_text() for p in (COMPONENTS, *OWN))
    used = {m for path in _sources() for m in CLASS.findall(path.read_text())}
    assert len(used) > 50, "the scan found the templates"
    missing = sorted(c for c in used - NOT_STYLED_UPSTREAM if not _has_class(css, c))
    assert not missing, (
        f"used in the markup, not in static/vendor/utrecht/components.css: {missing}"
    )
    assert not {c for c in NOT_STYLED_UPSTREAM if _has_class(css, c)}, "now styled: drop it here"


def test_every_dynamic_modifier_is_listed_and_shipped():
    """Classes written with a template expression (utrecht-button--{{ variant }}) name their
    values in package.json; each listed value is shipped, and each value the templates and tags
    pass (include ... variant="x" / type="x", the workflow badges, the defaults) is listed."""
    css = COMPONENTS.read_text()
    prefixes = {m for path in _sources() for m in DYNAMIC_CLASS.findall(path.read_text())}
    assert prefixes <= set(DYNAMIC), f"list their values in package.json: {prefixes - set(DYNAMIC)}"
    for prefix, values in DYNAMIC.items():
        for value in values:
            if prefix + value not in NOT_STYLED_UPSTREAM:
                assert _has_class(css, prefix + value), prefix + value

    passed: dict[str, set[str]] = {
        "utrecht-button--": {"primary-action", "secondary-action"},  # the {% if %} alternatives
        "utrecht-status-badge--": set(_VARIANTS.values()) | {"neutral"},
    }
    include = re.compile(r'{%\s*include\s+"components/_(button|status_badge|alert)\.html"([^%]*)%}')
    for path in _sources():
        for component, arguments in include.findall(path.read_text()):
            for key, value in re.findall(r'\b(variant|type)="([^"]*)"', arguments):
                if component == "alert" and key == "type":
                    passed.setdefault("utrecht-alert--", set()).add(value)
                elif key == "variant":
                    block = "button" if component == "button" else "status-badge"
                    passed.setdefault(f"utrecht-{block}--", set()).add(value)
    for component, default in (("button", "primary-action"), ("status_badge", "neutral")):
        block = component.replace("_", "-")
        passed.setdefault(f"utrecht-{block}--", set()).add(default)
    passed.setdefault("utrecht-alert--", set()).add("info")
    for prefix, values in passed.items():
        assert values <= set(DYNAMIC[prefix]), f"{prefix}: add {values - set(DYNAMIC[prefix])}"


def test_every_custom_property_read_has_a_definition():
    """Every var(--x) in the shipped CSS is defined there (the theme subset, tokens.css, the
    components' own), or is one of the optional tokens the voorbeeld theme itself leaves unset
    (frontend/tokens-unset.txt, written by build-css.mjs). Our own CSS reads no unset token
    without a fallback."""
    css = _shipped()
    defined = set(DEFINITION.findall(css))
    undefined = set(VAR.findall(css)) - defined
    assert undefined <= UNSET, f"read but defined nowhere (rebuild?): {sorted(undefined - UNSET)}"
    for own in OWN:
        bare = set(re.findall(r"var\(\s*(--[A-Za-z0-9_-]+)\s*\)", own.read_text()))
        assert not bare - defined, f"{own.name}: {sorted(bare - defined)}"


def test_the_shipped_css_stays_light():
    """Issue 10 measured 615 KiB of CSS per page (the whole bundle and theme) and set the goal
    under 100 KiB uncompressed (figures: bench/RESULTS.md, bench/css_sizes.py)."""
    total = sum(len(p.read_bytes()) for p in (COMPONENTS, THEME, *OWN))
    assert total < 100 * 1024, total


def test_every_token_override_is_read():
    """build-css.mjs writes the theme's values into components.css and stops at the properties
    tokens.css defines. An override that nothing reads is dead, or the build has not been run
    since it was added (the component then still carries the theme's value): rebuild."""
    tokens = (STATIC / "css" / "tokens.css").read_text()
    read = set(VAR.findall(_shipped()))
    unread = sorted(set(DEFINITION.findall(tokens)) - read)
    assert not unread, f"static/css/tokens.css defines what nothing reads (./vendor.sh?): {unread}"


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")
    assert (STATIC / "favicon.svg").is_file()


@pytest.mark.django_db
def test_admin_pages_link_the_icon(client):
    page = client.get("/beheer/login/").content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
