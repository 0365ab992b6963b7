"""``import_werkprocessen_beroepen_app``: SBB titles without codes, matched by name."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from opleidingen.constants import KerntaakDeel, WerkprocesBron
from opleidingen.management.commands.import_werkprocessen_beroepen_app import FILE_NAME
from opleidingen.models import Kerntaak, Werkproces
from opleidingen.selectors import werkprocessen_of
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)
from tests.reference_data import needs_reference_data

pytestmark = pytest.mark.django_db


def obj(id_: int, profiel: str, kerntaken: list, **extra: object) -> dict:
    return {
        "id": id_,
        "dossier": "Bediening",
        "profiel": profiel,
        "beroepsbeschrijving": "...",
        "kerntaken": [{"name": n, "werkprocessen": w} for n, w in kerntaken],
        "werkprocessen": [],
        "certificaten": [],
        **extra,
    }


GASTHEER = obj(
    53,
    "Gastheer/-vrouw",
    [
        ("Bereidt  werkzaamheden voor\n\n", ["Maakt de zaak gereed", "Ontvangt gasten"]),
        ("Rekent af", ["Rekent af met gasten"]),
    ],
)
JUNK = [
    obj(42, "Geen beroep", [("Geen", [])]),
    obj(63, "test", []),
    obj(64, "", [], niveau=""),
    obj(65, "zcx", [("x", ["y"])], niveau="zxczc"),
]


def write(tmp_path: Path, objects: list) -> Path:
    (tmp_path / FILE_NAME).write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def run(data_dir: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_werkprocessen_beroepen_app", str(data_dir), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def gastheer():
    return KwalificatieFactory(crebo="25168", naam="Gastheer/-vrouw", niveau=2)


def test_a_matched_object_becomes_codeless_profiel_kerntaken_in_order(tmp_path, gastheer):
    out = run(write(tmp_path, [GASTHEER]))

    assert f"{FILE_NAME}:1: id 53 ('Gastheer/-vrouw'): matched 25168" in out
    kerntaken = list(Kerntaak.objects.order_by("position"))
    assert [(k.position, k.titel, k.code) for k in kerntaken] == [
        (1, "Bereidt werkzaamheden voor", ""),
        (2, "Rekent af", ""),
    ]
    assert all(k.bron == WerkprocesBron.BEROEPEN_APP for k in kerntaken)
    assert all(k.deel == KerntaakDeel.PROFIEL for k in kerntaken)
    assert {(k.kwalificatie, k.dossier) for k in kerntaken} == {(gastheer, gastheer.dossier)}
    assert [
        (w.kerntaak.position, w.position, w.titel) for w in werkprocessen_of(kwalificatie=gastheer)
    ] == [
        (1, 1, "Maakt de zaak gereed"),
        (1, 2, "Ontvangt gasten"),
        (2, 1, "Rekent af met gasten"),
    ]
    assert "1 matched, 0 skipped" in out


def test_names_match_ignoring_whitespace_and_case_and_niveau_where_given(tmp_path):
    KwalificatieFactory(crebo="25169", naam="Gastronoom / sommelier", niveau=4)
    sommelier = KwalificatieFactory(crebo="25170", naam="GASTRONOOM/SOMMELIER ", niveau=4)
    KwalificatieFactory(crebo="25171", naam="Gastronoom/sommelier", niveau=3, historic=True)
    data = [obj(54, " gastronoom/sommelier", [("Adviseert", ["Adviseert over wijn"])], niveau=4)]

    run(write(tmp_path, data))

    assert set(Kerntaak.objects.values_list("kwalificatie__crebo", flat=True)) == {sommelier.crebo}


def test_ambiguous_unmatched_and_wrong_niveau_objects_are_skipped_with_the_reason(tmp_path):
    KwalificatieFactory(crebo="25220", naam="Assemblagetechnicus", niveau=2)
    KwalificatieFactory(crebo="25593", naam="Assemblagetechnicus", niveau=2)
    KwalificatieFactory(crebo="25153", naam="Eerste verkoper", niveau=3)
    KwalificatieFactory(crebo="10500", naam="Audicien", historic=True)
    data = [
        obj(36, "Assemblagetechnicus", [("Assembleert", ["Bouwt"])]),
        obj(0, "Eerste verkoper", [("Verkoopt", ["Voert verkoopgesprekken"])], niveau=1),
        obj(41, "Audicien", [("Hoort", ["Meet"])]),
    ]

    out = run(write(tmp_path, data))

    assert (
        f"{FILE_NAME}:1: id 36 ('Assemblagetechnicus'): not matched, skipped: ambiguous, 2 "
        "current kwalificaties have this name: 25220 (niveau 2), 25593 (niveau 2)"
    ) in out
    assert (
        "id 0 ('Eerste verkoper'): not matched, skipped: no current kwalificatie with this name "
        "at niveau 1: 25153 (niveau 3)"
    ) in out
    assert "id 41 ('Audicien'): not matched, skipped: no current kwalificatie has this name" in out
    assert "0 matched, 3 skipped" in out
    assert not Kerntaak.objects.exists()


def test_the_sources_junk_entries_are_skipped_without_refusing_the_run(tmp_path, gastheer):
    KwalificatieFactory(crebo="25999", naam="test")

    out = run(write(tmp_path, [*JUNK, GASTHEER]))

    assert "id 42 ('Geen beroep'): not matched, skipped: no werkprocessen" in out
    assert "id 63 ('test'): not matched, skipped: no werkprocessen" in out
    assert "id 64 (''): not matched, skipped: no profiel name" in out
    assert "id 65 ('zcx'): not matched, skipped: niveau is not 1–4" in out
    assert "1 matched, 4 skipped" in out
    assert set(Kerntaak.objects.values_list("kwalificatie", flat=True)) == {gastheer.pk}


def test_never_overwrites_or_mixes_with_sbb_xml_werkprocessen(tmp_path):
    profiel = KwalificatieFactory(crebo="25498", naam="Helpende Zorg en Welzijn", niveau=2)
    basis = KwalificatiedossierFactory()
    KwalificatieFactory(crebo="25499", naam="Medewerker facilitaire dienstverlening", dossier=basis)
    WerkprocesFactory(
        kerntaak=KerntaakFactory(
            dossier=profiel.dossier, kwalificatie=profiel, deel=KerntaakDeel.PROFIEL, code="P2-K1"
        )
    )
    WerkprocesFactory(kerntaak=KerntaakFactory(dossier=basis, code="B1-K1"))
    data = [
        obj(1, "Helpende Zorg en Welzijn", [("Helpt", ["Ondersteunt"])]),
        obj(2, "Medewerker facilitaire dienstverlening", [("Faciliteert", ["Beheert"])]),
    ]

    out = run(write(tmp_path, data))

    assert (
        "id 1 ('Helpende Zorg en Welzijn'): not matched, skipped: kwalificatie 25498 has SBB XML"
        in out
    )
    assert "skipped: kwalificatie 25499 has SBB XML werkprocessen" in out
    assert not Kerntaak.objects.filter(bron=WerkprocesBron.BEROEPEN_APP).exists()
    assert Werkproces.objects.count() == 2


def test_a_kwalificatie_without_dossier_or_matched_twice_is_skipped(tmp_path, gastheer):
    KwalificatieFactory(crebo="25300", naam="Voorman BOR", dossier=None)
    data = [
        GASTHEER,
        obj(99, "Gastheer/-vrouw", [("Anders", ["Iets"])]),
        obj(12, "Voorman BOR", [("Leidt", ["Plant"])]),
    ]

    out = run(write(tmp_path, data))

    assert (
        "id 99 ('Gastheer/-vrouw'): not matched, skipped: kwalificatie 25168 already matched by "
        "id 53" in out
    )
    assert (
        "id 12 ('Voorman BOR'): not matched, skipped: kwalificatie 25300 has no kwalificatiedossier"
        in out
    )
    assert Kerntaak.objects.count() == 2


def test_a_second_run_changes_nothing_and_a_changed_title_is_updated(tmp_path, gastheer):
    data_dir = write(tmp_path, [GASTHEER])
    run(data_dir)
    ids = set(Werkproces.objects.values_list("pk", flat=True))

    out = run(data_dir)

    assert "Kerntaak: 0 created, 0 updated, 2 unchanged" in out
    assert "Werkproces: 0 created, 0 updated, 3 unchanged" in out
    assert set(Werkproces.objects.values_list("pk", flat=True)) == ids

    changed = json.loads(json.dumps(GASTHEER))
    changed["kerntaken"][1]["werkprocessen"] = ["Rekent af met de gast"]
    out = run(write(tmp_path, [changed]))

    assert "Werkproces: 0 created, 1 updated, 2 unchanged" in out
    assert set(Werkproces.objects.values_list("pk", flat=True)) == ids


def test_a_badly_shaped_object_refuses_the_run_unless_skip_invalid(tmp_path, gastheer):
    data_dir = write(tmp_path, [GASTHEER, {"id": 7, "profiel": "X", "kerntaken": "no list"}, 5])

    with pytest.raises(CommandError) as refused:
        run(data_dir)

    assert f"{FILE_NAME}:2: object 2: kerntaken is not a list" in str(refused.value)
    assert f"{FILE_NAME}:3: object 3: not a JSON object" in str(refused.value)
    assert not Kerntaak.objects.exists()

    err = StringIO()
    call_command(
        "import_werkprocessen_beroepen_app",
        str(data_dir),
        "--skip-invalid",
        stdout=StringIO(),
        stderr=err,
    )
    assert "(skipped)" in err.getvalue()
    assert Kerntaak.objects.count() == 2


def test_a_missing_file_or_invalid_json_is_refused(tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(tmp_path)
    (tmp_path / FILE_NAME).write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="invalid JSON"):
        run(tmp_path)


@needs_reference_data
def test_the_real_file_matches_25_of_66_objects():
    call_command("import_kwalificaties", stdout=StringIO())

    out = run(Path(settings.REFERENCE_DATA_DIR))

    assert "25 matched, 41 skipped" in out
    assert Kerntaak.objects.filter(bron=WerkprocesBron.BEROEPEN_APP).count() == 74
