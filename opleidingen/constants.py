from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    """The three routes of praktijkleren (domain primer, 'The three routes')."""

    PRAKTIJKVERKLARING = "praktijkverklaring", _("Praktijkverklaring")
    CERTIFICAAT = "certificaat", _("mbo-certificaat")
    DIPLOMA = "diploma", _("mbo-diploma")


class Leerweg(models.TextChoices):
    """Leerweg: BBL (working at a leerbedrijf, ~1 day at school) or BOL (mostly school)."""

    BBL = "BBL", _("BBL (beroepsbegeleidende leerweg)")
    BOL = "BOL", _("BOL (beroepsopleidende leerweg)")


class Niveau(models.IntegerChoices):
    """mbo-niveau 1–4 (domain primer, 'The qualification structure')."""

    ENTREE = 1, _("1 – Entree")
    BASISBEROEPS = 2, _("2 – Basisberoepsopleiding")
    VAKOPLEIDING = 3, _("3 – Vakopleiding")
    MIDDENKADER = 4, _("4 – Middenkader- of specialistenopleiding")


class KerntaakDeel(models.TextChoices):
    """Where a kerntaak sits in its dossier: the shared basisdeel or one profiel."""

    BASIS = "basis", _("Basisdeel")
    PROFIEL = "profiel", _("Profieldeel")


class WerkprocesBron(models.TextChoices):
    """Where a kerntaak and its werkprocessen come from (shared/data/SOURCES.md §3)."""

    SBB_XML = "sbb_xml", _("SBB-kwalificatiedossier (XML), met codes")
    BEROEPEN_APP = "beroepen_app", _("Beroepen-app (titels van SBB, zonder codes)")


# Crebo codes 25000–27999 are the current kwalificatiestructuur (2016 onwards); older codes are
# historic and are not offered for new leerbanen (shared/data/SOURCES.md §3).
CURRENT_CREBO_MIN = 25000
CURRENT_CREBO_MAX = 27999
