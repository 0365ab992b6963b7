"""Shared fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _no_real_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(scope="session", autouse=True)
def _audit_maintenance_for_flush():
    """Django's ``flush`` (between transactional tests) truncates every table, the append-only
    audit tables too: their trigger lets only a superuser session with
    ``praktijkleren.audit_maintenance = 'on'`` do that (``accounts`` migration 0004). The test
    role is a superuser; this sets the flag for the flush's own transaction only (``SET
    LOCAL``), so every other statement of the tests meets the trigger as the application
    does."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return original(self, ["SET LOCAL praktijkleren.audit_maintenance = 'on'", *sql_list])

    patch = pytest.MonkeyPatch()
    patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
    yield
    patch.undo()
