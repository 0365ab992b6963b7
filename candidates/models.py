"""Candidates, their matches to leerbanen and their enrolments at mbo-instellingen."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from candidates.constants import MAX_TRAVEL_DISTANCE_KM, EnrolmentStatus, MatchStatus
from leerbedrijven.constants import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK
from leerbedrijven.models import Leerbaan
from opleidingen.constants import Route
from opleidingen.models import Kwalificatie, Kwalificatiedossier, MboInstelling
from praktijkleren.accounts.models import Organisation
from praktijkleren.geo.models import Postcode


class Candidate(models.Model):
    """A werkende or werkzoekende registered by a gemeente or UWV consultant.

    Wishes: ``wished_kwalificaties`` and/or ``wished_dossiers`` (at least one of them),
    ``route``, ``max_travel_km`` (km between PC4 centroids), ``hours_per_week`` (hours a week)
    and ``earliest_start_date``. ``bsn`` is optional, valid by the 11-proef, and never shown to
    an employer (domain primer, 'Privacy').
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidates"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidates"
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    postcode = models.ForeignKey(Postcode, on_delete=models.PROTECT, related_name="candidates")
    wished_kwalificaties = models.ManyToManyField(
        Kwalificatie, blank=True, related_name="wished_by", verbose_name=_("gewenste kwalificaties")
    )
    wished_dossiers = models.ManyToManyField(
        Kwalificatiedossier,
        blank=True,
        related_name="wished_by",
        verbose_name=_("gewenste dossiers"),
    )
    route = models.CharField(_("gewenste route"), max_length=20, choices=Route.choices)
    max_travel_km = models.PositiveSmallIntegerField(_("maximale reisafstand (km)"), default=25)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), default=32)
    earliest_start_date = models.DateField(_("vroegste startdatum"))
    work_experience = models.TextField(_("werkervaring"), blank=True)
    earlier_education = models.TextField(_("eerdere opleiding"), blank=True)
    consent_given_at = models.DateTimeField(_("toestemming gegeven op"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bsn="") | models.Q(bsn__regex=r"^[0-9]{9}$"),
                name="candidate_bsn_format",
            ),
            models.CheckConstraint(
                condition=models.Q(max_travel_km__gte=1, max_travel_km__lte=MAX_TRAVEL_DISTANCE_KM),
                name="candidate_travel_range",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    hours_per_week__gte=MIN_HOURS_PER_WEEK, hours_per_week__lte=MAX_HOURS_PER_WEEK
                ),
                name="candidate_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:candidate_detail", kwargs={"pk": self.pk})


class Match(models.Model):
    """A candidate × leerbaan pair that a consultant acts on, with the score and reasons
    (list of Dutch sentences) computed when it was made. One per candidate and leerbaan."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches")
    leerbaan = models.ForeignKey(Leerbaan, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("redenen"), default=list)
    status = models.CharField(
        _("status"), max_length=15, choices=MatchStatus.choices, default=MatchStatus.VOORGESTELD
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "leerbaan"], name="match_unique_pair"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="match_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} × {self.leerbaan}"


class Enrolment(models.Model):
    """An inschrijving of a candidate at an mbo-instelling for a kwalificatie on one route,
    usually following a placement at ``leerbaan``."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="enrolments")
    leerbaan = models.ForeignKey(
        Leerbaan, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    instelling = models.ForeignKey(
        MboInstelling, on_delete=models.PROTECT, related_name="enrolments"
    )
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.PROTECT, related_name="enrolments"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.AANGEVRAAGD,
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "instelling", "kwalificatie", "route"], name="enrolment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} – {self.instelling.brin} {self.kwalificatie.crebo}"
