"""``import_kwalificatiedossiers``: SBB XML → kerntaken and werkprocessen."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.constants import KerntaakDeel
from opleidingen.models import Kerntaak, Kwalificatie, Werkproces
from tests.opleidingen.factories import KwalificatiedossierFactory, KwalificatieFactory
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db

XML = """\ufeff<?xml version="1.0" encoding="utf-8"?>
<sbb>
  <dossiers>
    <dossier nr="2755" titel="Dienstverlening">
      <dossiercrebos>
        <dossiercrebo ministerie="OCW">{dossiercrebo}</dossiercrebo>
      </dossiercrebos>
      <basis titel="Basisdeel">
        <basistaken>
          <basiskerntaken>
            <kerntaak nr="1" titel="Voert dienstverlenende werkzaamheden uit " hoofdstuk="1">
              <basiswerkprocessen>
                <werkproces nr="2" titel="Evalueert de werkzaamheden" hoofdstuk="2">
                  <werkprocesomschrijving><![CDATA[Hij evalueert. ]]>
                    <werkprocesomschrijvingperprofiel /></werkprocesomschrijving>
                  <werkprocesresultaat><![CDATA[Geëvalueerd.]]></werkprocesresultaat>
                </werkproces>
                <werkproces nr="3" titel="Bereidt werkzaamheden voor" hoofdstuk="1">
                  <werkprocesresultaat>Voorbereid.</werkprocesresultaat>
                </werkproces>
              </basiswerkprocessen>
            </kerntaak>
          </basiskerntaken>
        </basistaken>
      </basis>
      <profielen titel="Profieldeel">
        <profiel nr="4" titel="Helpende Zorg en Welzijn" hoofdstuk="2" niveau="2">
          <creboinformatie>
            <crebo ministerie="OCW">{crebo}</crebo>
          </creboinformatie>
          <profielkerntaken>
            <kerntaak nr="5" titel="Ondersteunt bij dagelijkse activiteiten" hoofdstuk="1">
              <profielwerkprocessen>
                <werkproces nr="6" titel="Ondersteunt bij wonen en huishouden" hoofdstuk="1">
                  <werkprocesomschrijving>Wonen.</werkprocesomschrijving>
                </werkproces>
              </profielwerkprocessen>
            </kerntaak>
          </profielkerntaken>
        </profiel>
      </profielen>
    </dossier>
  </dossiers>
</sbb>
"""


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def structure():
    dossier = KwalificatiedossierFactory(code="23385", naam="Dienstverlening")
    kwalificatie = KwalificatieFactory(crebo="25498", dossier=dossier)
    KwalificatieFactory(crebo="23189", dossier=dossier, niveau=None, is_current=False)
    return dossier, kwalificatie


def write_xml(tmp_path: Path, *, dossiercrebo: str = "23189", crebo: str = "25498") -> Path:
    xml_dir = tmp_path / "sbb_kwalificatiedossiers_xml_2016"
    xml_dir.mkdir(exist_ok=True)
    text = XML.format(dossiercrebo=dossiercrebo, crebo=crebo)
    (xml_dir / "2755_Dienstverlening.xml").write_text(text, encoding="utf-8")
    return tmp_path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_kwalificatiedossiers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple[list, list]:
    return (
        list(Kerntaak.objects.order_by("dossier", "code").values()),
        list(Werkproces.objects.order_by("kerntaak", "code").values()),
    )


def test_codes_links_and_texts(tmp_path, structure):
    dossier, kwalificatie = structure

    out, _ = run(str(write_xml(tmp_path)))

    basis = Kerntaak.objects.get(code="B1-K1")
    assert (basis.dossier, basis.kwalificatie, basis.deel) == (dossier, None, KerntaakDeel.BASIS)
    assert basis.titel == "Voert dienstverlenende werkzaamheden uit"
    assert list(basis.werkprocessen.order_by("code").values_list("code", "titel")) == [
        ("B1-K1-W1", "Bereidt werkzaamheden voor"),
        ("B1-K1-W2", "Evalueert de werkzaamheden"),
    ]
    evalueert = Werkproces.objects.get(code="B1-K1-W2")
    assert (evalueert.omschrijving, evalueert.resultaat) == ("Hij evalueert.", "Geëvalueerd.")
    profiel = Kerntaak.objects.get(code="P2-K1")
    assert (profiel.dossier, profiel.kwalificatie) == (dossier, kwalificatie)
    assert profiel.werkprocessen.get().code == "P2-K1-W1"
    assert "Werkproces: 3 created" in out


def test_unknown_dossier_and_crebo_are_row_errors_and_nothing_is_written(tmp_path, structure):
    data_dir = write_xml(tmp_path, dossiercrebo="23999", crebo="25999")
    text = (data_dir / "sbb_kwalificatiedossiers_xml_2016" / "2755_Dienstverlening.xml").read_text()

    with pytest.raises(CommandError) as excinfo:
        run(str(data_dir))

    line = line_of(text, "<dossiercrebo ")
    assert f"2755_Dienstverlening.xml:{line}: unknown dossiercrebo '23999'" in str(excinfo.value)
    assert snapshot() == ([], [])


def test_unknown_profiel_crebo_is_refused_or_skipped(tmp_path, structure):
    data_dir = write_xml(tmp_path, crebo="25999")
    text = (data_dir / "sbb_kwalificatiedossiers_xml_2016" / "2755_Dienstverlening.xml").read_text()
    expected = f"2755_Dienstverlening.xml:{line_of(text, '<crebo ')}: unknown crebo '25999'"

    with pytest.raises(CommandError, match=expected):
        run(str(data_dir))
    assert snapshot() == ([], [])

    _, err = run(str(data_dir), "--skip-invalid")

    assert expected in err
    assert list(Kerntaak.objects.values_list("code", flat=True)) == ["B1-K1"]


def test_profiel_of_another_dossier_is_an_error(tmp_path, structure):
    KwalificatieFactory(crebo="25999")  # in a dossier of its own

    with pytest.raises(CommandError, match="crebo 25999 belongs to another kwalificatiedossier"):
        run(str(write_xml(tmp_path, crebo="25999")))


def test_invalid_xml_names_file_and_line(tmp_path, structure):
    xml_dir = tmp_path / "xml"
    xml_dir.mkdir()
    (xml_dir / "kapot.xml").write_text("<sbb>\n<dossiers>\n</sbb>\n")

    with pytest.raises(CommandError, match=r"kapot.xml:3: invalid XML"):
        run(str(tmp_path), "--xml-dir", str(xml_dir))


def test_second_run_changes_nothing(tmp_path, structure):
    data_dir = write_xml(tmp_path)
    run(str(data_dir))
    before = snapshot()

    out, _ = run(str(data_dir))

    assert snapshot() == before
    assert "Total: 0 created, 0 updated, 5 unchanged, 0 skipped" in out


@needs_reference_data
def test_real_xml_gives_the_codes_and_titles_of_the_derived_csv():
    call_command("import_kwalificaties", stdout=StringIO())

    out, err = run()

    assert err == ""
    assert Kerntaak.objects.count() == 23
    assert Kerntaak.objects.filter(deel=KerntaakDeel.PROFIEL).count() == 16
    assert Werkproces.objects.count() == 111
    # The CSV names the 2016 dossier crebo; the crebo list maps it to the current dossier.
    current_dossier = dict(Kwalificatie.objects.values_list("crebo", "dossier__code"))
    path = Path(settings.REFERENCE_DATA_DIR) / "werkprocessen_sbb_4dossiers_2016.csv"
    with path.open(encoding="utf-8") as handle:
        expected = {
            (
                current_dossier[r["dossier_crebo"]],
                r["kwalificatie_crebo"],
                r["kerntaak_code"],
                r["kerntaak_titel"],
                r["werkproces_code"],
                r["werkproces_titel"],
            )
            for r in csv.DictReader(handle)
        }
    loaded = {
        (
            w.kerntaak.dossier.code,
            w.kerntaak.kwalificatie.crebo if w.kerntaak.kwalificatie else "",
            w.kerntaak.code,
            w.kerntaak.titel,
            w.code,
            w.titel,
        )
        for w in Werkproces.objects.select_related("kerntaak__dossier", "kerntaak__kwalificatie")
    }
    assert len(expected) == 111
    assert loaded == expected
    assert not Werkproces.objects.filter(omschrijving="").exists()
    assert "Total: 134 created, 0 updated, 0 unchanged, 0 skipped" in out
