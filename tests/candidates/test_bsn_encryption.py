"""The BSN at rest (docs/bsn.md): a Fernet token and a blind index instead of plain text, one
BSN per organisation, masked for anyone but the registering organisation's consultants, keys
from the environment, and a key rotation that loses nothing."""

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from candidates import bsn as bsn_crypto
from candidates.forms import CandidateForm
from candidates.models import Candidate
from candidates.selectors import candidate_bsn_for, candidates_with_bsn
from candidates.services import BsnRotation, bsn_keys_rotate
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import KwalificatieFactory

pytestmark = pytest.mark.django_db

BSN = "111222333"
OTHER_BSN = "123456782"
KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))
INDEX_OLD, INDEX_NEW = "old-index-key-" + "o" * 32, "new-index-key-" + "n" * 32


def _raw(candidate: Candidate) -> tuple[str, str]:
    """The candidate's row as the database holds it: (bsn_encrypted, bsn_index)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bsn_encrypted, bsn_index FROM candidates_candidate WHERE id = %s",
            [candidate.pk],
        )
        return cursor.fetchone()


# --- encryption and the blind index -----------------------------------------------------------


def test_the_bsn_is_stored_as_a_token_and_read_back():
    candidate = CandidateFactory(bsn=BSN)
    token, index = _raw(candidate)
    assert BSN not in token
    assert BSN not in index
    assert token.startswith("gAAAAA")
    assert len(token) == 100
    assert index == bsn_crypto.index(BSN)
    assert len(index) == 64
    assert Candidate.objects.get(pk=candidate.pk).bsn == BSN
    with connection.cursor() as cursor:  # no column of the table holds the plain number
        cursor.execute("SELECT * FROM candidates_candidate WHERE id = %s", [candidate.pk])
        assert not any(BSN in str(value) for value in cursor.fetchone())


def test_two_tokens_of_one_bsn_differ_yet_their_index_is_equal():
    one, two = CandidateFactory(bsn=BSN), CandidateFactory(bsn=BSN)  # two organisations
    assert one.organisation_id != two.organisation_id
    assert _raw(one)[0] != _raw(two)[0]
    assert _raw(one)[1] == _raw(two)[1]
    assert bsn_crypto.index(BSN) != bsn_crypto.index(OTHER_BSN)


def test_setting_the_same_bsn_again_keeps_the_token_and_an_empty_one_clears_both_columns():
    candidate = CandidateFactory(bsn=BSN)
    token = candidate.bsn_encrypted
    candidate.bsn = BSN
    assert candidate.bsn_encrypted == token
    candidate.bsn = ""  # as the anonymisation does
    candidate.save()
    assert _raw(candidate) == ("", "")
    assert Candidate.objects.get(pk=candidate.pk).bsn == ""
    candidate.bsn = None
    assert candidate.bsn == ""


def test_the_setter_refuses_anything_but_nine_digits_without_naming_it():
    candidate = CandidateFactory()
    for wrong in ("12345678", "1234567890", "1234 5678", "abcdefghi", "１２３４５６７８９"):
        with pytest.raises(ValueError, match="A BSN has nine digits") as refused:
            candidate.bsn = wrong
        assert wrong not in str(refused.value)


def test_the_database_refuses_a_plain_bsn_or_a_token_without_index():
    candidate = CandidateFactory(bsn=BSN)
    for columns in (
        {"bsn_encrypted": BSN},
        {"bsn_index": ""},
        {"bsn_encrypted": ""},
        {"bsn_index": BSN},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Candidate.objects.filter(pk=candidate.pk).update(**columns)


def test_the_auditlog_shows_that_the_bsn_changed_never_its_value():
    candidate = CandidateFactory(bsn=BSN)
    candidate.bsn = OTHER_BSN
    candidate.save()
    entries = LogEntry.objects.get_for_object(candidate)
    logged = " ".join(str(entry.changes) for entry in entries)
    assert "bsn_encrypted" in logged
    for secret in (BSN, OTHER_BSN, candidate.bsn_encrypted, candidate.bsn_index):
        assert secret not in logged


# --- look-up and duplicates through the index -------------------------------------------------


def test_exact_look_up_goes_through_the_index():
    mine = CandidateFactory(bsn=BSN)
    elsewhere = CandidateFactory(bsn=BSN)
    CandidateFactory(bsn=OTHER_BSN)
    assert set(candidates_with_bsn(bsn=BSN)) == {mine, elsewhere}
    assert list(candidates_with_bsn(bsn=BSN, organisation=mine.organisation)) == [mine]
    assert not candidates_with_bsn(bsn="").exists()


@pytest.fixture
def intake():
    PostcodeFactory(pc4="3511")
    kwalificatie = KwalificatieFactory()
    return {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "postcode": "3511",
        "wished_kwalificaties": [kwalificatie.pk],
        "route": "diploma",
        "max_travel_km": 20,
        "hours_per_week": 32,
        "earliest_start_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }


def test_one_organisation_registers_a_bsn_once_another_may_too(intake):
    existing = CandidateFactory(bsn=BSN)
    form = CandidateForm({**intake, "bsn": "1112.22.333"}, organisation=existing.organisation)
    assert not form.is_valid()
    assert form.errors["bsn"] == ["Uw organisatie heeft al een kandidaat met dit BSN."]
    assert BSN not in str(form.errors)
    other = OrganisationFactory()
    elsewhere = CandidateForm({**intake, "bsn": BSN}, organisation=other)
    assert elsewhere.is_valid(), elsewhere.errors
    # The database refuses it too (a race past the form).
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidateFactory(consultant=existing.consultant, bsn=BSN)


def test_the_consultants_registration_page_refuses_a_duplicate(client, intake):
    existing = CandidateFactory(bsn=BSN)
    client.force_login(existing.consultant)
    response = client.post(reverse("candidates:candidate_create"), {**intake, "bsn": BSN})
    assert response.status_code == 200
    assert "Uw organisatie heeft al een kandidaat met dit BSN." in response.content.decode()
    assert Candidate.objects.filter(organisation=existing.organisation).count() == 1


# --- masking ----------------------------------------------------------------------------------


def test_the_mask_keeps_the_last_four_digits():
    assert bsn_crypto.mask(BSN) == "*****2333"
    assert bsn_crypto.mask("") == ""


def test_only_the_registering_organisations_consultants_see_the_whole_bsn():
    candidate = CandidateFactory(bsn=BSN)
    colleague = UserFactory(organisation=candidate.organisation)
    seen = {
        "consultant": candidate_bsn_for(candidate=candidate, user=candidate.consultant),
        "colleague": candidate_bsn_for(candidate=candidate, user=colleague),
        "other gemeente": candidate_bsn_for(candidate=candidate, user=UserFactory()),
        "uwv": candidate_bsn_for(
            candidate=candidate, user=UserFactory(organisation=OrganisationFactory(uwv=True))
        ),
        "school": candidate_bsn_for(
            candidate=candidate, user=UserFactory(organisation=OrganisationFactory(school=True))
        ),
        "beheer": candidate_bsn_for(
            candidate=candidate, user=UserFactory(organisation=OrganisationFactory(beheer=True))
        ),
        "werkgever": candidate_bsn_for(
            candidate=candidate,
            user=UserFactory(organisation=OrganisationFactory(werkgever=True)),
        ),
    }
    assert seen == {
        "consultant": BSN,
        "colleague": BSN,
        "other gemeente": "*****2333",
        "uwv": "*****2333",
        "school": "*****2333",
        "beheer": "*****2333",
        "werkgever": "",
    }


def test_the_candidate_page_shows_the_consultant_the_whole_bsn(client):
    candidate = CandidateFactory(bsn=BSN)
    client.force_login(candidate.consultant)
    html = client.get(reverse("trajecten:candidate_detail", args=[candidate.pk])).content.decode()
    assert BSN in html


def test_the_admin_shows_beheer_the_bsn_masked(client):
    candidate = CandidateFactory(bsn=BSN)
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    client.force_login(beheer)
    response = client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "*****2333" in html
    assert BSN not in html
    assert candidate.bsn_encrypted not in html


# --- keys and their rotation ------------------------------------------------------------------


def _fresh(candidate: Candidate) -> Candidate:
    return Candidate.objects.get(pk=candidate.pk)


def test_rotation_from_key_a_to_b_then_dropping_a_still_reads_and_finds():
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_A]):
        candidates = [CandidateFactory(bsn=BSN), CandidateFactory(bsn=OTHER_BSN)]
        without = CandidateFactory()
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        assert [_fresh(c).bsn for c in candidates] == [BSN, OTHER_BSN]  # read with A
        call_command("bsn_rotate_keys", "--batch-size", "1", stdout=io.StringIO())
        for candidate in candidates:  # now under B only
            Fernet(KEY_B).decrypt(_raw(candidate)[0].encode())
        # A second run changes nothing.
        assert bsn_keys_rotate() == BsnRotation(rows=2)
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_B]):  # A dropped
        assert [_fresh(c).bsn for c in candidates] == [BSN, OTHER_BSN]
        assert list(candidates_with_bsn(bsn=BSN)) == [candidates[0]]
    assert _raw(without) == ("", "")


def test_a_new_index_key_finds_through_the_previous_one_until_the_rotation_reindexed():
    with override_settings(BSN_INDEX_KEY=INDEX_OLD):
        candidate = CandidateFactory(bsn=BSN)
    changing = override_settings(BSN_INDEX_KEY=INDEX_NEW, BSN_INDEX_KEY_PREVIOUS=INDEX_OLD)
    with changing:
        assert list(candidates_with_bsn(bsn=BSN)) == [candidate]
        result = bsn_keys_rotate(batch_size=10)
        assert (result.rows, result.reencrypted, result.reindexed) == (1, 0, 1)
    with override_settings(BSN_INDEX_KEY=INDEX_NEW):
        assert _raw(candidate)[1] == bsn_crypto.index(BSN)
        assert list(candidates_with_bsn(bsn=BSN)) == [candidate]


def test_a_token_no_key_opens_fails_the_rotation_naming_only_the_candidate():
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_A]):
        candidate = CandidateFactory(bsn=BSN)
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_C]):
        with pytest.raises(CommandError) as failed:
            call_command("bsn_rotate_keys", stdout=io.StringIO())
        assert str(candidate.pk) in str(failed.value)
        assert BSN not in str(failed.value)
        # Replacing it is still possible (the anonymisation clears it).
        lost = _fresh(candidate)
        lost.bsn = ""
        lost.save()
        assert _raw(candidate) == ("", "")


def test_the_checks_refuse_keys_that_cannot_work():
    with override_settings(
        BSN_ENCRYPTION_KEYS=["geen-sleutel", KEY_A, KEY_A], BSN_INDEX_KEY="kort"
    ):
        ids = {message.id for message in run_checks()}
    assert {"candidates.E001", "candidates.E002", "candidates.E003"} <= ids
    with override_settings(BSN_INDEX_KEY_PREVIOUS=INDEX_OLD):
        assert "candidates.W001" in {message.id for message in run_checks()}
    assert not {m.id for m in run_checks()} & {"candidates.E001", "candidates.E003"}


def test_production_settings_refuse_to_load_without_the_keys():
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("BSN_", "DJANGO_"))
    } | {
        "DJANGO_SETTINGS_MODULE": "praktijkleren.settings.production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.nl",
        "BSN_KEYS_FROM_SECRET_KEY": "true",  # production ignores it
    }
    code = "import django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set the environment variable BSN_ENCRYPTION_KEYS." in result.stderr
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment | {"BSN_ENCRYPTION_KEYS": KEY_A},
        capture_output=True,
        text=True,
    )
    assert "Set the environment variable BSN_INDEX_KEY." in result.stderr


@pytest.mark.slow
def test_rotating_a_thousand_rows_in_batches():
    """1,000 candidates re-encrypted and re-indexed in batches of 500."""
    consultant = UserFactory()
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_A]):
        first = CandidateFactory(consultant=consultant)
        Candidate.objects.bulk_create(
            [
                Candidate(
                    organisation=first.organisation,
                    consultant=consultant,
                    first_name="K",
                    last_name=str(i),
                    bsn=f"{100_000_000 + i:09d}",
                    postcode=first.postcode,
                    route=first.route,
                    earliest_start_date=first.earliest_start_date,
                    status="aangemeld",
                )
                for i in range(1000)
            ]
        )
    with override_settings(BSN_ENCRYPTION_KEYS=[KEY_B, KEY_A], BSN_INDEX_KEY=INDEX_NEW):
        result = bsn_keys_rotate(batch_size=500)
        assert (result.rows, result.reencrypted, result.reindexed) == (1000, 1000, 1000)
        assert Candidate.objects.get(last_name="999").bsn == "100000999"


# --- the data migration -----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_going_back_decrypts_them():
    before = [("candidates", "0007_candidate_anonymised")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        others = [node for node in leaves if node[0] != "candidates"]
        old = MigrationExecutor(connection).loader.project_state(others + before).apps
        get = old.get_model
        region = get("geo", "Arbeidsmarktregio").objects.create(code="AM98", naam="Regio")
        gemeente = get("geo", "Gemeente").objects.create(
            code="GM9998", naam="Stad", arbeidsmarktregio=region, lat=52.0, lon=5.0
        )
        postcode = get("geo", "Postcode").objects.create(
            pc4="9998", gemeente=gemeente, lat=52, lon=5
        )
        org = get("accounts", "Organisation").objects.create(
            name="Gem", kind="gemeente", gemeente=gemeente
        )
        user = get("accounts", "User").objects.create(username="c", organisation=org)
        for name, bsn in (("met", BSN), ("zonder", "")):
            get("candidates", "Candidate").objects.create(
                organisation=org,
                consultant=user,
                first_name=name,
                last_name="X",
                bsn=bsn,
                postcode=postcode,
                route="diploma",
                earliest_start_date="2030-01-01",
            )
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        with_bsn, without = (
            Candidate.objects.get(first_name="met"),
            Candidate.objects.get(first_name="zonder"),
        )
        assert (with_bsn.bsn, without.bsn) == (BSN, "")
        assert BSN not in _raw(with_bsn)[0]
        assert _raw(with_bsn)[1] == bsn_crypto.index(BSN)
        assert _raw(without) == ("", "")
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT first_name, bsn FROM candidates_candidate ORDER BY first_name")
            assert cursor.fetchall() == [("met", BSN), ("zonder", "")]
    finally:
        MigrationExecutor(connection).migrate(leaves)
