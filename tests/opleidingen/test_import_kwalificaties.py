"""``import_kwalificaties``: row validation, refusal, --skip-invalid, idempotence, real data."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.models import Kwalificatie, Kwalificatiedossier
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db

FILE = "kwalificaties_crebo_dossier_sector_cedanl.csv"
HEADER = (
    "code,naam,niveau,niveau_naam,leerweg,hoofdgroep_code,hoofdgroep_naam,subgroep_code,"
    "subgroep_naam,dossier_code,dossier_naam,sectorkamer_code,sectorkamer_naam\n"
)
ROWS = (
    '23285,Pedagogisch werk,,,"BBL,BOL",hg017,Zorg,sg039,Ped,23285,Pedagogisch werk,03,'
    '"Zorg, welzijn en sport"\n'
    '25486,Pedagogisch  medewerker kinderopvang ,3,vakopleiding,"BBL,BOL,OVO",hg017,Zorg,sg039,'
    'Ped,23285,Pedagogisch werk,03,"Zorg, welzijn en sport"\n'
    "10001,Ondernemer/Manager Detailhandel,4,middenkaderopleiding,BOL,hg006,H,sg031,M,23355,"
    "Ondernemerschap handel,04,Handel\n"
    "79000,Bouw en infra,,,BBL,hg001,B,sg000,x,0,,00,niet gespecificeerd naar sector\n"
)
BAD_ROWS = (
    "1234,Te kort,2,basisberoepsopleiding,BBL,h,h,s,s,0,,00,x\n"
    "25001,Niveau vijf,5,vakopleiding,BBL,h,h,s,s,0,,00,x\n"
    "25002,Rare leerweg,2,basisberoepsopleiding,BBL;XYZ,h,h,s,s,0,,00,x\n"
    "25486,Dubbel,3,vakopleiding,BBL,h,h,s,s,0,,00,x\n"
    "25003,Andere dossiernaam,2,basisberoepsopleiding,BBL,h,h,s,s,23285,Anders,03,x\n"
)


def write_data(tmp_path: Path, text: str) -> Path:
    (tmp_path / FILE).write_text(HEADER + text, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_kwalificaties", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple[list, list]:
    return (
        list(Kwalificatiedossier.objects.order_by("code").values()),
        list(Kwalificatie.objects.order_by("crebo").values()),
    )


def test_malformed_file_is_refused_with_every_bad_row_and_nothing_written(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run(str(write_data(tmp_path, ROWS + BAD_ROWS)))

    message = str(excinfo.value)
    assert f"{FILE}:6: code '1234' is not a 5-digit crebo" in message
    assert f"{FILE}:7: niveau '5' is not 1–4 or empty" in message
    assert f"{FILE}:8: unknown leerweg BBL;XYZ" in message
    assert f"{FILE}:9: duplicate code 25486 (line 3)" in message
    assert f"{FILE}:10: dossier 23285 is named 'Pedagogisch werk' on line 2" in message
    assert snapshot() == ([], [])


def test_rows_are_mapped_to_the_model(tmp_path):
    run(str(write_data(tmp_path, ROWS)))

    kwalificatie = Kwalificatie.objects.get(crebo="25486")
    assert kwalificatie.naam == "Pedagogisch medewerker kinderopvang"
    assert (kwalificatie.niveau, kwalificatie.niveau_naam) == (3, "vakopleiding")
    assert (kwalificatie.bbl, kwalificatie.bol, kwalificatie.is_current) == (True, True, True)
    assert kwalificatie.dossier.code == "23285"
    historic = Kwalificatie.objects.get(crebo="10001")
    assert (historic.bbl, historic.bol, historic.is_current) == (False, True, False)
    domein = Kwalificatie.objects.get(crebo="79000")
    assert domein.dossier is None
    assert domein.niveau is None
    # Dossiers come from dossier_code; code 0 makes none.
    assert set(Kwalificatiedossier.objects.values_list("code", flat=True)) == {"23285", "23355"}
    assert Kwalificatiedossier.objects.get(code="23285").sectorkamer_code == "03"


def test_skip_invalid_reports_bad_rows_and_loads_the_rest(tmp_path):
    out, err = run(str(write_data(tmp_path, ROWS + BAD_ROWS)), "--skip-invalid")

    assert f"{FILE}:7: niveau '5' is not 1–4 or empty (skipped)" in err
    assert Kwalificatie.objects.count() == 4
    assert Kwalificatie.objects.get(crebo="25486").naam == "Pedagogisch medewerker kinderopvang"
    assert "Kwalificatie: 4 created, 0 updated, 0 unchanged, 5 skipped" in out


def test_second_run_changes_nothing(tmp_path):
    data_dir = write_data(tmp_path, ROWS)
    run(str(data_dir))
    before = snapshot()

    out, _ = run(str(data_dir))

    assert snapshot() == before
    assert "Total: 0 created, 0 updated, 6 unchanged, 0 skipped" in out


@needs_reference_data
def test_real_reference_data():
    out, err = run()

    assert err == ""
    assert Kwalificatie.objects.count() == 4288
    assert Kwalificatie.objects.filter(is_current=True).count() == 1037
    assert Kwalificatie.objects.filter(is_current=True, bbl=True).count() == 1032
    assert Kwalificatie.objects.filter(bbl=True).count() == 4131
    assert Kwalificatie.objects.filter(dossier__isnull=True).count() == 17
    assert Kwalificatiedossier.objects.count() == 169
    assert Kwalificatie.objects.get(crebo="25486").dossier.code == "23285"
    assert "Total: 4457 created, 0 updated, 0 unchanged, 0 skipped" in out
