"""Erkende leerbedrijven (SBB), their vestigingen, erkenningen and leerbanen."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from leerbedrijven.constants import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK, LeerbaanStatus
from opleidingen.constants import Leerweg, Route
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.accounts.models import Organisation
from praktijkleren.geo.models import Postcode


class Leerbedrijf(models.Model):
    """A company that SBB recognises as leerbedrijf, identified by its 8-digit KvK-nummer.

    ``organisation`` is the werkgever organisation whose users manage it.
    ``sbb_leerbedrijf_id`` is SBB's own id (9 digits) where known.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="leerbedrijven"
    )
    naam = models.CharField(_("naam"), max_length=200)
    kvk_nummer = models.CharField(_("KvK-nummer"), max_length=8, unique=True)
    sbb_leerbedrijf_id = models.CharField(_("SBB leerbedrijf-id"), max_length=9, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("leerbedrijf")
        verbose_name_plural = _("leerbedrijven")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kvk_nummer__regex=r"^[0-9]{8}$"), name="leerbedrijf_kvk_format"
            ),
        ]

    def __str__(self) -> str:
        return self.naam


class Vestiging(models.Model):
    """A branch of a leerbedrijf: 12-digit vestigingsnummer and its address's postcode (PC4)."""

    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, related_name="vestigingen"
    )
    vestigingsnummer = models.CharField(_("vestigingsnummer"), max_length=12, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    straat = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.ForeignKey(Postcode, on_delete=models.PROTECT, related_name="vestigingen")

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["leerbedrijf", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vestigingsnummer__regex=r"^[0-9]{12}$"),
                name="vestiging_nummer_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.postcode_id})"


class Erkenning(models.Model):
    """SBB's recognition of a leerbedrijf for one kwalificatie and leerweg, valid between dates.

    ``geldig_tot`` empty means open-ended. Source: domain primer, 'Erkende leerbedrijven'.
    """

    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, related_name="erkenningen"
    )
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.PROTECT, related_name="erkenningen"
    )
    leerweg = models.CharField(_("leerweg"), max_length=3, choices=Leerweg.choices)
    geldig_van = models.DateField(_("geldig van"))
    geldig_tot = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("erkenning")
        verbose_name_plural = _("erkenningen")
        ordering = ["leerbedrijf", "kwalificatie"]
        constraints = [
            models.UniqueConstraint(
                fields=["leerbedrijf", "kwalificatie", "leerweg", "geldig_van"],
                name="erkenning_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(geldig_tot__isnull=True)
                | models.Q(geldig_tot__gte=models.F("geldig_van")),
                name="erkenning_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leerbedrijf} – {self.kwalificatie.crebo} {self.leerweg}"


class Leerbaan(models.Model):
    """A BBL position at a vestiging of a leerbedrijf, for one kwalificatie.

    ``hours_per_week`` is hours a week (12–40); ``places`` the number of candidates it takes;
    ``closing_date`` the last day to apply, on or before ``start_date``. The routes it supports
    are the three ``supports_*`` flags (at least one); ``werkprocessen`` are those it can teach.
    """

    leerbedrijf = models.ForeignKey(Leerbedrijf, on_delete=models.CASCADE, related_name="leerbanen")
    vestiging = models.ForeignKey(Vestiging, on_delete=models.RESTRICT, related_name="leerbanen")
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.PROTECT, related_name="leerbanen"
    )
    titel = models.CharField(_("titel"), max_length=200)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    supports_praktijkverklaring = models.BooleanField(
        _("praktijkverklaring mogelijk"), default=True
    )
    supports_certificaat = models.BooleanField(_("mbo-certificaat mogelijk"), default=False)
    supports_diploma = models.BooleanField(_("mbo-diploma mogelijk"), default=True)
    werkprocessen = models.ManyToManyField(Werkproces, blank=True, related_name="leerbanen")
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    places = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1)
    start_date = models.DateField(_("startdatum"))
    closing_date = models.DateField(_("sluitingsdatum"))
    status = models.CharField(
        _("status"), max_length=10, choices=LeerbaanStatus.choices, default=LeerbaanStatus.CONCEPT
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("leerbaan")
        verbose_name_plural = _("leerbanen")
        ordering = ["start_date", "titel"]
        indexes = [models.Index(fields=["status", "kwalificatie"], name="leerbaan_status_kwal_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    hours_per_week__gte=MIN_HOURS_PER_WEEK, hours_per_week__lte=MAX_HOURS_PER_WEEK
                ),
                name="leerbaan_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1), name="leerbaan_places_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(closing_date__lte=models.F("start_date")),
                name="leerbaan_closes_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(supports_praktijkverklaring=True)
                | models.Q(supports_certificaat=True)
                | models.Q(supports_diploma=True),
                name="leerbaan_has_a_route",
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    def get_absolute_url(self) -> str:
        return reverse("candidates:leerbaan_detail", kwargs={"pk": self.pk})

    def routes(self) -> list[str]:
        """The routes (``opleidingen.constants.Route`` values) this leerbaan supports."""
        flags = (
            (Route.PRAKTIJKVERKLARING, self.supports_praktijkverklaring),
            (Route.CERTIFICAAT, self.supports_certificaat),
            (Route.DIPLOMA, self.supports_diploma),
        )
        return [route for route, on in flags if on]
