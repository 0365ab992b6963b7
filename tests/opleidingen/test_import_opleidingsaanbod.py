"""``import_opleidingsaanbod``: row rules, refusal, --skip-invalid, idempotence, not demo."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.constants import Leerweg
from opleidingen.models import Opleidingsaanbod, StartMoment
from tests.opleidingen.factories import (
    KwalificatieFactory,
    MboInstellingFactory,
    MboLocatieFactory,
    OpleidingsaanbodFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "brin,crebo,leerweg,locaties,startmomenten\n"


@pytest.fixture
def reference():
    a = MboInstellingFactory(brin="25PM")
    b = MboInstellingFactory(brin="00GT")
    MboLocatieFactory(instelling=a, brinvest="25PM00")
    MboLocatieFactory(instelling=a, brinvest="25PM01")
    MboLocatieFactory(instelling=b, brinvest="00GT00")
    KwalificatieFactory(crebo="25655")
    KwalificatieFactory(crebo="25656", bbl=False)
    return a, b


GOOD = "25PM,25655,BBL,25PM00;25PM01,2026-02-01:12;2026-09-01:20\n00gt,25655,bbl,00GT00,\n"
BAD = (
    "99XX,25655,BBL,25PM00,\n"
    "25PM,11111,BBL,25PM00,\n"
    "25PM,25656,BBL,25PM00,\n"
    "25PM,25655,XYZ,25PM00,\n"
    "25PM,25655,BOL,00GT00,\n"
    "25PM,25655,BOL,,\n"
    "25PM,25655,BOL,25PM00,2026-02-30:5\n"
    "25PM,25655,BOL,25PM00,2026-02-01:0\n"
    "25PM,25655,BOL,25PM00,1 februari\n"
    "25PM,25655,BBL,25PM00,\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aanbod.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_opleidingsaanbod", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_creates_real_aanbod_with_locations_and_start_moments(tmp_path, reference):
    out, _ = run(str(write(tmp_path, GOOD)))

    aanbod = Opleidingsaanbod.objects.get(instelling__brin="25PM")
    assert aanbod.leerweg == Leerweg.BBL
    assert aanbod.is_demo is False
    assert sorted(aanbod.locaties.values_list("brinvest", flat=True)) == ["25PM00", "25PM01"]
    assert list(aanbod.startmomenten.values_list("start_date", "capacity")) == [
        (dt.date(2026, 2, 1), 12),
        (dt.date(2026, 9, 1), 20),
    ]
    assert Opleidingsaanbod.objects.get(instelling__brin="00GT").startmomenten.count() == 0
    assert "Opleidingsaanbod: 2 created" in out


def test_every_bad_row_is_reported_and_nothing_written(tmp_path, reference):
    with pytest.raises(CommandError) as excinfo:
        run(str(write(tmp_path, GOOD + BAD)))

    lines = {int(text.split(":")[1]): text for text in str(excinfo.value).splitlines()[1:]}
    assert sorted(lines) == list(range(4, 14))
    for line, reason in [
        (4, "BRIN '99XX' is not a loaded mbo-instelling"),
        (5, "crebo '11111' is not a current kwalificatie"),
        (6, "kwalificatie 25656 cannot be followed in BBL"),
        (7, "leerweg 'XYZ' is not BBL or BOL"),
        (8, "locaties 00GT00 are not locations of 25PM"),
        (9, "no locaties given"),
        (10, "has no valid date"),
        (11, "capacity must be 1–999"),
        (12, "is not YYYY-MM-DD:capacity"),
        (13, "duplicate 25PM 25655 BBL (line 2)"),
    ]:
        assert lines[line].startswith(f"aanbod.csv:{line}: ")
        assert reason in lines[line]
    assert Opleidingsaanbod.objects.count() == 0
    assert StartMoment.objects.count() == 0


def test_skip_invalid_loads_the_good_rows_and_reports_the_bad(tmp_path, reference):
    _, err = run(str(write(tmp_path, GOOD + BAD)), "--skip-invalid")

    assert "aanbod.csv:4: BRIN '99XX' is not a loaded mbo-instelling (skipped)" in err
    assert Opleidingsaanbod.objects.count() == 2
    assert StartMoment.objects.count() == 2


def test_a_second_run_changes_nothing(tmp_path, reference):
    path = str(write(tmp_path, GOOD))
    run(path)

    out, _ = run(path)

    assert "Total: 0 created, 0 updated, 6 unchanged, 0 skipped" in out


def test_a_changed_file_updates_locations_and_capacity_and_unmarks_demo(tmp_path, reference):
    a, _ = reference
    demo = OpleidingsaanbodFactory(
        instelling=a, kwalificatie=KwalificatieFactory(crebo="25655"), is_demo=True
    )
    run(str(write(tmp_path, GOOD)))

    out, _ = run(str(write(tmp_path, "25PM,25655,BBL,25PM01,2026-02-01:5\n")))

    demo.refresh_from_db()
    assert demo.is_demo is False
    assert list(demo.locaties.values_list("brinvest", flat=True)) == ["25PM01"]
    assert demo.startmomenten.get(start_date=dt.date(2026, 2, 1)).capacity == 5
    assert "Locaties: 0 created, 1 updated" in out


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "nope.csv"))
