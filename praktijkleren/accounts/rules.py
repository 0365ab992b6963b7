"""Role predicates (django-rules), shared by the apps' permission rules.

A user's role is the kind of the organisation it acts for (``organisation_kind_of``).
"""

import rules

from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.selectors import organisation_kind_of


@rules.predicate
def is_consultant(user) -> bool:
    """A gemeente or UWV user."""
    return organisation_kind_of(user) in CONSULTANT_KINDS


@rules.predicate
def is_werkgever(user) -> bool:
    """A user of a werkgever (leerbedrijf) organisation."""
    return organisation_kind_of(user) == OrganisationKind.WERKGEVER


@rules.predicate
def is_school(user) -> bool:
    """A user of an mbo-instelling."""
    return organisation_kind_of(user) == OrganisationKind.MBO_INSTELLING


@rules.predicate
def is_beheer(user) -> bool:
    """A user of the beheer organisation (functional administration)."""
    return organisation_kind_of(user) == OrganisationKind.BEHEER
