"""The access log of personal data: what is recorded, that nobody alters or removes it, and the
organisation administrator's page."""

import datetime as dt
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from praktijkleren.accounts.audit import Action, access_record
from praktijkleren.accounts.models import AccessLog
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _entry(user, candidate_id=1, view="trajecten:candidate_detail", **fields):
    return AccessLog.objects.create(
        user=user,
        username=user.username,
        organisation=user.organisation,
        view=view,
        candidate_id=candidate_id,
        **{"action": Action.VIEW, **fields},
    )


# --- recording --------------------------------------------------------------------------------


def test_access_record_writes_one_row_per_candidate_in_one_insert():
    user = UserFactory()
    request = RequestFactory().get("/kandidaten/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        written = access_record(request, [5, 6, 5, None, 7], Action.LIST)
    assert written == 3
    assert len(queries) == 1
    rows = AccessLog.objects.order_by("candidate_id")
    assert [r.candidate_id for r in rows] == [5, 6, 7]
    assert {(r.user_id, r.organisation_id, r.action, r.origin) for r in rows} == {
        (user.pk, user.organisation_id, "list", "10.1.2.3")
    }


def test_access_record_ignores_anonymous_requests_and_a_forged_origin():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="<script>, 1.2.3.4")
    request.user = AnonymousUser()
    assert access_record(request, [1]) == 0
    request.user = UserFactory()
    assert access_record(request, [1]) == 1
    assert AccessLog.objects.get().origin is None


def test_the_candidate_list_records_every_candidate_shown_and_a_search(client):
    consultant = UserFactory()
    shown = CandidateFactory.create_batch(3, consultant=consultant, last_name="Jansen")
    other = CandidateFactory(consultant=consultant, last_name="Pietersen")
    client.force_login(consultant)
    assert client.get(reverse("candidates:candidate_list")).status_code == 200
    listed = AccessLog.objects.filter(action="list", view="candidates:candidate_list")
    assert set(listed.values_list("candidate_id", flat=True)) == {c.pk for c in [*shown, other]}
    assert client.get(reverse("candidates:candidate_list"), {"q": "Jansen"}).status_code == 200
    searched = AccessLog.objects.filter(action="search")
    assert set(searched.values_list("candidate_id", flat=True)) <= {c.pk for c in [*shown, other]}
    assert searched.exists()


def test_the_admin_records_the_candidate_changelist_and_change_page(client):
    beheer = UserFactory(
        organisation=OrganisationFactory(beheer=True), is_staff=True, is_superuser=True
    )
    candidate = CandidateFactory()
    client.force_login(beheer)
    assert client.get(reverse("admin:candidates_candidate_changelist")).status_code == 200
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    assert client.get(url).status_code == 200
    entries = AccessLog.objects.filter(action="admin", candidate_id=candidate.pk)
    assert set(entries.values_list("view", flat=True)) == {
        "admin:candidates_candidate_changelist",
        "admin:candidates_candidate_change",
    }


# --- append-only ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_accesslog SET candidate_id = 99",
        "DELETE FROM accounts_accesslog",
        "TRUNCATE accounts_accesslog",
        "UPDATE auditlog_logentry SET object_repr = 'weg'",
        "DELETE FROM auditlog_logentry",
        "TRUNCATE auditlog_logentry",
    ],
)
def test_the_application_connection_cannot_alter_or_remove_audit_entries(sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    user = UserFactory()
    _entry(user)
    if not sql.startswith("TRUNCATE"):
        # A row for the row triggers: django-auditlog writes a LogEntry for a new candidate.
        # (A TRUNCATE after it in the same transaction would meet the pending foreign-key
        # checks first; the statement trigger refuses an empty table as well.)
        CandidateFactory(consultant=user)
        assert LogEntry.objects.exists()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AccessLog.objects.get().candidate_id == 1


def test_the_orm_cannot_delete_an_entry_either():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    entry = _entry(UserFactory())
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(view="x")
    assert AccessLog.objects.filter(pk=entry.pk, view="trajecten:candidate_detail").exists()


def test_a_maintenance_flag_without_superuser_rights_does_not_open_the_table():
    """The way round is for a superuser only: a role without it that sets the flag is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    _entry(UserFactory())
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            "'praktijkleren_audit_test_app') THEN CREATE ROLE praktijkleren_audit_test_app "
            "NOLOGIN; END IF; END $$"
        )
        cursor.execute("GRANT ALL ON accounts_accesslog TO praktijkleren_audit_test_app")
    statements = [
        "SET LOCAL ROLE praktijkleren_audit_test_app",
        "SET LOCAL praktijkleren.audit_maintenance = 'on'",
        "DELETE FROM accounts_accesslog",
    ]
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("; ".join(statements))
    assert AccessLog.objects.count() == 1


# --- the organisation administrator's page ----------------------------------------------------


def test_the_administrator_reads_its_own_organisations_entries_only(client):
    admin = UserFactory(is_organisation_admin=True, first_name="Ada", last_name="Beheerder")
    colleague = UserFactory(organisation=admin.organisation, first_name="Cor", last_name="Collega")
    stranger = UserFactory(first_name="Sam", last_name="Vreemde")
    _entry(colleague, candidate_id=4242)
    _entry(stranger, candidate_id=9797)
    client.force_login(admin)
    response = client.get(reverse("accounts:access_log"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cor Collega" in html
    assert "4242" in html
    assert "Vreemde" not in html
    assert "9797" not in html


def test_the_page_names_each_page_in_words_not_its_url_name(client):
    admin = UserFactory(is_organisation_admin=True)
    _entry(admin, candidate_id=1)  # trajecten:candidate_detail
    _entry(admin, candidate_id=2, view="admin:candidates_candidate_changelist")
    _entry(admin, candidate_id=3, view="/kandidaten/3/ervaring/")  # a path: no URL match then
    _entry(admin, candidate_id=4, view="iets:onbekends")
    client.force_login(admin)

    response = client.get(reverse("accounts:access_log"))

    pages = [row[3] for row in response.context["rows"]]
    assert pages == [
        "iets:onbekends",  # unknown: shown as stored, nothing hidden
        "Werkervaring en opleiding van een kandidaat",
        "Beheer: kandidaten",
        "Gegevens van een kandidaat",
    ]
    html = response.content.decode()
    assert "trajecten:candidate_detail" not in html
    assert "Beheer: kandidaten" in html


def test_every_labelled_page_is_a_url_of_the_portal():
    from praktijkleren.accounts.pages import PAGE_LABELS
    from tests.test_guards import URLS  # every URL pattern of the portal

    assert set(PAGE_LABELS) <= set(URLS)


def test_the_page_is_for_administrators_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:access_log")).status_code == 403
    client.logout()
    response = client.get(reverse("accounts:access_log"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_is_paginated(client):
    admin = UserFactory(is_organisation_admin=True)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=admin,
            username=admin.username,
            organisation=admin.organisation,
            action=Action.LIST,
            view="candidates:candidate_list",
            candidate_id=i,
        )
        for i in range(60)
    )
    client.force_login(admin)
    first = client.get(reverse("accounts:access_log"))
    second = client.get(reverse("accounts:access_log"), {"page": 2})
    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10


def test_the_page_filters_by_candidate_user_action_result_and_date(client):
    admin = UserFactory(is_organisation_admin=True, first_name="Ada", last_name="Beheer")
    colleague = UserFactory(organisation=admin.organisation, first_name="Cor", last_name="Collega")
    stranger = UserFactory()
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    with mock.patch("django.utils.timezone.now", return_value=ten_days_ago):
        _entry(colleague, candidate_id=11)  # the table is append-only: made in the past
    _entry(colleague, candidate_id=12, result=AccessLog.Result.REFUSED)
    _entry(admin, candidate_id=12, action=Action.EXPORT, view="trajecten:candidate_inzage_pdf")
    _entry(stranger, candidate_id=12)
    client.force_login(admin)
    url = reverse("accounts:access_log")

    def shown(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return sorted(
            (e.username, e.candidate_id, e.action, e.result)
            for e in response.context["page"].object_list
        )

    assert len(shown()) == 3  # the stranger's entry never
    assert shown(candidate="12") == sorted(
        [
            (colleague.username, 12, "view", "refused"),
            (admin.username, 12, "export", "shown"),
        ]
    )
    assert shown(user=str(colleague.pk)) == sorted(
        [(colleague.username, 11, "view", "shown"), (colleague.username, 12, "view", "refused")]
    )
    assert shown(action="export") == [(admin.username, 12, "export", "shown")]
    assert shown(result="refused") == [(colleague.username, 12, "view", "refused")]
    today = timezone.localdate()
    assert len(shown(date_from=today.isoformat())) == 2
    assert shown(date_to=(today - dt.timedelta(days=1)).isoformat()) == [
        (colleague.username, 11, "view", "shown")
    ]

    html = client.get(url).content.decode()
    for name in ("candidate", "user", "action", "result", "date_from", "date_to"):
        assert f'<label class="utrecht-form-label" for="id_{name}">' in html, name
    assert "Cor Collega" in html  # a user to choose
    assert stranger.username not in html  # users of other organisations are no choice


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "99999999999999999999", "\x00"])
def test_a_wrong_candidate_number_is_refused_at_its_field(client, value):
    admin = UserFactory(is_organisation_admin=True)
    client.force_login(admin)
    response = client.get(reverse("accounts:access_log"), {"candidate": value})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["candidate"]
    html = response.content.decode()
    assert 'id="id_candidate_error"' in html
    assert 'aria-describedby="id_candidate_error"' in html


def test_the_menu_links_the_page_for_organisation_administrators_only(client):
    admin = UserFactory(is_organisation_admin=True)
    client.force_login(admin)
    link = f'href="{reverse("accounts:access_log")}"'
    assert link in client.get(reverse("notifications:list")).content.decode()
    client.force_login(UserFactory(organisation=admin.organisation))
    assert link not in client.get(reverse("notifications:list")).content.decode()


def _logentry_by(user):
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(AccessLog),
        object_pk="1",
        object_repr="x",
        action=LogEntry.Action.CREATE,
        actor=user,
    )


def test_a_demo_account_with_entries_may_go_but_its_entries_stay():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    demo = UserFactory(is_demo=True)
    _logentry_by(demo)
    demo.delete()
    entry = LogEntry.objects.get()
    assert entry.actor_id is None
    assert entry.object_repr == "x"


def test_a_real_user_with_entries_cannot_be_deleted():
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    user = UserFactory()
    _logentry_by(user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        user.delete()
    assert LogEntry.objects.get().actor_id == user.pk


def test_random_text_in_the_filters_is_refused_at_its_field(client):
    """The filter form (a GET form, so ``tests/security/test_form_fuzz.py`` lists the page in
    NO_FORM) fuzzed: never 5xx, each refusal shown at its field."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.security.test_form_fuzz import VALUES

    client.force_login(UserFactory(is_organisation_admin=True))
    url = reverse("accounts:access_log")
    names = ["candidate", "user", "action", "result", "date_from", "date_to"]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(data=st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    def get(data):
        response = client.get(url, data)
        assert response.status_code == 200, data
        html = response.content.decode()
        for field in response.context["filter"].form.errors:
            assert field in names, field
            assert f'id="id_{field}_error"' in html, (field, data)

    get()
