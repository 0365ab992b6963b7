"""``import_mbo_instellingen``: BRIN validation, refusal, --skip-invalid, idempotence, real data."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.models import MboInstelling
from tests.opleidingen.factories import MboInstellingFactory
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db

FILE = "mbo_instellingen_brin_cedanl.csv"
ROWS = "school,BRIN\nAlbeda,00GT\nROC\u00a0A12,25PM\nCurio ,25LX\n"
BAD_ROWS = "Geen BRIN,\nFout,ABCD\nVestiging,25LX01\nDubbel,00GT\n"


def write_data(tmp_path: Path, text: str) -> Path:
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_mbo_instellingen", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_malformed_file_is_refused_with_every_bad_row_and_nothing_written(tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run(str(write_data(tmp_path, ROWS + BAD_ROWS)))

    message = str(excinfo.value)
    assert f"{FILE}:5: BRIN '' is not valid" in message
    assert f"{FILE}:6: BRIN 'ABCD' is not valid" in message
    assert f"{FILE}:7: BRIN '25LX01' is a vestiging code" in message
    assert f"{FILE}:8: duplicate BRIN 00GT (line 2)" in message
    assert MboInstelling.objects.count() == 0


def test_names_are_normalised_and_organisation_links_kept(tmp_path):
    linked = MboInstellingFactory(brin="25LX", naam="Oude naam")
    organisation = linked.organisation

    run(str(write_data(tmp_path, ROWS)))

    assert MboInstelling.objects.get(brin="25PM").naam == "ROC A12"
    curio = MboInstelling.objects.get(brin="25LX")
    assert curio.naam == "Curio"
    assert curio.organisation == organisation


def test_skip_invalid_reports_bad_rows_and_loads_the_rest(tmp_path):
    out, err = run(str(write_data(tmp_path, ROWS + BAD_ROWS)), "--skip-invalid")

    assert f"{FILE}:6: BRIN 'ABCD' is not valid" in err
    assert set(MboInstelling.objects.values_list("brin", flat=True)) == {"00GT", "25PM", "25LX"}
    assert "MboInstelling: 3 created, 0 updated, 0 unchanged, 4 skipped" in out


def test_second_run_changes_nothing(tmp_path):
    data_dir = write_data(tmp_path, ROWS)
    run(str(data_dir))
    before = list(MboInstelling.objects.order_by("brin").values())

    out, _ = run(str(data_dir))

    assert list(MboInstelling.objects.order_by("brin").values()) == before
    assert "Total: 0 created, 0 updated, 3 unchanged, 0 skipped" in out


@needs_reference_data
def test_real_reference_data():
    out, err = run()

    assert err == ""
    assert MboInstelling.objects.count() == 57
    assert MboInstelling.objects.get(brin="25LJ").naam == "ROC Ter AA"
    assert MboInstelling.objects.filter(naam="ROC A12").exists()
    assert "Total: 57 created, 0 updated, 0 unchanged, 0 skipped" in out
