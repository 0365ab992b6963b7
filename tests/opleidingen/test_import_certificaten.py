"""``import_certificaten``: certificaten.csv, the green regulation's list and the demo file."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.constants import KerntaakDeel
from opleidingen.management.commands.import_certificaten import REGULATION_NAME
from opleidingen.management.commands.load_reference import DEMO_CERTIFICATEN_DIR
from opleidingen.models import Certificaat
from tests.opleidingen.factories import (
    CertificaatFactory,
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db

HEADER = "code;naam;crebos;kerntaken;werkprocessen;keuzedeel;bron;vastgesteld_op;demo"


@pytest.fixture
def dienstverlening():
    """Dossier Dienstverlening: basis B1-K1 (W1, W2), profiel P1-K1 (W1) of 25499 and P2-K1
    (W1) of 25498; and another dossier with its own B1-K1 for 25488."""
    dossier = KwalificatiedossierFactory(code="23181", naam="Dienstverlening")
    facilitair = KwalificatieFactory(crebo="25499", dossier=dossier, niveau=2)
    helpende = KwalificatieFactory(crebo="25498", dossier=dossier, niveau=2)
    basis = KerntaakFactory(dossier=dossier, code="B1-K1")
    p1 = KerntaakFactory(
        dossier=dossier, code="P1-K1", kwalificatie=facilitair, deel=KerntaakDeel.PROFIEL
    )
    p2 = KerntaakFactory(
        dossier=dossier, code="P2-K1", kwalificatie=helpende, deel=KerntaakDeel.PROFIEL
    )
    wp = {
        code: WerkprocesFactory(kerntaak=k, code=code)
        for k, code in (
            (basis, "B1-K1-W1"),
            (basis, "B1-K1-W2"),
            (p1, "P1-K1-W1"),
            (p2, "P2-K1-W1"),
        )
    }
    sociaal = KwalificatiedossierFactory(code="23183", naam="Sociaal werk")
    sociaal_werker = KwalificatieFactory(crebo="25488", dossier=sociaal)
    WerkprocesFactory(kerntaak=KerntaakFactory(dossier=sociaal, code="B1-K1"), code="B1-K1-W1")
    return {
        "facilitair": facilitair,
        "helpende": helpende,
        "sociaal": sociaal_werker,
        "basis": basis,
        "p1": p1,
        **wp,
    }


def write(tmp_path: Path, *rows: str, name: str = "certificaten.csv", header: str = HEADER) -> Path:
    (tmp_path / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return tmp_path


def run(data_dir: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_certificaten", str(data_dir), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


GOOD = (
    "CERT-FAC;Facilitaire werkzaamheden;25499;P1-K1;B1-K1-W2|p1-k1-w1;k0125;Regeling X;2024-08-01;0"
)


def test_a_good_row_is_a_certificaat_with_its_kwalificaties_and_parts(tmp_path, dienstverlening):
    out = run(write(tmp_path, GOOD))

    certificaat = Certificaat.objects.get(code="CERT-FAC")
    assert certificaat.naam == "Facilitaire werkzaamheden"
    assert list(certificaat.kwalificaties.all()) == [dienstverlening["facilitair"]]
    assert list(certificaat.kerntaken.all()) == [dienstverlening["p1"]]
    assert set(certificaat.werkprocessen.all()) == {
        dienstverlening["B1-K1-W2"],
        dienstverlening["P1-K1-W1"],
    }
    assert certificaat.keuzedeel_code == "K0125"
    assert certificaat.bron == "Regeling X"
    assert certificaat.vastgesteld_op == dt.date(2024, 8, 1)
    assert certificaat.is_demo is False
    assert "Certificaat: 1 created, 0 updated, 0 unchanged, 0 skipped" in out


def test_codes_are_resolved_within_the_dossiers_of_the_rows_crebos(tmp_path, dienstverlening):
    # B1-K1-W1 exists in both dossiers; the row's crebo picks Dienstverlening's.
    run(write(tmp_path, "C1;Basis;25498;;B1-K1-W1;;;;"))

    assert list(Certificaat.objects.get().werkprocessen.all()) == [dienstverlening["B1-K1-W1"]]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("C1;Naam;25999;;;;;;", "certificaten.csv:2: column crebos: unknown crebo 25999"),
        ("C1;Naam;2549;;;;;;", "column crebos: '2549' is not 5 digits"),
        ("C1;Naam;;;;;;;", "column crebos: no crebo given"),
        ("C1;;25499;;;;;;", "column naam: empty or longer than 250 characters"),
        ("C 1;Naam;25499;;;;;;", "column code: 'C 1' is not 1–30 letters"),
        ("C1;Naam;25499;P9-K1;;;;;", "column kerntaken: P9-K1 is not in the dossier"),
        ("C1;Naam;25499;K1;;;;;", "column kerntaken: 'K1' is not a code like P1-K1"),
        ("C1;Naam;25499;;B1-K1-W9;;;;", "column werkprocessen: B1-K1-W9 is not in the dossier"),
        (
            "C1;Naam;25499;;P2-K1-W1;;;;",
            "column werkprocessen: P2-K1-W1 is a profieldeel of another",
        ),
        ("C1;Naam;25499|25488;;B1-K1-W1;;;;", "column werkprocessen: B1-K1-W1 is in more than one"),
        ("C1;Naam;25499;;;K125;;;", "column keuzedeel: 'K125' is not K followed by 4 digits"),
        ("C1;Naam;25499;;;;;2024-02-30;", "column vastgesteld_op: '2024-02-30' is not a date"),
        ("C1;Naam;25499;;;;;01-02-2024;", "column vastgesteld_op: '01-02-2024' is not a date"),
        ("C1;Naam;25499;;;;;;ja", "column demo: 'ja' is not 1, 0 or empty"),
        ("C1;Naam;25499;;;;", "certificaten.csv:2: expected 9 fields, found 7"),
    ],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_written(
    tmp_path, dienstverlening, row, message
):
    with pytest.raises(CommandError) as refused:
        run(write(tmp_path, GOOD, row))

    assert message in str(refused.value).replace("certificaten.csv:3:", "certificaten.csv:2:")
    assert "nothing was written" in str(refused.value)
    assert not Certificaat.objects.exists()


def test_a_duplicate_code_and_a_missing_column_are_refused(tmp_path, dienstverlening):
    with pytest.raises(CommandError, match=r"certificaten.csv:3: column code: duplicate CERT-FAC"):
        run(write(tmp_path, GOOD, GOOD))
    with pytest.raises(CommandError, match="missing column"):
        run(write(tmp_path, "C1;N;25499", header="code;naam;crebos"))


def test_skip_invalid_loads_the_good_rows(tmp_path, dienstverlening):
    err = StringIO()
    call_command(
        "import_certificaten",
        str(write(tmp_path, GOOD, "C2;Naam;25999;;;;;;")),
        "--skip-invalid",
        stdout=StringIO(),
        stderr=err,
    )

    assert "certificaten.csv:3: column crebos: unknown crebo 25999" in err.getvalue()
    assert "(skipped)" in err.getvalue()
    assert list(Certificaat.objects.values_list("code", flat=True)) == ["CERT-FAC"]


def test_a_second_run_changes_nothing_and_a_changed_row_updates(tmp_path, dienstverlening):
    data_dir = write(tmp_path, GOOD)
    run(data_dir)

    assert "Certificaat: 0 created, 0 updated, 1 unchanged" in run(data_dir)

    out = run(write(tmp_path, "CERT-FAC;Facilitaire werkzaamheden;25499|25498;;B1-K1-W1;;;;1"))

    assert "Certificaat: 0 created, 1 updated, 0 unchanged" in out
    certificaat = Certificaat.objects.get()
    assert certificaat.kwalificaties.count() == 2
    assert not certificaat.kerntaken.exists()
    assert list(certificaat.werkprocessen.all()) == [dienstverlening["B1-K1-W1"]]
    assert (certificaat.is_demo, certificaat.keuzedeel_code, certificaat.vastgesteld_op) == (
        True,
        "",
        None,
    )


def test_certificates_not_in_the_file_are_left_alone(tmp_path, dienstverlening):
    other = CertificaatFactory(kwalificaties=[dienstverlening["helpende"]])

    run(write(tmp_path, GOOD))

    assert Certificaat.objects.filter(pk=other.pk).exists()


def test_a_directory_without_certificaten_files_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"Neither certificaten\.csv nor"):
        run(tmp_path)


REGULATION_HEADER = (
    "versie_datum,versie_commit,onderdeel,certificeerbare_eenheid,gekoppelde_kwalificaties,"
    "crebocodes_in_regeling,verwijzing_kwalificatiestructuur,opmerking"
)


def test_the_regulations_certificates_attach_to_the_crebos_it_names(tmp_path):
    owner = KwalificatieFactory(crebo="97790", historic=True)
    seller = KwalificatieFactory(crebo="97791", historic=True)
    data_dir = write(
        tmp_path,
        "2015-09-16,f572424065,a,wettelijke beroepsvereisten gewasbescherming,"
        "Vakbekwaam medewerker teelt,,Bijlage 2,",
        "2015-09-16,f572424065,f,CE Herpeten,,97790|97791,Bijlage 2,",
        "2015-09-16,f572424065,f,CE Vissen,,97790|97791|97799,Bijlage 2,",
        "2015-09-16,f572424065,g,wettelijke beroepsvereisten paraveterinair,,97590,Bijlage 2,",
        name=REGULATION_NAME,
        header=REGULATION_HEADER,
    )

    out = run(data_dir)

    assert (
        "BWBR0032494-2015-a (wettelijke beroepsvereisten gewasbescherming): skipped: no crebo in "
        "the regulation (kwalificaties Vakbekwaam medewerker teelt)"
    ) in out
    assert "BWBR0032494-2015-f-2 (CE Vissen): crebos 97799 are not loaded, left out" in out
    assert (
        "BWBR0032494-2015-g (wettelijke beroepsvereisten paraveterinair): skipped: crebos 97590"
        in out
    )
    assert "Certificaat: 2 created, 0 updated, 0 unchanged, 2 skipped" in out
    herpeten = Certificaat.objects.get(code="BWBR0032494-2015-f-1")
    assert herpeten.naam == "CE Herpeten"
    assert set(herpeten.kwalificaties.all()) == {owner, seller}
    assert not herpeten.werkprocessen.exists()
    assert not herpeten.kerntaken.exists()
    assert herpeten.is_demo is False
    assert herpeten.bron == (
        "Regeling certificaten groen beroepsonderwijs (BWBR0032494), art. 1 onder f, "
        "versie 2015-09-16"
    )
    assert "Certificaat: 0 created, 0 updated, 2 unchanged" in run(data_dir)


@needs_reference_data
def test_the_real_regulation_file_gives_eight_certificates():
    call_command("import_kwalificaties", stdout=StringIO())

    out = run(Path(settings.REFERENCE_DATA_DIR))

    assert "Certificaat: 8 created, 0 updated, 0 unchanged, 6 skipped" in out
    assert not Certificaat.objects.filter(is_demo=True).exists()


def test_the_shipped_demo_certificaten_are_demo_and_named_so(tmp_path):
    call_command(
        "load_reference",
        "--no-demo-certificaten",
        str(settings.BASE_DIR / "praktijkleren" / "demo_reference"),
        stdout=StringIO(),
    )

    out = run(DEMO_CERTIFICATEN_DIR)

    assert "Certificaat: 7 created" in out
    certificaten = Certificaat.objects.all()
    assert all(c.is_demo and c.naam.endswith("(demo)") for c in certificaten)
    assert all(c.werkprocessen.exists() for c in certificaten)
