"""Users for the leerbedrijf tests: a gemeente consultant and a werkgever (as in the workflow
tests), and a werkgever of another organisation."""

import pytest

from tests.accounts.factories import OrganisationFactory, UserFactory


@pytest.fixture
def consultant():
    return UserFactory()


@pytest.fixture
def werkgever():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))


@pytest.fixture
def werkgever_b():
    return UserFactory(organisation=OrganisationFactory(werkgever=True))
