from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeerbaanStatus(models.TextChoices):
    """The life of a leerbaan (the backbone issue): concept → gepubliceerd → vervuld (every place
    taken), gesloten (by the werkgever) or verlopen (the closing date passed)."""

    CONCEPT = "concept", _("Concept")
    GEPUBLICEERD = "gepubliceerd", _("Gepubliceerd")
    VERVULD = "vervuld", _("Vervuld")
    GESLOTEN = "gesloten", _("Gesloten")
    VERLOPEN = "verlopen", _("Verlopen")


# A leerbaan's closing date is a Dutch calendar date: it closes at the end of that day in
# Europe/Amsterdam (midnight local time, whatever the server's or the user's time zone).
CLOSING_TIME_ZONE = ZoneInfo("Europe/Amsterdam")

# BBL: at least 850 hours a year (WEB art. 7.2.7); a leerbaan asks 12–40 hours a week.
MIN_HOURS_PER_WEEK = 12
MAX_HOURS_PER_WEEK = 40

# The most places one leerbaan offers (the form and the upload; the column is a small integer).
MAX_PLACES = 999
# A leerbaan's description (omschrijving) is at most this many characters.
OMSCHRIJVING_MAX_CHARS = 4000
