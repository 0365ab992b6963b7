import factory

from praktijkleren.accounts.constants import OrganisationKind
from praktijkleren.accounts.models import Organisation, User
from tests.geo.factories import GemeenteFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A gemeente organisation by default; traits ``uwv``, ``werkgever``, ``school``, ``beheer``."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.GEMEENTE
    gemeente = factory.SubFactory(GemeenteFactory)
    email = factory.Sequence(lambda n: f"team{n}@organisatie.example")

    class Params:
        uwv = factory.Trait(kind=OrganisationKind.UWV, gemeente=None)
        werkgever = factory.Trait(kind=OrganisationKind.WERKGEVER, gemeente=None)
        school = factory.Trait(kind=OrganisationKind.MBO_INSTELLING, gemeente=None)
        beheer = factory.Trait(kind=OrganisationKind.BEHEER, gemeente=None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.Sequence(lambda n: f"gebruiker{n}@organisatie.example")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("geheim-wachtwoord-123")
