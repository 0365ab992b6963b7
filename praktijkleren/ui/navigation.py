"""Per-role start pages and main navigation, as URL names.

A user's role is the kind of its organisation (``User.role``, an ``OrganisationKind``).
Everything here is a URL *name*; templates and views reverse it. Links are chosen by role,
so a page only reverses the names that belong to the visitor's role.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind


@dataclass(frozen=True)
class NavItem:
    """One main-menu link: a translated ``label`` and the ``url_name`` to reverse."""

    label: str
    url_name: str


_CONSULTANT_NAV = (
    NavItem(_("Kandidaten"), "candidates:candidate_list"),
    NavItem(_("Open leerbanen"), "leerbedrijven:leerbaan_list"),
    NavItem(_("Verzoeken"), "candidates:voordracht_request_list"),
    NavItem(_("Inschrijvingen"), "trajecten:enrolment_list"),
    NavItem(_("Opleidingsaanbod"), "opleidingen:aanbod_search"),
)
_NAV_BY_ROLE: dict[str, tuple[NavItem, ...]] = {
    **dict.fromkeys(CONSULTANT_KINDS, _CONSULTANT_NAV),
    OrganisationKind.WERKGEVER: (
        NavItem(_("Leerbanen"), "leerbedrijven:leerbaan_list"),
        NavItem(_("Voordrachten"), "candidates:voordracht_list"),
        NavItem(_("Verzoeken"), "candidates:voordracht_request_list"),
        NavItem(_("Inschrijvingen"), "trajecten:enrolment_list"),
        NavItem(_("Mijn leerbedrijf"), "leerbedrijven:leerbedrijf_list"),
        NavItem(_("Erkenningen"), "leerbedrijven:erkenning_list"),
    ),
    OrganisationKind.MBO_INSTELLING: (
        NavItem(_("Inschrijvingen"), "trajecten:enrolment_list"),
        NavItem(_("Opleidingsaanbod"), "opleidingen:aanbod_list"),
    ),
    OrganisationKind.BEHEER: (NavItem(_("Beheer"), "admin:index"),),
}
_STAFF_NAV = (NavItem(_("Beheer"), "admin:index"),)
# For an organisation administrator, last: the organisation's access log.
_ACCESS_LOG_NAV = NavItem(_("Toegangslogboek"), "accounts:access_log")


def nav_items_for(user) -> tuple[NavItem, ...]:
    """The main-menu links for ``user`` (empty for anonymous users and users without a role).

    Consultants (gemeente, UWV) get the candidate list, werkgevers the leerbanen, mbo-instellingen
    the enrolments and their own opleidingsaanbod, and beheer the admin. An organisation
    administrator also gets the organisation's access log (last). A staff user without an
    organisation gets the admin.
    """
    if not user.is_authenticated:
        return ()
    role = user.role
    if role is None:
        return _STAFF_NAV if user.is_staff else ()
    items = _NAV_BY_ROLE.get(role, ())
    if getattr(user, "is_organisation_admin", False) and user.organisation_id is not None:
        items = (*items, _ACCESS_LOG_NAV)
    return items


def start_url_name_for(user) -> str | None:
    """The URL name of ``user``'s start page: the first menu item of its role, or None."""
    items = nav_items_for(user)
    return items[0].url_name if items else None
