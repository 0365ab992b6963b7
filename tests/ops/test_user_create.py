"""``manage.py user_create`` (praktijkleren/accounts/management/commands/user_create.py)."""

import pytest
from django.core.management import CommandError, call_command

from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.models import Organisation, User
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


def test_the_first_beheer_account_of_an_empty_installation_creates_its_organisation(monkeypatch):
    monkeypatch.setenv("USER_CREATE_PASSWORD", PASSWORD)
    args = ["--organisation", "Functioneel beheer", "--email", "beheer@example.nl", "--beheer"]

    call_command("user_create", "beheerder", *args)
    call_command("user_create", "tweede", *args[:3], "b2@example.nl", "--beheer")

    first, second = User.objects.get(username="beheerder"), User.objects.get(username="tweede")
    assert first.organisation == second.organisation
    assert first.organisation.kind == OrganisationKind.BEHEER
    assert (first.is_staff, first.is_superuser, first.is_demo) == (True, True, False)
    assert Organisation.objects.filter(name="Functioneel beheer").count() == 1


def test_beheer_refuses_another_kind_of_organisation_and_a_weak_password(monkeypatch):
    OrganisationFactory(name="Gemeente Proefstad")
    monkeypatch.setenv("USER_CREATE_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match="--beheer needs a beheer one"):
        call_command(
            "user_create",
            "x",
            "--organisation",
            "Gemeente Proefstad",
            "--email",
            "x@x.nl",
            "--beheer",
        )

    monkeypatch.setenv("USER_CREATE_PASSWORD", "kort")
    with pytest.raises(CommandError, match="too short"):
        call_command(
            "user_create", "x", "--organisation", "Nieuw beheer", "--email", "x@x.nl", "--beheer"
        )
    assert not Organisation.objects.filter(name="Nieuw beheer").exists()
    assert not User.objects.filter(username="x").exists()
