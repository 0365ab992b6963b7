"""Organisations and users. Every view scopes its data to ``request.user.organisation``."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente


class Organisation(models.Model):
    """A party in the portal: a gemeente, an UWV office, a werkgever, an mbo-instelling or beheer.

    A gemeente organisation points at its CBS ``gemeente``; an UWV office at the
    ``arbeidsmarktregio`` it serves. ``email`` receives the portal's notifications.
    """

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=OrganisationKind.choices)
    gemeente = models.ForeignKey(
        Gemeente, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    arbeidsmarktregio = models.ForeignKey(
        Arbeidsmarktregio,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    email = models.EmailField(_("e-mailadres voor meldingen"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"], name="organisation_unique_name_per_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.GEMEENTE)
                | models.Q(gemeente__isnull=False),
                name="organisation_gemeente_has_gemeente",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_consultant_organisation(self) -> bool:
        """True for a gemeente or an UWV office: they register and follow candidates."""
        return self.kind in CONSULTANT_KINDS


class User(AbstractUser):
    """A person who logs in, always on behalf of one organisation (none only for superusers)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_demo = models.BooleanField(_("demo-account"), default=False)
    is_organisation_admin = models.BooleanField(
        _("beheerder van de organisatie"),
        default=False,
        help_text=_("Stelt de webhook van de organisatie in en ziet haar logboek van meldingen."),
    )

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    @property
    def role(self) -> str | None:
        """The user's role: the kind of its organisation (``OrganisationKind``), or None."""
        return self.organisation.kind if self.organisation is not None else None


class AccessLog(models.Model):
    """One access to a candidate's personal data: who (user and organisation, kept as a
    snapshot so the entry outlives both), what (``action``, the URL name ``view``, the
    candidate's pk), the ``result`` and where from (``origin``: the client's IP address), when.

    Append-only: PostgreSQL refuses UPDATE, DELETE and TRUNCATE on this table (migration
    ``0004_audit_append_only``). Changes and deletions of candidates are django-auditlog's
    ``LogEntry`` (same protection); reads are here. The candidate is an id, not a foreign key:
    the log must not hold the candidate's name, and deleting a candidate must not touch it.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        LIST = "list", _("in een lijst getoond")
        SEARCH = "search", _("in zoekresultaten getoond")
        EXPORT = "export", _("geëxporteerd")
        DELETE = "delete", _("gewist op verzoek")
        ADMIN = "admin", _("bekeken in het beheer")

    class Result(models.TextChoices):
        SHOWN = "shown", _("getoond")
        REFUSED = "refused", _("geweigerd")

    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    view = models.CharField(_("pagina"), max_length=100)
    candidate_id = models.PositiveBigIntegerField(_("kandidaat"), db_index=True)
    result = models.CharField(
        _("resultaat"), max_length=10, choices=Result.choices, default=Result.SHOWN
    )
    origin = models.GenericIPAddressField(_("herkomst (IP-adres)"), null=True, blank=True)

    class Meta:
        verbose_name = _("toegang tot persoonsgegevens")
        verbose_name_plural = _("toegang tot persoonsgegevens")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="accesslog_org_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.action} kandidaat {self.candidate_id} at {self.at:%Y-%m-%d}"
