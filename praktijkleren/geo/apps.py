from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    """Reference geography: arbeidsmarktregio's, gemeenten and PC4 postcodes."""

    name = "praktijkleren.geo"
    label = "geo"
    verbose_name = _("Geografie")
