"""Markup the stylesheets rely on, checked in the template sources.

- portal.css spaces the fields of a form only inside ``<form class="utrecht-form">`` (a filter
  row, ``pl-filter``, lays its fields out side by side instead). A form page without either
  showed each label stuck to the field above it.
- The Utrecht list styles its bullets on ``utrecht-unordered-list__item``; a bare ``<li>`` in
  such a list got the browser's small bullet and no spacing."""

import re
from pathlib import Path

from tests.ui.sources import ROOT, project_files

UTRECHT_LIST = re.compile(r'<ul class="utrecht-unordered-list[^"]*"[^>]*>(.*?)</ul>', re.S)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
# What renders a field: crispy, a field component, a form or its fields in a loop.
RENDERS_FIELDS = re.compile(r"crispy|utrecht-form-field|\{\{\s*form\b|\{%\s*for field\b")


def _templates() -> list[Path]:
    """Our own templates (not the admin's overrides, which keep Django's admin markup)."""
    return [path for path in project_files(".html") if "admin" not in path.parts]


def test_every_form_with_fields_is_a_utrecht_form_or_a_filter_row():
    checked, bare = 0, []
    for path in _templates():
        for attributes, body in FORM.findall(path.read_text()):
            if not RENDERS_FIELDS.search(body):
                continue
            checked += 1
            classes = re.search(r'class="([^"]*)"', attributes)
            if not classes or not {"utrecht-form", "pl-filter"} & set(classes[1].split()):
                bare.append(str(path.relative_to(ROOT)))
    assert checked > 20, "the scan found the form templates"
    assert not bare, f'add class="utrecht-form" (or pl-filter) to the <form> in: {bare}'


def test_every_item_of_a_utrecht_list_carries_its_class():
    lists, bare = 0, []
    for path in _templates():
        for body in UTRECHT_LIST.findall(path.read_text()):
            lists += 1
            if re.search(r"<li(?![^>]*utrecht-unordered-list__item)[\s>]", body):
                bare.append(str(path.relative_to(ROOT)))
    assert lists > 5, "the scan found the lists"
    assert not bare, f'give each <li> class="utrecht-unordered-list__item" in: {bare}'
