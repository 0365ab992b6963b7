"""Reference geography loaded from CBS/PDOK data (``manage.py import_geo``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from praktijkleren.geo.constants import CoordinateSource


class Arbeidsmarktregio(models.Model):
    """One of the 35 arbeidsmarktregio's (CBS 2025), code like ``AM11``."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("arbeidsmarktregio")
        verbose_name_plural = _("arbeidsmarktregio's")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^AM[0-9]{2}$"), name="amr_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.naam


class Gemeente(models.Model):
    """A gemeente (CBS 2025), code like ``GM0344``, with its provincie and arbeidsmarktregio.

    ``lat``/``lon`` (WGS84 degrees) are the mean of its PC4 points, set by the importer.
    """

    code = models.CharField(_("CBS-code"), max_length=6, unique=True)
    naam = models.CharField(_("naam"), max_length=100)
    provincie_code = models.CharField(_("provinciecode"), max_length=4)
    provincie_naam = models.CharField(_("provincie"), max_length=50)
    arbeidsmarktregio = models.ForeignKey(
        Arbeidsmarktregio, on_delete=models.PROTECT, related_name="gemeenten"
    )
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="gemeente_code_format"
            )
        ]

    def __str__(self) -> str:
        return self.naam


class Postcode(models.Model):
    """A four-digit postcode area (PC4) with a point (WGS84 degrees) and its gemeente.

    A PC4 without its own point gets its gemeente's centroid; ``coordinate_source`` says which.
    """

    pc4 = models.CharField(_("postcode (4 cijfers)"), max_length=4, primary_key=True)
    woonplaats = models.CharField(_("woonplaats"), max_length=100, blank=True)
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, related_name="postcodes", null=True, blank=True
    )
    lat = models.FloatField(_("breedtegraad"))
    lon = models.FloatField(_("lengtegraad"))
    coordinate_source = models.CharField(
        _("bron van het punt"), max_length=20, choices=CoordinateSource.choices
    )

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["pc4"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pc4__regex=r"^[1-9][0-9]{3}$"), name="pc4_format"
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=50.5, lat__lte=53.8, lon__gte=3.2, lon__lte=7.3),
                name="pc4_point_in_netherlands",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pc4} {self.woonplaats}".strip()
