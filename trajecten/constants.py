from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    """An enrolment (inschrijving) at an mbo-instelling (domain primer, 'the main flow', steps
    5–7; the backbone issue): aangevraagd → geaccepteerd → gestart → afgerond, or afgewezen /
    gestopt with a reason."""

    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    GESTART = "gestart", _("Gestart")
    AFGEROND = "afgerond", _("Afgerond")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    GESTOPT = "gestopt", _("Gestopt")


# The enrolments that still run: a candidate has at most one of them (database constraint).
LIVE_ENROLMENT_STATUSES = (
    EnrolmentStatus.AANGEVRAAGD,
    EnrolmentStatus.GEACCEPTEERD,
    EnrolmentStatus.GESTART,
)


class EnrolmentDeclineReason(models.TextChoices):
    """Why an mbo-instelling declined an enrolment request."""

    VOL = "vol", _("Geen plaats op de gewenste startdatum")
    TOELATING = "toelating", _("De kandidaat voldoet niet aan de toelatingseisen")
    GEEN_AANBOD = "geen_aanbod", _("Wij bieden deze opleiding niet (meer) in BBL aan")
    ANDERE_LOCATIE = "andere_locatie", _("Een andere instelling ligt meer voor de hand")
    OVERIG = "overig", _("Andere reden (zie toelichting)")
    NIET_VASTGELEGD = "niet_vastgelegd", _("Niet vastgelegd (van vóór de workflow)")
