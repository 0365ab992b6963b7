"""The bulk upload of leerbanen from CSV (``leerbedrijven.services.leerbanen_upload``): every
bad row reported with line, column and reason; all or nothing unless bad rows are skipped; a
re-upload of the same file updates by ``external_ref`` instead of duplicating."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Leerbaan
from leerbedrijven.services import leerbanen_upload
from leerbedrijven.upload import COLUMN_NAMES
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import VoordrachtFactory
from tests.leerbedrijven.posting import posting_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def p():
    return posting_make()


def _row(p, ref: str, **values) -> dict[str, str]:
    today = timezone.localdate()
    row = {
        "external_ref": ref,
        "titel": f"Leerbaan {ref}",
        "omschrijving": "Meewerken",
        "vestigingsnummer": p.vestiging.vestigingsnummer,
        "crebo": p.kwalificatie.crebo,
        "werkprocessen": ";".join(w.code for w in p.werkprocessen[:2]),
        "routes": "praktijkverklaring;diploma",
        "uren_per_week": "24",
        "plaatsen": "2",
        "startdatum": (today + dt.timedelta(days=60)).isoformat(),
        "sluitingsdatum": (today + dt.timedelta(days=30)).strftime("%d-%m-%Y"),
        "praktijkopleider": p.opleider.naam,
        "publiceren": "ja",
    }
    row.update(values)
    return row


def _csv(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    lines = [delimiter.join(COLUMN_NAMES)]
    for row in rows:
        lines.append(delimiter.join(f'"{row[c]}"' for c in COLUMN_NAMES))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _upload(p, content: bytes, **kwargs):
    return leerbanen_upload(
        leerbedrijf=p.leerbedrijf, by=p.user, content=content, name="leerbanen.csv", **kwargs
    )


def _mine(p):
    return Leerbaan.objects.filter(leerbedrijf=p.leerbedrijf)


def test_a_valid_file_creates_and_publishes_its_leerbanen(p):
    content = _csv(
        [_row(p, "R1"), _row(p, "R2", publiceren="nee", praktijkopleider="anna@example.nl")]
    )
    result = _upload(p, content)
    assert result.written
    assert (result.created, result.updated, result.unchanged, result.skipped) == (2, 0, 0, 0)
    statuses = dict(_mine(p).values_list("external_ref", "status"))
    assert statuses == {"R1": LeerbaanStatus.GEPUBLICEERD, "R2": LeerbaanStatus.CONCEPT}
    r1 = _mine(p).get(external_ref="R1")
    assert r1.closing_date == timezone.localdate() + dt.timedelta(days=30)  # DD-MM-YYYY read
    assert r1.werkprocessen.count() == 2
    assert r1.routes() == ["praktijkverklaring", "diploma"]


def test_a_semicolon_separated_file_is_read_too(p):
    result = _upload(p, _csv([_row(p, "S1")], delimiter=";"))
    assert result.written
    assert result.created == 1


def test_bad_rows_are_reported_per_line_and_column_and_nothing_is_written(p):
    p.erkenning.geldig_tot = timezone.localdate() + dt.timedelta(days=40)
    p.erkenning.save()
    rows = [
        _row(p, "OK1", startdatum=(timezone.localdate() + dt.timedelta(days=35)).isoformat()),
        _row(p, "BAD1", crebo="99999", uren_per_week="50"),
        _row(p, "BAD2", vestigingsnummer="000000000000", routes="stage"),
        _row(p, "BAD3"),  # erkend today, not on the start date
        _row(p, "OK1"),  # the same reference twice
        _row(p, "BAD4", startdatum="31-02-2027", praktijkopleider="Onbekend"),
    ]
    result = _upload(p, _csv(rows))
    assert not result.written
    assert not _mine(p).exists()
    found = {(e.line, e.column) for e in result.errors}
    assert found >= {
        (3, "crebo"),
        (3, "uren_per_week"),
        (4, "vestigingsnummer"),
        (4, "routes"),
        (5, "crebo"),
        (6, "external_ref"),
        (7, "startdatum"),
        (7, "praktijkopleider"),
    }
    assert 2 not in {e.line for e in result.errors}
    erkenning = next(e for e in result.errors if e.line == 5)
    assert "niet erkend voor" in erkenning.reason
    assert "loopt tot" in erkenning.reason
    assert result.skipped == 5


def test_skipping_bad_rows_writes_the_good_ones(p):
    rows = [_row(p, "OK1"), _row(p, "BAD", plaatsen="nul"), _row(p, "OK2")]
    result = _upload(p, _csv(rows), skip_invalid=True)
    assert result.written
    assert (result.created, result.skipped) == (2, 1)
    assert set(_mine(p).values_list("external_ref", flat=True)) == {"OK1", "OK2"}
    assert [(e.line, e.column) for e in result.errors] == [(3, "plaatsen")]


def test_a_missing_column_refuses_the_file(p):
    content = b"external_ref,titel\nX,Y\n"
    result = _upload(p, content, skip_invalid=True)
    assert not result.written
    assert result.errors[0].line == 1
    assert "crebo" in result.errors[0].reason
    assert not _mine(p).exists()


def test_a_re_upload_updates_instead_of_duplicating(p):
    rows = [_row(p, "R1"), _row(p, "R2")]
    _upload(p, _csv(rows))
    again = _upload(p, _csv(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert _mine(p).count() == 2
    rows[1]["titel"] = "Een betere titel"
    rows[1]["plaatsen"] = "3"
    changed = _upload(p, _csv(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert _mine(p).count() == 2
    r2 = _mine(p).get(external_ref="R2")
    assert (r2.titel, r2.places) == ("Een betere titel", 3)


def test_a_re_upload_keeps_the_edit_rules_once_voordrachten_exist(p):
    rows = [_row(p, "R1")]
    _upload(p, _csv(rows))
    VoordrachtFactory(leerbaan=_mine(p).get())
    rows[0]["routes"] = "diploma"  # praktijkverklaring dropped
    result = _upload(p, _csv(rows))
    assert not result.written
    assert [(e.line, e.column) for e in result.errors] == [(2, "routes")]
    assert _mine(p).get().supports_praktijkverklaring


def test_another_organisations_user_may_not_upload(p):
    stranger = UserFactory(organisation=OrganisationFactory(werkgever=True))
    with pytest.raises(PermissionDenied):
        leerbanen_upload(
            leerbedrijf=p.leerbedrijf, by=stranger, content=_csv([_row(p, "X")]), name="x.csv"
        )
    assert not _mine(p).exists()


def test_a_file_that_is_not_utf8_is_refused(p):
    result = _upload(p, "external_ref,titel\nÄ,é\n".encode("latin-1"))
    assert not result.written
    assert "UTF-8" in result.errors[0].reason


def test_the_example_file_has_every_column():
    from django.contrib.staticfiles import finders

    path = finders.find("leerbedrijven/leerbanen-voorbeeld.csv")
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert tuple(header) == COLUMN_NAMES


def test_an_uploaded_row_with_control_characters_or_a_long_description_is_refused(p):
    rows = [
        _row(p, "T1", titel="Kok\x07"),
        _row(p, "T2", omschrijving="x" * 4001),
        _row(p, "T3", omschrijving="Regel 1\nRegel 2"),
    ]
    result = _upload(p, _csv(rows))
    found = {(e.line, e.column) for e in result.errors}
    assert {(2, "titel"), (3, "omschrijving")} <= found
    assert 4 not in {e.line for e in result.errors}
    assert not _mine(p).exists()
