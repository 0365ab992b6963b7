from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    """The kinds of organisation that use the portal; a user's role follows from it."""

    GEMEENTE = "gemeente", _("Gemeente")
    UWV = "uwv", _("UWV")
    WERKGEVER = "werkgever", _("Werkgever")
    MBO_INSTELLING = "mbo_instelling", _("mbo-instelling")
    BEHEER = "beheer", _("Beheer")


CONSULTANT_KINDS = (OrganisationKind.GEMEENTE, OrganisationKind.UWV)
