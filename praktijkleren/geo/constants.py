from django.db import models
from django.utils.translation import gettext_lazy as _


class CoordinateSource(models.TextChoices):
    """Where a PC4's point comes from (see shared/data/SOURCES.md §1)."""

    PC4 = "pc4", _("Punt van de postcode (4pp 2014)")
    GEMEENTE_CENTROID = "gemeente_centroid", _("Midden van de gemeente (geschat)")
