"""``load_reference``: all importers in order, with the shipped demo subset as fallback."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from opleidingen.models import Certificaat, Kerntaak, Kwalificatie, MboInstelling, Werkproces
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    models = (Arbeidsmarktregio, Gemeente, Postcode, Kwalificatie, Kerntaak, Werkproces)
    return {m.__name__: m.objects.count() for m in (*models, MboInstelling, Certificaat)}


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "empty"])
def test_falls_back_to_the_demo_dataset_when_the_directory_is_missing_or_empty(
    tmp_path, settings, empty
):
    """An empty directory is what docker compose leaves where ../shared/data was missing."""
    settings.REFERENCE_DATA_DIR = tmp_path / "absent"
    if empty:
        settings.REFERENCE_DATA_DIR.mkdir()
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert "does not exist or is empty: using the demo reference data" in out.getvalue()
    assert counts() == {
        "Arbeidsmarktregio": 35,
        "Gemeente": 14,
        "Postcode": 146,
        "Kwalificatie": 334,
        "Kerntaak": 8 + 21,  # SBB XML + beroepen-app (6 of the slice's 10 objects match)
        "Werkproces": 34 + 97,
        "MboInstelling": 57,
        "Certificaat": 7,  # the demo certificaten
    }
    assert Certificaat.objects.filter(is_demo=False).count() == 0
    assert set(Gemeente.objects.values_list("arbeidsmarktregio__code", flat=True)) == {"AM13"}


def test_a_directory_named_on_the_command_line_must_exist(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("load_reference", str(tmp_path / "typo"), stdout=StringIO())
    assert counts()["Kwalificatie"] == 0


def test_an_empty_directory_named_on_the_command_line_is_read_not_replaced(tmp_path):
    """Only the default directory falls back to the demo subset; a named one that is empty is
    an operator's mistake and is refused by the first importer."""
    out = StringIO()
    with pytest.raises(CommandError, match=r"A reference file is missing: .*arbeidsmarktregios"):
        call_command("load_reference", str(tmp_path), stdout=out)
    assert "using the demo reference data" not in out.getvalue()
    assert counts()["Kwalificatie"] == 0


@needs_reference_data
def test_loads_the_real_data_and_a_second_run_changes_nothing():
    call_command("load_reference", stdout=StringIO())
    first = counts()
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert first == {
        "Arbeidsmarktregio": 35,
        "Gemeente": 342,
        "Postcode": 4742,
        "Kwalificatie": 4288,
        "Kerntaak": 23 + 74,  # SBB XML + beroepen-app (25 of 66 objects match)
        "Werkproces": 111 + 302,
        "MboInstelling": 57,
        "Certificaat": 8 + 7,  # the green regulation's + the demo certificaten
    }
    assert counts() == first
    assert " 0 created, 0 updated" in out.getvalue()
    assert "using the demo reference data" not in out.getvalue()


def test_the_demo_certificaten_can_be_left_out(tmp_path, settings):
    settings.REFERENCE_DATA_DIR = tmp_path / "absent"

    call_command("load_reference", "--no-demo-certificaten", stdout=StringIO())

    assert Certificaat.objects.count() == 0
    assert Kerntaak.objects.count() == 29
