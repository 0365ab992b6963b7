from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpleidingenConfig(AppConfig):
    """The kwalificatiestructuur (SBB) and the mbo-instellingen with what they offer."""

    name = "opleidingen"
    verbose_name = _("Opleidingen")
