"""The kwalificatiestructuur and the mbo-instellingen (reference data from SBB, CEDA and DUO)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from opleidingen.constants import KerntaakDeel, Leerweg, Niveau, WerkprocesBron
from praktijkleren.accounts.models import Organisation


class Kwalificatiedossier(models.Model):
    """One occupational field (e.g. "Pedagogisch werk"), identified by its dossier crebo (23xxx)."""

    code = models.CharField(_("dossiercrebo"), max_length=5, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    sectorkamer_code = models.CharField(_("sectorkamercode"), max_length=2, blank=True)
    sectorkamer_naam = models.CharField(_("sectorkamer"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kwalificatiedossier")
        verbose_name_plural = _("kwalificatiedossiers")
        ordering = ["naam"]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class Kwalificatie(models.Model):
    """A kwalificatie (or, for historic rows, an older opleiding code) with its 5-digit crebo.

    ``is_current`` is true for crebo 25000–27999: only those may be offered for new leerbanen.
    ``niveau`` is 1–4 or empty for rows without one (dossier-type and domain codes).
    """

    crebo = models.CharField(_("crebo"), max_length=5, unique=True)
    naam = models.CharField(_("naam"), max_length=250)
    niveau = models.PositiveSmallIntegerField(
        _("niveau"), choices=Niveau.choices, null=True, blank=True
    )
    niveau_naam = models.CharField(_("soort opleiding"), max_length=40, blank=True)
    bbl = models.BooleanField(_("BBL"), default=False)
    bol = models.BooleanField(_("BOL"), default=False)
    dossier = models.ForeignKey(
        Kwalificatiedossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kwalificaties",
    )
    sectorkamer_code = models.CharField(_("sectorkamercode"), max_length=2, blank=True)
    sectorkamer_naam = models.CharField(_("sectorkamer"), max_length=100, blank=True)
    is_current = models.BooleanField(_("actueel"), default=False, db_index=True)

    class Meta:
        verbose_name = _("kwalificatie")
        verbose_name_plural = _("kwalificaties")
        ordering = ["naam", "crebo"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(crebo__regex=r"^[0-9]{5}$"), name="kwalificatie_crebo_format"
            ),
            models.CheckConstraint(
                condition=models.Q(niveau__isnull=True) | models.Q(niveau__gte=1, niveau__lte=4),
                name="kwalificatie_niveau_1_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crebo} {self.naam}"

    def choice_label(self) -> str:
        """How a choice list names it: ``"Verzorgende-IG, niveau 3 (25491)"`` (names repeat
        across niveaus and cohorts)."""
        return _("%(naam)s, niveau %(niveau)s (%(crebo)s)") % {
            "naam": self.naam,
            "niveau": self.niveau or "–",
            "crebo": self.crebo,
        }

    def leerwegen(self) -> list[str]:
        """The leerwegen this kwalificatie can be followed in, e.g. ``["BBL", "BOL"]``."""
        return [lw for lw, on in ((Leerweg.BBL, self.bbl), (Leerweg.BOL, self.bol)) if on]


class Kerntaak(models.Model):
    """A kerntaak of a dossier, coded like ``B1-K1`` (basisdeel) or ``P2-K1`` (profieldeel).

    A profiel kerntaak belongs to the kwalificatie (profiel) it is part of; a basis kerntaak
    to every kwalificatie of its dossier. ``code`` is empty where the source gives none (the
    beroepen-app file has SBB's titles without codes, shared/data/SOURCES.md §3); ``position``
    (1, 2, ...) then keeps the source's order. ``bron`` names the source.
    """

    dossier = models.ForeignKey(
        Kwalificatiedossier, on_delete=models.CASCADE, related_name="kerntaken"
    )
    kwalificatie = models.ForeignKey(
        Kwalificatie,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="profielkerntaken",
    )
    deel = models.CharField(_("deel"), max_length=10, choices=KerntaakDeel.choices)
    code = models.CharField(_("code"), max_length=10, blank=True)
    titel = models.CharField(_("titel"), max_length=300)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    bron = models.CharField(
        _("bron"), max_length=20, choices=WerkprocesBron.choices, default=WerkprocesBron.SBB_XML
    )

    class Meta:
        verbose_name = _("kerntaak")
        verbose_name_plural = _("kerntaken")
        ordering = ["dossier", "code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "code"],
                condition=~models.Q(code=""),
                name="kerntaak_unique_code_per_dossier",
            ),
            models.CheckConstraint(
                condition=models.Q(code="") | models.Q(code__regex=r"^[BP][0-9]+-K[0-9]+$"),
                name="kerntaak_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(deel=KerntaakDeel.BASIS, kwalificatie__isnull=True)
                | models.Q(deel=KerntaakDeel.PROFIEL),
                name="kerntaak_basis_has_no_kwalificatie",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}" if self.code else self.titel


class Werkproces(models.Model):
    """A werkproces within a kerntaak, coded like ``B1-K1-W3``: the grain of praktijkleren.

    ``code`` is empty where the source gives none (beroepen-app titles); ``position`` keeps the
    source's order within the kerntaak."""

    kerntaak = models.ForeignKey(Kerntaak, on_delete=models.CASCADE, related_name="werkprocessen")
    code = models.CharField(_("code"), max_length=14, blank=True)
    titel = models.CharField(_("titel"), max_length=300)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    resultaat = models.TextField(_("resultaat"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("werkproces")
        verbose_name_plural = _("werkprocessen")
        ordering = ["kerntaak", "code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["kerntaak", "code"],
                condition=~models.Q(code=""),
                name="werkproces_unique_code_per_kerntaak",
            ),
            models.CheckConstraint(
                condition=models.Q(code="") | models.Q(code__regex=r"^[BP][0-9]+-K[0-9]+-W[0-9]+$"),
                name="werkproces_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.titel}" if self.code else self.titel


class Certificaat(models.Model):
    """An mbo-certificaat: a part of one or more kwalificaties to which the minister attached a
    certificate (WEB art. 7.2.3; domain primer, 'Documents and contracts'). Its parts are
    ``werkprocessen`` or ``kerntaken`` of those ``kwalificaties``, or a keuzedeel
    (``keuzedeel_code``, ``K0123``). Reference data, imported by ``import_certificaten``;
    ``is_demo`` marks a certificate that no official list backs. ``bron`` names the source
    (e.g. the regulation), ``vastgesteld_op`` the date it was established, where known."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    naam = models.CharField(_("naam"), max_length=250)
    kwalificaties = models.ManyToManyField(
        Kwalificatie, related_name="certificaten", verbose_name=_("kwalificaties")
    )
    kerntaken = models.ManyToManyField(
        Kerntaak, blank=True, related_name="certificaten", verbose_name=_("kerntaken")
    )
    werkprocessen = models.ManyToManyField(
        Werkproces, blank=True, related_name="certificaten", verbose_name=_("werkprocessen")
    )
    keuzedeel_code = models.CharField(_("keuzedeel"), max_length=5, blank=True)
    bron = models.CharField(_("bron"), max_length=250, blank=True)
    vastgesteld_op = models.DateField(_("vastgesteld op"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("mbo-certificaat")
        verbose_name_plural = _("mbo-certificaten")
        ordering = ["naam", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(keuzedeel_code="")
                | models.Q(keuzedeel_code__regex=r"^K[0-9]{4}$"),
                name="certificaat_keuzedeel_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.code})"


class MboInstelling(models.Model):
    """An mbo-instelling identified by its 4-character BRIN code (e.g. ``25LJ``)."""

    brin = models.CharField(_("BRIN"), max_length=4, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="mbo_instelling"
    )

    class Meta:
        verbose_name = _("mbo-instelling")
        verbose_name_plural = _("mbo-instellingen")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(brin__regex=r"^[0-9]{2}[A-Z0-9]{2}$"), name="brin_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.brin})"


class Opleidingsaanbod(models.Model):
    """That an mbo-instelling offers a kwalificatie in a leerweg, at some of its ``locaties``
    (``MboLocatie`` rows of the same instelling; ``check_locaties`` enforces that), with its
    ``startmomenten``. ``is_demo`` marks offer generated by the demo (no public list says which
    location offers which crebo), as opposed to offer imported or kept by the school or beheer."""

    instelling = models.ForeignKey(MboInstelling, on_delete=models.CASCADE, related_name="aanbod")
    kwalificatie = models.ForeignKey(Kwalificatie, on_delete=models.PROTECT, related_name="aanbod")
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)
    locaties = models.ManyToManyField(
        "MboLocatie", verbose_name=_("locaties"), related_name="aanbod", blank=True
    )
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("opleidingsaanbod")
        verbose_name_plural = _("opleidingsaanbod")
        constraints = [
            models.UniqueConstraint(
                fields=["instelling", "kwalificatie", "leerweg"], name="aanbod_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instelling.brin} {self.kwalificatie.crebo} {self.leerweg}"

    def check_locaties(self, locaties: Iterable["MboLocatie"]) -> None:
        """Raise ``ValidationError`` (on ``locaties``) when one of ``locaties`` belongs to
        another instelling than this aanbod's."""
        foreign = [loc for loc in locaties if loc.instelling_id != self.instelling_id]
        if foreign:
            raise ValidationError(
                {
                    "locaties": _("Deze locaties horen niet bij de instelling: %(codes)s")
                    % {"codes": ", ".join(sorted(loc.brinvest for loc in foreign))}
                }
            )


class StartMoment(models.Model):
    """A date on which an opleidingsaanbod starts (``start_date``) and how many students can
    start then (``capacity``, at least 1). One per aanbod and date. ``places_taken`` counts the
    enrolments accepted on it; ``trajecten`` keeps it through ``opleidingen.services``, as
    ``candidates`` keeps the leerbaan's, so it never exceeds ``capacity``."""

    aanbod = models.ForeignKey(
        Opleidingsaanbod,
        on_delete=models.CASCADE,
        related_name="startmomenten",
        verbose_name=_("opleidingsaanbod"),
    )
    start_date = models.DateField(_("startdatum"))
    capacity = models.PositiveSmallIntegerField(
        _("aantal plaatsen"), validators=[MinValueValidator(1)]
    )
    places_taken = models.PositiveSmallIntegerField(_("bezette plaatsen"), default=0)

    class Meta:
        verbose_name = _("startmoment")
        verbose_name_plural = _("startmomenten")
        ordering = ["aanbod", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["aanbod", "start_date"], name="startmoment_unique_date_per_aanbod"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="startmoment_capacity_at_least_1"
            ),
            models.CheckConstraint(
                condition=models.Q(places_taken__lte=models.F("capacity")),
                name="startmoment_taken_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.aanbod}: {self.start_date:%Y-%m-%d} ({self.capacity})"

    @property
    def places_left(self) -> int:
        """How many places are still free (``capacity`` − ``places_taken``, at least 0)."""
        return max(0, self.capacity - self.places_taken)


class MboLocatie(models.Model):
    """A location of an mbo-instelling (KiesMBO 2025, shared/data/SOURCES.md §7): its 6-character
    ``brinvest`` (the BRIN plus two digits), name, street and house number, postcode
    (``1234 AB``) and place, and its point (``lat``/``lon``, WGS84 degrees). ``is_hoofdlocatie``
    marks the instelling's main location as KiesMBO lists it."""

    instelling = models.ForeignKey(MboInstelling, on_delete=models.CASCADE, related_name="locaties")
    brinvest = models.CharField(_("BRIN-vestigingscode"), max_length=6, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    straat = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    plaats = models.CharField(_("plaats"), max_length=100)
    lat = models.FloatField(_("breedtegraad"))
    lon = models.FloatField(_("lengtegraad"))
    is_hoofdlocatie = models.BooleanField(_("hoofdlocatie"), default=False)

    class Meta:
        verbose_name = _("locatie van een mbo-instelling")
        verbose_name_plural = _("locaties van mbo-instellingen")
        ordering = ["instelling", "brinvest"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(brinvest__regex=r"^[0-9]{2}[A-Z0-9]{2}[0-9]{2}$"),
                name="locatie_brinvest_format",
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180, lon__lte=180),
                name="locatie_point_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instelling.naam}, {self.naam} ({self.plaats})"
