from django.db import models
from django.utils.translation import gettext_lazy as _


class LeerbaanStatus(models.TextChoices):
    """The life of a leerbaan: concept → open → gesloten (or vervuld when every place is taken)."""

    CONCEPT = "concept", _("Concept")
    OPEN = "open", _("Open")
    VERVULD = "vervuld", _("Vervuld")
    GESLOTEN = "gesloten", _("Gesloten")


# BBL: at least 850 hours a year (WEB art. 7.2.7); a leerbaan asks 12–40 hours a week.
MIN_HOURS_PER_WEEK = 12
MAX_HOURS_PER_WEEK = 40
