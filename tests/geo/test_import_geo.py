"""``import_geo``: row validation, refusal, --skip-invalid, idempotence, centroids, real data."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from praktijkleren.geo.constants import CoordinateSource
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db

REGIONS = "arbeidsmarktregio_code,arbeidsmarktregio_naam\nAM13,Midden-Utrecht\nAM14,Amersfoort\n"
GEMEENTEN = (
    "gemeentecode,gemeentecode_gm,gemeentenaam,provinciecode,provincienaam,"
    "arbeidsmarktregio_code,arbeidsmarktregio_naam\n"
    "0344,GM0344,Utrecht,PV26,Utrecht,AM13,Midden-Utrecht\n"
    "0307,GM0307,Amersfoort,PV26,Utrecht,AM14,Amersfoort\n"
)
PC4_HEADER = (
    "pc4,lat,lon,woonplaats_4pp2014,soort_4pp2014,gemeentecode,gemeentenaam,provincienaam,"
    "arbeidsmarktregio_code,arbeidsmarktregio_naam,n_pc6_pdok,gemeenten_pdok_alle,bron_gemeente\n"
)
PC4_ROWS = (
    "3511,52.0,5.0,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,Utrecht:1,pdok2026\n"
    "3512,52.2,5.2,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,Utrecht:1,pdok2026\n"
    "3513,,,,,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,Utrecht:1,pdok2026\n"
    "3800,52.15,5.38,Amersfoort,Postbus,,,,,,,,geen\n"
)


def write_data(tmp_path: Path, pc4_rows: str = PC4_ROWS) -> Path:
    (tmp_path / "arbeidsmarktregios_2025.csv").write_text(REGIONS, encoding="utf-8")
    (tmp_path / "gemeenten_2025.csv").write_text(GEMEENTEN, encoding="utf-8")
    (tmp_path / "pc4.csv").write_text(PC4_HEADER + pc4_rows, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_geo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple[list, list, list]:
    return (
        list(Arbeidsmarktregio.objects.order_by("code").values()),
        list(Gemeente.objects.order_by("code").values()),
        list(Postcode.objects.order_by("pc4").values()),
    )


BAD_PC4_ROWS = (
    "35AB,52.0,5.0,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,x,pdok2026\n"
    "3512,12.0,5.2,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,x,pdok2026\n"
    "3513,52.1,5.1,Utrecht,Adres,GM9999,Nergens,Utrecht,AM13,Midden-Utrecht,1,x,pdok2026\n"
    "3514,52.1,5.1,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM14,Amersfoort,1,x,pdok2026\n"
    "3515,52.1,5.1,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,x,pdok2026\n"
    "3515,52.1,5.1,Utrecht,Adres,GM0344,Utrecht,Utrecht,AM13,Midden-Utrecht,1,x,pdok2026\n"
)


def test_malformed_file_is_refused_with_every_bad_row_and_nothing_written(tmp_path):
    data_dir = write_data(tmp_path, BAD_PC4_ROWS)

    with pytest.raises(CommandError) as excinfo:
        run(str(data_dir))

    message = str(excinfo.value)
    assert "pc4.csv:2: pc4 '35AB' is not four digits" in message
    assert "pc4.csv:3: lat 12.0 is outside the Netherlands" in message
    assert "pc4.csv:4: unknown gemeentecode 'GM9999'" in message
    assert "pc4.csv:5: arbeidsmarktregio_code AM14 differs from GM0344's (AM13)" in message
    assert "pc4.csv:7: duplicate pc4 3515 (line 6)" in message
    assert "5 invalid row(s)" in message
    assert snapshot() == ([], [], [])


def test_bad_region_code_and_missing_column_name_file_and_line(tmp_path):
    data_dir = write_data(tmp_path)
    (data_dir / "arbeidsmarktregios_2025.csv").write_text(
        REGIONS + "A13,Foute code\n", encoding="utf-8"
    )
    (data_dir / "gemeenten_2025.csv").write_text("gemeentecode,naam\n0344,Utrecht\n")

    with pytest.raises(CommandError) as excinfo:
        run(str(data_dir))

    message = str(excinfo.value)
    assert "arbeidsmarktregios_2025.csv:4: arbeidsmarktregio_code 'A13' is not like AM01" in message
    assert "gemeenten_2025.csv:1: missing column(s): gemeentecode_gm" in message
    assert Arbeidsmarktregio.objects.count() == 0


def test_skip_invalid_reports_bad_rows_and_loads_the_rest(tmp_path):
    data_dir = write_data(tmp_path, PC4_ROWS + BAD_PC4_ROWS.replace("35", "36"))

    out, err = run(str(data_dir), "--skip-invalid")

    assert "pc4.csv:6: pc4 '36AB' is not four digits" in err
    assert "pc4.csv:11: duplicate pc4 3615 (line 10)" in err
    assert set(Postcode.objects.values_list("pc4", flat=True)) == {
        "3511",
        "3512",
        "3513",
        "3800",
        "3615",
    }
    assert "Postcode: 5 created, 0 updated, 0 unchanged, 5 skipped" in out


def test_second_run_changes_nothing(tmp_path):
    data_dir = write_data(tmp_path)
    run(str(data_dir))
    before = snapshot()

    out, _ = run(str(data_dir))

    assert snapshot() == before
    assert "Total: 0 created, 0 updated, 8 unchanged, 0 skipped" in out


def test_a_changed_row_is_updated(tmp_path):
    data_dir = write_data(tmp_path)
    run(str(data_dir))
    (data_dir / "arbeidsmarktregios_2025.csv").write_text(REGIONS.replace("Amersfoort", "Eemland"))

    out, _ = run(str(data_dir))

    assert "Arbeidsmarktregio: 0 created, 1 updated, 1 unchanged" in out
    assert Arbeidsmarktregio.objects.get(code="AM14").naam == "Eemland"


def test_pc4_without_point_gets_its_gemeentes_centroid(tmp_path):
    no_gemeente_no_point = "3999,,,,Onbekend,,,,,,,,geen\n"
    run(str(write_data(tmp_path, PC4_ROWS + no_gemeente_no_point)))

    utrecht = Gemeente.objects.get(code="GM0344")
    assert utrecht.lat == pytest.approx(52.1)
    assert utrecht.lon == pytest.approx(5.1)
    centroid = Postcode.objects.get(pc4="3513")
    assert centroid.coordinate_source == CoordinateSource.GEMEENTE_CENTROID
    assert (centroid.lat, centroid.lon) == (utrecht.lat, utrecht.lon)
    own = Postcode.objects.get(pc4="3511")
    assert (own.lat, own.lon, own.coordinate_source) == (52.0, 5.0, CoordinateSource.PC4)
    postbus = Postcode.objects.get(pc4="3800")
    assert postbus.gemeente is None
    assert postbus.coordinate_source == CoordinateSource.PC4
    assert not Postcode.objects.filter(pc4="3999").exists()
    # Amersfoort has no PC4 with a point: no centroid.
    assert Gemeente.objects.get(code="GM0307").lat is None


def test_missing_data_dir_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Data directory not found"):
        run(str(tmp_path / "absent"))


@needs_reference_data
def test_real_reference_data():
    out, err = run()

    assert err == ""
    assert Arbeidsmarktregio.objects.count() == 35
    assert Gemeente.objects.count() == 342
    assert Postcode.objects.count() == 4742
    assert Postcode.objects.filter(coordinate_source=CoordinateSource.PC4).count() == 4699
    assert (
        Postcode.objects.filter(coordinate_source=CoordinateSource.GEMEENTE_CENTROID).count() == 43
    )
    assert Postcode.objects.filter(gemeente__isnull=True).count() == 668
    assert not Gemeente.objects.filter(lat__isnull=True).exists()
    assert Gemeente.objects.get(code="GM0344").arbeidsmarktregio.code == "AM13"
    assert Gemeente.objects.filter(arbeidsmarktregio__code="AM13").count() == 14
    assert "Total: 5119 created, 0 updated, 0 unchanged, 0 skipped" in out
