"""The erkenningen import (``manage.py import_erkenningen``, ``leerbedrijven.importers``), its
admin page, the flags of erkenningen that end within 90 days on the werkgever's and the
consultants' pages, and their announcement."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from candidates.constants import VoordrachtStatus
from leerbedrijven.importers import erkenningen_import
from leerbedrijven.models import Erkenning, Leerbaan
from leerbedrijven.selectors import closing_today, erkenningen_ending
from opleidingen.constants import KerntaakDeel, Leerweg
from praktijkleren.notifications.models import Event, Notification
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.leerbedrijven.factories import ErkenningFactory, LeerbaanFactory, LeerbedrijfFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)
from tests.workflows.conftest import open_leerbaan
from trajecten.services import erkenningen_announce

pytestmark = pytest.mark.django_db

HEADER = "sbb_leerbedrijf_id,kvk_nummer,crebo,leerweg,geldig_van,geldig_tot,werkprocessen"
VAN = dt.date(2022, 1, 1)


def _today():
    return closing_today()


@pytest.fixture
def ref():
    """Two leerbedrijven with an SBB id, a kwalificatie with a basis and a profiel werkproces
    (and one of another kwalificatie), and a second kwalificatie."""
    dossier = KwalificatiedossierFactory(code="23190")
    kwal = KwalificatieFactory(crebo="25491", dossier=dossier)
    other = KwalificatieFactory(crebo="25492", dossier=dossier)
    basis = KerntaakFactory(dossier=dossier, code="B1-K1")
    profiel = KerntaakFactory(
        dossier=dossier, kwalificatie=kwal, deel=KerntaakDeel.PROFIEL, code="P1-K1"
    )
    other_profiel = KerntaakFactory(
        dossier=dossier, kwalificatie=other, deel=KerntaakDeel.PROFIEL, code="P2-K1"
    )
    return {
        "a": LeerbedrijfFactory(sbb_leerbedrijf_id="100000001", kvk_nummer="30000001"),
        "b": LeerbedrijfFactory(sbb_leerbedrijf_id="100000002", kvk_nummer="30000002"),
        "kwal": kwal,
        "other": other,
        "w_basis": WerkprocesFactory(kerntaak=basis, code="B1-K1-W1"),
        "w_profiel": WerkprocesFactory(kerntaak=profiel, code="P1-K1-W1"),
        "w_other": WerkprocesFactory(kerntaak=other_profiel, code="P2-K1-W1"),
    }


def _csv(tmp_path, *rows, name="erkenningen.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _run(path, *args):
    out, err = _Buffer(), _Buffer()
    call_command("import_erkenningen", str(path), *args, stdout=out, stderr=err)
    return out.text, err.text


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _state():
    return sorted(
        (
            e.leerbedrijf_id,
            e.kwalificatie.crebo,
            e.leerweg,
            e.geldig_van,
            e.geldig_tot,
            tuple(sorted(e.werkprocessen.values_list("code", flat=True))),
        )
        for e in Erkenning.objects.select_related("kwalificatie")
    )


GOOD = (
    "100000001,30000001,25491,BBL,2022-01-01,,B1-K1-W1;P1-K1-W1",
    "100000001,,25492,BOL,2022-01-01,2031-12-31,",
    "100000002,30000002,25491,BBL,2023-05-01,2030-04-30,B1-K1-W1",
)


# --- the import -------------------------------------------------------------------------------


def test_a_good_file_is_loaded_with_its_werkprocessen(ref, tmp_path):
    out, _err = _run(_csv(tmp_path, *GOOD))

    assert "3 created, 0 updated, 0 unchanged, 0 skipped" in out
    a = Erkenning.objects.get(leerbedrijf=ref["a"], kwalificatie=ref["kwal"])
    assert (a.leerweg, a.geldig_van, a.geldig_tot) == (Leerweg.BBL, VAN, None)
    assert set(a.werkprocessen.all()) == {ref["w_basis"], ref["w_profiel"]}
    bol = Erkenning.objects.get(leerbedrijf=ref["a"], kwalificatie=ref["other"])
    assert (bol.leerweg, bol.geldig_tot) == (Leerweg.BOL, dt.date(2031, 12, 31))
    assert not bol.werkprocessen.exists()


def test_a_second_run_of_the_same_file_changes_nothing(ref, tmp_path):
    path = _csv(tmp_path, *GOOD)
    _run(path)
    before = _state()

    out, _err = _run(path)

    assert "0 created, 0 updated, 3 unchanged, 0 skipped; 0 ended, 0 withdrawn" in out
    assert _state() == before


def test_a_changed_end_date_or_werkproces_set_is_an_update(ref, tmp_path):
    _run(_csv(tmp_path, *GOOD))
    changed = (
        "100000001,30000001,25491,BBL,2022-01-01,,B1-K1-W1",  # one werkproces fewer
        GOOD[1],
        "100000002,30000002,25491,BBL,2023-05-01,2032-04-30,B1-K1-W1",  # extended
    )
    out, _err = _run(_csv(tmp_path, *changed))

    assert "0 created, 2 updated, 1 unchanged" in out
    a = Erkenning.objects.get(leerbedrijf=ref["a"], kwalificatie=ref["kwal"])
    assert list(a.werkprocessen.all()) == [ref["w_basis"]]
    b = Erkenning.objects.get(leerbedrijf=ref["b"])
    assert b.geldig_tot == dt.date(2032, 4, 30)


BAD_ROWS = [
    ("999999999,,25491,BBL,2022-01-01,,", "geen leerbedrijf met sbb_leerbedrijf_id 999999999"),
    ("10000001,,25491,BBL,2022-01-01,,", "is geen nummer van 9 cijfers"),
    ("100000001,30000002,25491,BBL,2022-01-01,,", "kvk_nummer 30000002 hoort niet bij"),
    ("100000001,,99999,BBL,2022-01-01,,", "onbekende kwalificatie (crebo 99999)"),
    ("100000001,,2549,BBL,2022-01-01,,", "crebo '2549' is geen code van 5 cijfers"),
    ("100000001,,25491,OVO,2022-01-01,,", "leerweg 'OVO' is niet BBL of BOL"),
    ("100000001,,25491,BBL,01-01-2022,,", "geldig_van '01-01-2022' is geen datum"),
    ("100000001,,25491,BBL,2022-02-30,,", "geldig_van '2022-02-30' bestaat niet"),
    ("100000001,,25491,BBL,2022-01-01,2021-12-31,", "ligt vóór geldig_van"),
    ("100000001,,25491,BBL,2022-01-01,,P2-K1-W1", "werkproces(sen) voor crebo 25491: P2-K1-W1"),
    ("100000001,,25491,BBL,2022-01-01,,B9-K9-W9", "B9-K9-W9"),
    ("100000001,,25491,BBL", "7 velden verwacht, 4 gevonden"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_written(ref, tmp_path, row, reason):
    path = _csv(tmp_path, GOOD[2], row)

    with pytest.raises(CommandError) as refused:
        _run(path)

    assert "erkenningen.csv:3: " in str(refused.value)
    assert reason in str(refused.value)
    assert "1 ongeldige regel(s); er is niets opgeslagen" in str(refused.value)
    assert not Erkenning.objects.exists()


def test_every_bad_row_is_reported_at_once(ref, tmp_path):
    path = _csv(tmp_path, BAD_ROWS[0][0], GOOD[0], BAD_ROWS[3][0], GOOD[0])

    with pytest.raises(CommandError) as refused:
        _run(path)

    lines = re.findall(r"erkenningen\.csv:(\d+): (.*)", str(refused.value))
    assert [int(n) for n, _reason in lines] == [2, 4, 5]
    assert "staat al op regel 3" in lines[2][1]
    assert not Erkenning.objects.exists()


def test_a_missing_column_refuses_the_file(ref, tmp_path):
    path = tmp_path / "kaal.csv"
    path.write_text("sbb_leerbedrijf_id,crebo\n100000001,25491\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"kaal\.csv:1: ontbrekende kolom\(men\): leerweg"):
        _run(path)


def test_skip_invalid_loads_the_valid_rows_and_reports_the_bad_ones(ref, tmp_path):
    path = _csv(tmp_path, GOOD[0], BAD_ROWS[0][0], GOOD[2])

    out, err = _run(path, "--skip-invalid")

    assert "2 created, 0 updated, 0 unchanged, 1 skipped" in out
    assert "erkenningen.csv:3: geen leerbedrijf met sbb_leerbedrijf_id 999999999 (skipped)" in err
    assert Erkenning.objects.count() == 2


def test_a_skipped_bad_row_does_not_end_that_leerbedrijfs_erkenningen(ref, tmp_path):
    kept = ErkenningFactory(leerbedrijf=ref["a"], kwalificatie=ref["other"], geldig_tot=None)
    ErkenningFactory.create_batch(20, geldig_tot=None)  # keep the share low
    bad = "100000001,,25491,BBL,2022-01-01,,B9-K9-W9"

    _run(_csv(tmp_path, bad, GOOD[2]), "--skip-invalid")

    kept.refresh_from_db()
    assert kept.geldig_tot is None


# --- ending and the safety threshold ----------------------------------------------------------


def _current(leerbedrijf, n):
    return [
        ErkenningFactory(leerbedrijf=leerbedrijf, geldig_van=VAN, geldig_tot=None) for _ in range(n)
    ]


def _rows_for(erkenningen):
    return [
        f"{e.leerbedrijf.sbb_leerbedrijf_id},,{e.kwalificatie.crebo},{e.leerweg},"
        f"{e.geldig_van},{e.geldig_tot or ''},"
        for e in erkenningen
    ]


def test_an_erkenning_absent_for_a_named_leerbedrijf_ends_yesterday(ref, tmp_path):
    today = _today()
    ours = _current(ref["a"], 10)
    others = _current(ref["b"], 10)  # not named in the file: left alone
    future = ErkenningFactory(
        leerbedrijf=ref["a"], geldig_van=today + dt.timedelta(days=30), geldig_tot=None
    )
    ended_before = ErkenningFactory(leerbedrijf=ref["a"], geldig_tot=dt.date(2024, 6, 30))

    out, _err = _run(_csv(tmp_path, *_rows_for(ours[1:])))

    assert "0 created, 0 updated, 9 unchanged" in out
    assert "1 ended, 1 withdrawn (1 of 20 current erkenningen end)" in out
    ours[0].refresh_from_db()
    assert ours[0].geldig_tot == today - dt.timedelta(days=1)
    assert not Erkenning.objects.filter(pk=future.pk).exists()
    ended_before.refresh_from_db()
    assert ended_before.geldig_tot == dt.date(2024, 6, 30)
    assert Erkenning.objects.filter(pk__in=[e.pk for e in others], geldig_tot=None).count() == 10


def test_a_run_that_ends_too_many_is_refused_and_writes_nothing(ref, tmp_path):
    ours = _current(ref["a"], 8)
    _current(ref["b"], 2)
    new = "100000001,,25491,BBL,2022-01-01,,"
    path = _csv(tmp_path, new, *_rows_for(ours[2:]))  # ends 2 of 10 current: 20 %
    before = _state()

    with pytest.raises(CommandError) as refused:
        _run(path)

    message = str(refused.value)
    assert "2 van de 10 huidige erkenningen beëindigen (20.0%)" in message
    assert "grens van 10.0%" in message
    assert "--max-ending-share" in message
    assert _state() == before


def test_an_end_date_moved_into_the_past_counts_as_ending(ref, tmp_path):
    ours = _current(ref["a"], 4)
    moved = f"100000001,,{ours[0].kwalificatie.crebo},BBL,{VAN},{VAN + dt.timedelta(days=100)},"
    rows = [*_rows_for(ours[1:]), moved]

    with pytest.raises(CommandError, match="1 van de 4 huidige erkenningen"):
        _run(_csv(tmp_path, *rows))


def test_the_threshold_can_be_raised_by_option_and_by_setting(ref, tmp_path, settings):
    ours = _current(ref["a"], 8)
    _current(ref["b"], 2)
    path = _csv(tmp_path, *_rows_for(ours[2:]))

    with pytest.raises(CommandError):
        _run(path, "--max-ending-share", "0.15")
    out, _err = _run(path, "--max-ending-share", "0.25")
    assert "2 ended" in out
    assert Erkenning.objects.filter(geldig_tot__lt=_today()).count() == 2

    settings.ERKENNINGEN_MAX_ENDING_SHARE = 0.5
    more = _current(ref["a"], 1)
    _result, plan = erkenningen_import(path=_csv(tmp_path, *_rows_for(ours[2:]), name="b.csv"))
    assert plan.to_end == more


def test_a_dry_run_writes_nothing_and_lists_the_changes(ref, tmp_path):
    ours = _current(ref["a"], 10)
    before = _state()

    out, _err = _run(_csv(tmp_path, GOOD[0], *_rows_for(ours[1:])), "--dry-run")

    assert "Dry run, nothing written. Erkenning: 1 created" in out
    assert "nieuw: " in out
    assert "beëindigd: " in out
    assert _state() == before


def test_a_renewal_in_the_file_follows_on_and_is_not_announced(ref, tmp_path):
    today = _today()
    ends = today + dt.timedelta(days=40)
    old = ErkenningFactory(
        leerbedrijf=ref["a"], kwalificatie=ref["kwal"], geldig_van=VAN, geldig_tot=ends
    )
    LeerbaanFactory(
        leerbedrijf=ref["a"],
        kwalificatie=ref["kwal"],
        closing_date=today + dt.timedelta(days=10),
        start_date=today + dt.timedelta(days=20),
        erkend=False,
    )
    assert list(erkenningen_ending()) == [old]

    renewal = f"100000001,,25491,BBL,{ends + dt.timedelta(days=1)},,"
    _run(_csv(tmp_path, f"100000001,,25491,BBL,{VAN},{ends},", renewal))

    assert Erkenning.objects.filter(leerbedrijf=ref["a"]).count() == 2
    assert list(erkenningen_ending()) == []
    erkenningen_announce(today=today)
    assert not Event.objects.filter(subject_type="erkenning", subject_id=old.pk).exists()


# --- the announcement ---------------------------------------------------------------------------


def test_an_erkenning_ending_within_90_days_is_announced_once_to_werkgever_and_consultant():
    today = _today()
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    leerbaan = open_leerbaan(werkgever)
    erkenning = Erkenning.objects.get(leerbedrijf=leerbaan.leerbedrijf)
    consultant = UserFactory()
    VoordrachtFactory(
        leerbaan=leerbaan,
        candidate=CandidateFactory(consultant=consultant, status="voorgedragen"),
        status=VoordrachtStatus.VOORGEDRAGEN,
    )
    erkenning.geldig_tot = today + dt.timedelta(days=91)
    erkenning.save()
    erkenningen_announce(today=today)
    assert not Event.objects.filter(subject_id=erkenning.pk, subject_type="erkenning").exists()

    erkenningen_announce(today=today + dt.timedelta(days=1))  # 90 days left
    erkenningen_announce(today=today + dt.timedelta(days=2))

    events = Event.objects.filter(subject_id=erkenning.pk, subject_type="erkenning")
    assert list(events.values_list("type", flat=True)) == ["erkenning.ending"]
    told = set(Notification.objects.filter(event__in=events).values_list("user", flat=True))
    assert told == {werkgever.pk, consultant.pk}


# --- the admin page -----------------------------------------------------------------------------

IMPORT_URL = "admin:leerbedrijven_erkenning_import"


@pytest.fixture
def beheer():
    return UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )


def _upload(client, rows, **data):
    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    upload = SimpleUploadedFile("sbb.csv", content, content_type="text/csv")
    return client.post(reverse(IMPORT_URL), {"file": upload, **data})


def test_the_changelist_links_to_the_import(client, beheer):
    client.force_login(beheer)
    response = client.get(reverse("admin:leerbedrijven_erkenning_changelist"))
    assert reverse(IMPORT_URL) in response.content.decode()


def test_only_beheer_opens_the_import_page(client, beheer):
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    staff_without_rights = UserFactory(is_staff=True)
    url = reverse(IMPORT_URL)

    assert client.get(url).status_code == 302
    client.force_login(werkgever)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(staff_without_rights)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    client.force_login(beheer)
    assert client.get(url).status_code == 200


def test_beheer_previews_then_confirms(client, beheer, ref):
    ErkenningFactory.create_batch(30, geldig_tot=None)
    gone = _current(ref["a"], 1)[0]
    client.force_login(beheer)

    preview = _upload(client, GOOD)

    html = preview.content.decode()
    assert "Wat er zou veranderen (sbb.csv)" in html
    assert "beëindigd" in html
    assert gone.kwalificatie.naam in html
    assert not Erkenning.objects.filter(leerbedrijf=ref["b"]).exists()
    digest = re.search(r'name="digest" value="(\w+)"', html).group(1)

    response = client.post(reverse(IMPORT_URL), {"confirm": "1", "digest": digest})

    assert response.status_code == 302
    assert Erkenning.objects.filter(leerbedrijf__in=[ref["a"], ref["b"]]).count() == 4
    gone.refresh_from_db()
    assert gone.geldig_tot == _today() - dt.timedelta(days=1)
    again = client.post(reverse(IMPORT_URL), {"confirm": "1", "digest": digest})
    assert again.status_code == 302  # the preview was used up: upload again
    assert Erkenning.objects.filter(leerbedrijf__in=[ref["a"], ref["b"]]).count() == 4


def test_the_admin_shows_every_bad_row_and_writes_nothing(client, beheer, ref):
    client.force_login(beheer)

    response = _upload(client, [GOOD[0], BAD_ROWS[0][0], BAD_ROWS[3][0]])

    html = response.content.decode()
    assert "2 ongeldige regel(s); er is niets opgeslagen." in html
    assert "sbb.csv:3: geen leerbedrijf met sbb_leerbedrijf_id 999999999" in html
    assert "sbb.csv:4: onbekende kwalificatie (crebo 99999)" in html
    assert 'name="confirm"' not in html
    assert not Erkenning.objects.exists()


def test_the_admin_refuses_above_the_threshold_unless_raised(client, beheer, ref):
    ours = _current(ref["a"], 4)
    client.force_login(beheer)
    rows = _rows_for(ours[1:])

    refused = _upload(client, rows).content.decode()
    assert "1 van de 4 huidige erkenningen beëindigen (25.0%)" in refused
    assert 'name="confirm"' not in refused

    allowed = _upload(client, rows, max_ending_percent="30").content.decode()
    assert 'name="confirm"' in allowed
    assert Erkenning.objects.filter(geldig_tot__isnull=True).count() == 4


# --- the flags ----------------------------------------------------------------------------------

FLAG = "Erkenning voor {naam} eindigt op"


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))


def _ending_leerbaan(werkgever, ends_in_days, **fields):
    """An open leerbaan (start in 60 days) whose erkenning ends ``ends_in_days`` from today."""
    leerbaan = open_leerbaan(werkgever, **fields)
    Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(
        geldig_tot=_today() + dt.timedelta(days=ends_in_days)
    )
    return leerbaan


def test_the_werkgevers_erkenningen_page_lists_them_with_werkprocessen_and_flags(
    client, werkgever, ref
):
    leerbedrijf = LeerbedrijfFactory(organisation=werkgever.organisation)
    today = _today()
    ending = ErkenningFactory(
        leerbedrijf=leerbedrijf, kwalificatie=ref["kwal"], geldig_tot=today + dt.timedelta(60)
    )
    ending.werkprocessen.set([ref["w_basis"], ref["w_profiel"]])
    renewed = ErkenningFactory(leerbedrijf=leerbedrijf, geldig_tot=today + dt.timedelta(20))
    ErkenningFactory(
        leerbedrijf=leerbedrijf,
        kwalificatie=renewed.kwalificatie,
        geldig_van=today + dt.timedelta(21),
        geldig_tot=None,
    )
    later = ErkenningFactory(leerbedrijf=leerbedrijf, geldig_tot=today + dt.timedelta(91))
    foreign = ErkenningFactory(geldig_tot=today + dt.timedelta(10))
    client.force_login(werkgever)

    response = client.get(reverse("leerbedrijven:erkenning_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert FLAG.format(naam=ending.kwalificatie.naam) in html
    assert "B1-K1-W1" in html
    assert "P1-K1-W1" in html
    assert FLAG.format(naam=renewed.kwalificatie.naam) not in html
    assert "Verlengd" in html
    assert later.kwalificatie.naam in html
    assert FLAG.format(naam=later.kwalificatie.naam) not in html
    assert foreign.kwalificatie.naam not in html
    assert reverse("leerbedrijven:erkenning_list") in html  # in the werkgever's menu


def test_the_erkenningen_page_is_the_werkgevers_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("leerbedrijven:erkenning_list")).status_code == 403


@pytest.mark.parametrize(
    ("ends_in_days", "flagged"),
    [
        (30, True),
        (90, True),
        (91, False),  # after 90 days and after the start (in 60 days)
        (None, False),
    ],
)
def test_leerbaan_list_and_page_flag_an_erkenning_that_ends_soon(
    client, werkgever, ends_in_days, flagged
):
    leerbaan = open_leerbaan(werkgever)
    if ends_in_days is not None:
        Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(
            geldig_tot=_today() + dt.timedelta(days=ends_in_days)
        )
    flag = FLAG.format(naam=leerbaan.kwalificatie.naam)

    for user in (werkgever, UserFactory()):  # the werkgever and a consultant
        client.force_login(user)
        listed = client.get(reverse("leerbedrijven:leerbaan_list")).content.decode()
        page = client.get(leerbaan.get_absolute_url()).content.decode()
        assert (flag in listed) is flagged
        assert (flag in page) is flagged


def test_an_erkenning_ending_before_the_start_is_flagged_beyond_90_days(client, werkgever):
    leerbaan = open_leerbaan(werkgever)
    Leerbaan.objects.filter(pk=leerbaan.pk).update(start_date=_today() + dt.timedelta(days=200))
    Erkenning.objects.filter(leerbedrijf=leerbaan.leerbedrijf).update(
        geldig_tot=_today() + dt.timedelta(days=150)
    )
    client.force_login(werkgever)

    page = client.get(leerbaan.get_absolute_url()).content.decode()

    assert FLAG.format(naam=leerbaan.kwalificatie.naam) in page
    assert "vóór de startdatum" in page


def test_the_consultants_suggestions_flag_an_erkenning_that_ends_soon(client, werkgever):
    consultant = UserFactory()
    flagged = _ending_leerbaan(werkgever, 75)  # still erkend on the start, in 60 days
    calm = open_leerbaan(werkgever)
    candidate = CandidateFactory(
        consultant=consultant, wished_kwalificaties=[flagged.kwalificatie, calm.kwalificatie]
    )
    client.force_login(consultant)

    html = client.get(reverse("trajecten:candidate_detail", args=[candidate.pk])).content.decode()

    assert calm.titel in html
    assert flagged.titel in html
    assert FLAG.format(naam=flagged.kwalificatie.naam) in html
    assert FLAG.format(naam=calm.kwalificatie.naam) not in html


def test_the_export_is_read_back_unchanged(client, beheer, ref, tmp_path):
    _run(_csv(tmp_path, *GOOD))
    client.force_login(beheer)

    response = client.get(reverse("admin:leerbedrijven_erkenning_export"))

    path = tmp_path / "export.csv"
    path.write_bytes(response.content)
    out, _err = _run(path)
    assert "0 created, 0 updated, 3 unchanged" in out
    assert "B1-K1-W1;P1-K1-W1" in response.content.decode()
