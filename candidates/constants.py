from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchStatus(models.TextChoices):
    """A match's way from proposal to placement (domain primer, 'the main flow', steps 2–4)."""

    VOORGESTELD = "voorgesteld", _("Voorgesteld door het portaal")
    VOORGEDRAGEN = "voorgedragen", _("Voorgedragen aan de werkgever")
    UITGENODIGD = "uitgenodigd", _("Uitgenodigd door de werkgever")
    GEPLAATST = "geplaatst", _("Geplaatst")
    AFGEWEZEN = "afgewezen", _("Afgewezen door de werkgever")
    INGETROKKEN = "ingetrokken", _("Ingetrokken")


class EnrolmentStatus(models.TextChoices):
    """An enrolment at an mbo-instelling (steps 5–7 of the main flow)."""

    AANGEVRAAGD = "aangevraagd", _("Aangevraagd")
    GEACCEPTEERD = "geaccepteerd", _("Geaccepteerd")
    AFGEWEZEN = "afgewezen", _("Afgewezen")
    AFGEROND = "afgerond", _("Afgerond")
    UITGEVALLEN = "uitgevallen", _("Uitgevallen")


# The travel distance a candidate may state, in km.
MAX_TRAVEL_DISTANCE_KM = 150
