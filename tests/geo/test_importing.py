"""The shared importer machinery in ``praktijkleren.importing``."""

import pytest

from praktijkleren.geo.models import Arbeidsmarktregio
from praktijkleren.importing import RowError, RowErrors, read_csv, upsert


def test_read_csv_gives_file_line_numbers_also_after_a_multiline_field(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"twee\nregels"\n\n3,vier\n5\n', encoding="utf-8")
    errors = RowErrors()

    rows = list(read_csv(path, required=("a", "b"), errors=errors))

    assert [(line, row["a"]) for line, row in rows] == [(2, "1"), (5, "3")]
    assert [str(e) for e in errors] == ["x.csv:6: expected 2 fields, found 1"]
    assert str(RowError(file="x.csv", line=6, reason="r")) == "x.csv:6: r"


@pytest.mark.django_db
def test_upsert_counts_created_updated_unchanged():
    Arbeidsmarktregio.objects.create(code="AM01", naam="Groningen")
    Arbeidsmarktregio.objects.create(code="AM02", naam="Oud")
    rows = [
        {"code": "AM01", "naam": "Groningen"},
        {"code": "AM02", "naam": "Friesland"},
        {"code": "AM03", "naam": "Drenthe"},
    ]

    result = upsert(model=Arbeidsmarktregio, key=("code",), rows=rows)

    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert dict(Arbeidsmarktregio.objects.values_list("code", "naam")) == {
        "AM01": "Groningen",
        "AM02": "Friesland",
        "AM03": "Drenthe",
    }
