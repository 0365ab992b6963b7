"""Reads on enrolments."""

from django.db.models import QuerySet

from opleidingen.selectors import OfferingInstelling, instellingen_offering
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.selectors import PortalUser, organisation_of
from trajecten.models import Enrolment


def enrolments_visible_to(*, user: PortalUser) -> QuerySet[Enrolment]:
    """Enrolments ``user`` may see: an mbo-instelling those at its ``MboInstelling``
    (``MboInstelling.organisation``); a consultant those of its organisation's candidates
    (including requests without an instelling, its to-dos); a werkgever those for its
    leerbedrijven's leerbanen; anyone else none."""
    organisation = organisation_of(user)
    if organisation is None:
        return Enrolment.objects.none()
    if organisation.kind == OrganisationKind.MBO_INSTELLING:
        return Enrolment.objects.filter(instelling__organisation=organisation)
    if organisation.kind in CONSULTANT_KINDS:
        return Enrolment.objects.filter(candidate__organisation=organisation)
    if organisation.kind == OrganisationKind.WERKGEVER:
        return Enrolment.objects.filter(leerbaan__leerbedrijf__organisation=organisation)
    return Enrolment.objects.none()


def enrolment_offering(*, enrolment: Enrolment) -> list[OfferingInstelling]:
    """The instellingen that offer the enrolment's kwalificatie in BBL, nearest to the
    candidate's home first (``instellingen_offering``)."""
    home = enrolment.candidate.postcode
    return instellingen_offering(kwalificatie=enrolment.kwalificatie, lat=home.lat, lon=home.lon)
