"""Role predicates (django-rules), shared by the apps' permission rules."""

import rules

from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind


@rules.predicate
def is_consultant(user) -> bool:
    """A gemeente or UWV user."""
    return (
        bool(getattr(user, "organisation_id", None)) and user.organisation.kind in CONSULTANT_KINDS
    )


@rules.predicate
def is_werkgever(user) -> bool:
    """A user of a werkgever (leerbedrijf) organisation."""
    return (
        bool(getattr(user, "organisation_id", None))
        and user.organisation.kind == OrganisationKind.WERKGEVER
    )


@rules.predicate
def is_school(user) -> bool:
    """A user of an mbo-instelling."""
    return (
        bool(getattr(user, "organisation_id", None))
        and user.organisation.kind == OrganisationKind.MBO_INSTELLING
    )


@rules.predicate
def is_beheer(user) -> bool:
    """A user of the beheer organisation (functional administration)."""
    return (
        bool(getattr(user, "organisation_id", None))
        and user.organisation.kind == OrganisationKind.BEHEER
    )
