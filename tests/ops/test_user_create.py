"""``manage.py user_create`` (praktijkleren/accounts/management/commands/user_create.py)."""

import pytest
from django.core.management import CommandError, call_command

from praktijkleren.accounts.models import User
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "een-lang-en-sterk-wachtwoord-42"


def test_creates_a_real_user_in_the_organisation(monkeypatch):
    organisation = OrganisationFactory(name="Gemeente Proefstad")
    monkeypatch.setenv("USER_CREATE_PASSWORD", PASSWORD)

    call_command(
        "user_create",
        "c.jansen",
        "--organisation",
        "Gemeente Proefstad",
        "--email",
        "c.jansen@example.nl",
        "--admin",
    )

    user = User.objects.get(username="c.jansen")
    assert (user.organisation, user.email, user.is_organisation_admin, user.is_demo) == (
        organisation,
        "c.jansen@example.nl",
        True,
        False,
    )
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [("", "USER_CREATE_PASSWORD"), ("kort", "too short")],
)
def test_refuses_a_missing_or_weak_password(monkeypatch, password, message):
    OrganisationFactory(name="Gemeente Proefstad")
    monkeypatch.setenv("USER_CREATE_PASSWORD", password)

    with pytest.raises(CommandError, match=message):
        call_command(
            "user_create", "c.jansen", "--organisation", "Gemeente Proefstad", "--email", "c@x.nl"
        )
    assert not User.objects.filter(username="c.jansen").exists()


def test_refuses_an_unknown_organisation_and_a_taken_name(monkeypatch):
    monkeypatch.setenv("USER_CREATE_PASSWORD", PASSWORD)
    existing = UserFactory()

    with pytest.raises(CommandError, match="No organisations are named 'Nergens'"):
        call_command("user_create", "x", "--organisation", "Nergens", "--email", "x@x.nl")
    with pytest.raises(CommandError, match="is taken"):
        call_command(
            "user_create",
            existing.username,
            "--organisation",
            existing.organisation.name,
            "--email",
            "x@x.nl",
        )
