from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinateSource(models.TextChoices):
    """Where a PC4's point comes from (see shared/data/SOURCES.md §1)."""

    PC4 = "pc4", _("Punt van de postcode (4pp 2014)")
    GEMEENTE_CENTROID = "gemeente_centroid", _("Midden van de gemeente (geschat)")


# A WGS84 box (degrees) around the Netherlands, incl. the Wadden islands and Zuid-Limburg; the
# Postcode model's check constraint uses the same numbers.
NL_LAT_MIN, NL_LAT_MAX = 50.5, 53.8
NL_LON_MIN, NL_LON_MAX = 3.2, 7.3
