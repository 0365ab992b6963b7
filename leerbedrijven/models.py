"""Erkende leerbedrijven (SBB), their vestigingen, erkenningen and leerbanen."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_fsm import FSMField, transition

from leerbedrijven.constants import (
    CLOSING_TIME_ZONE,
    MAX_HOURS_PER_WEEK,
    MIN_HOURS_PER_WEEK,
    LeerbaanStatus,
)
from opleidingen.constants import Leerweg, Route
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.geo.models import Postcode
from praktijkleren.workflow import (
    Action,
    Rule,
    TransitionLogBase,
    WorkflowModel,
    by_system,
)


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

    def get_absolute_url(self) -> str:
        """The profile page (composed in ``candidates``: it shows each praktijkopleider's
        current candidates)."""
        return reverse("candidates:leerbedrijf_detail", kwargs={"pk": self.pk})


class Vestiging(models.Model):
    """A branch of a leerbedrijf: 12-digit vestigingsnummer and its address's postcode (PC4)."""

    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, related_name="vestigingen"
    )
    vestigingsnummer = models.CharField(_("vestigingsnummer"), max_length=12, unique=True)
    naam = models.CharField(_("naam"), max_length=200)
    straat = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.ForeignKey(Postcode, on_delete=models.PROTECT, related_name="vestigingen")
    postcode_letters = models.CharField(
        _("letters van de postcode"), max_length=2, blank=True, help_text=_("Bijvoorbeeld AB.")
    )
    plaats = models.CharField(_("plaats"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["leerbedrijf", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vestigingsnummer__regex=r"^[0-9]{12}$"),
                name="vestiging_nummer_format",
            ),
            # The target of the leerbaan's composite foreign key (vestiging, leerbedrijf): a
            # leerbaan's vestiging belongs to its leerbedrijf (migration 0004).
            models.UniqueConstraint(fields=["id", "leerbedrijf"], name="vestiging_id_leerbedrijf"),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.postcode_id})"


class ErkenningQuerySet(models.QuerySet):
    def valid_on(self, on_date: dt.date) -> "ErkenningQuerySet":
        """BBL erkenningen valid on ``on_date``: ``geldig_van <= on_date`` and ``geldig_tot``
        empty (open-ended) or ``>= on_date``. Source: domain primer, 'Erkende leerbedrijven'."""
        return self.filter(leerweg=Leerweg.BBL, geldig_van__lte=on_date).filter(
            models.Q(geldig_tot__isnull=True) | models.Q(geldig_tot__gte=on_date)
        )

    def valid_for(self, *, leerbaan: "Leerbaan") -> "ErkenningQuerySet":
        """The BBL erkenningen of ``leerbaan``'s leerbedrijf for its kwalificatie valid on its
        start date (a leerbaan may only be offered for what its leerbedrijf is erkend for)."""
        return self.valid_on(leerbaan.start_date).filter(
            leerbedrijf_id=leerbaan.leerbedrijf_id, kwalificatie_id=leerbaan.kwalificatie_id
        )


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
    werkprocessen = models.ManyToManyField(
        Werkproces,
        blank=True,
        related_name="erkenningen",
        verbose_name=_("werkprocessen"),
        help_text=_("De werkprocessen die de erkenning dekt, waar SBB ze kent."),
    )

    objects = ErkenningQuerySet.as_manager()

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


class ContactPerson(models.Model):
    """A contact person of a leerbedrijf for schools and consultants: a name, a role
    (``functie``), an e-mail address and a phone number (stored in E.164, ``+31...``)."""

    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, related_name="contactpersonen"
    )
    naam = models.CharField(_("naam"), max_length=200)
    functie = models.CharField(_("functie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["leerbedrijf", "naam"]

    def __str__(self) -> str:
        return self.naam


class Praktijkopleider(models.Model):
    """A workplace mentor at a vestiging of a leerbedrijf, who may supervise candidates in the
    ``kwalificaties`` given, at most ``capacity`` candidates at once (placed or in opleiding).

    Source: domain primer, 'Praktijkopleider'; the employers issue.
    """

    leerbedrijf = models.ForeignKey(
        Leerbedrijf, on_delete=models.CASCADE, related_name="praktijkopleiders"
    )
    vestiging = models.ForeignKey(
        Vestiging, on_delete=models.PROTECT, related_name="praktijkopleiders"
    )
    naam = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    telefoon = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    kwalificaties = models.ManyToManyField(
        Kwalificatie, related_name="praktijkopleiders", verbose_name=_("kwalificaties")
    )
    capacity = models.PositiveSmallIntegerField(
        _("capaciteit"), default=1, help_text=_("Hoeveel kandidaten tegelijk.")
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("praktijkopleider")
        verbose_name_plural = _("praktijkopleiders")
        ordering = ["leerbedrijf", "naam"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="praktijkopleider_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        """Refuse a vestiging of another leerbedrijf."""
        super().clean()
        if (
            self.vestiging_id
            and self.leerbedrijf_id
            and self.vestiging.leerbedrijf_id != self.leerbedrijf_id
        ):
            raise ValidationError(
                {"vestiging": _("Deze vestiging hoort niet bij het leerbedrijf.")}
            )


def _is_werkgever_of(leerbaan: "Leerbaan", user) -> bool:
    """``user`` acts for the werkgever organisation of ``leerbaan``'s leerbedrijf."""
    organisation = organisation_of(user)
    return organisation is not None and organisation.pk == leerbaan.leerbedrijf.organisation_id


def _erkend_on_start(leerbaan: "Leerbaan") -> bool:
    return Erkenning.objects.valid_for(leerbaan=leerbaan).exists()


WERKGEVER = _("de werkgever van deze leerbaan")
_URL = "candidates:leerbaan_transition"


class Leerbaan(WorkflowModel):
    """A BBL position at a vestiging of a leerbedrijf, for one kwalificatie.

    ``hours_per_week`` is hours a week (12–40); ``places`` the number of candidates it takes and
    ``places_taken`` how many have been accepted (kept by ``leerbaan_place_take``);
    ``closing_date`` the last day to propose candidates (a date in Europe/Amsterdam, closed at
    the end of that day), on or before ``start_date``. The routes it supports are the three
    ``supports_*`` flags (at least one); ``werkprocessen`` are those it can teach.

    Workflow (``status``): concept → gepubliceerd → vervuld / gesloten / verlopen; see
    ``docs/architecture.md``. ``is_open`` tells whether it takes voordrachten now.
    """

    creation_label = _("Aangemaakt")

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
    praktijkopleider = models.ForeignKey(
        Praktijkopleider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leerbanen",
        verbose_name=_("praktijkopleider"),
    )
    external_ref = models.CharField(
        _("eigen kenmerk"),
        max_length=64,
        blank=True,
        help_text=_(
            "Uw eigen vaste kenmerk van de leerbaan; bij een bulkupload werkt het "
            "dezelfde leerbaan bij in plaats van een nieuwe te maken."
        ),
    )
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"))
    places = models.PositiveSmallIntegerField(_("aantal plaatsen"), default=1)
    places_taken = models.PositiveSmallIntegerField(_("plaatsen bezet"), default=0)
    start_date = models.DateField(_("startdatum"))
    closing_date = models.DateField(_("sluitingsdatum"))
    status = FSMField(
        _("status"),
        max_length=12,
        choices=LeerbaanStatus.choices,
        default=LeerbaanStatus.CONCEPT,
        protected=True,
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("leerbaan")
        verbose_name_plural = _("leerbanen")
        ordering = ["start_date", "titel"]
        indexes = [models.Index(fields=["status", "kwalificatie"], name="leerbaan_status_kwal_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["leerbedrijf", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="leerbaan_external_ref_unique",
            ),
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
                condition=models.Q(places_taken__lte=models.F("places")),
                name="leerbaan_places_taken_within_places",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=LeerbaanStatus.VERVULD)
                | models.Q(places_taken__gte=models.F("places")),
                name="leerbaan_vervuld_has_every_place_taken",
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

    def clean(self) -> None:
        """Refuse a vestiging of another leerbedrijf (the database refuses it too)."""
        super().clean()
        if (
            self.vestiging_id
            and self.leerbedrijf_id
            and self.vestiging.leerbedrijf_id != self.leerbedrijf_id
        ):
            raise ValidationError(
                {"vestiging": _("Deze vestiging hoort niet bij het leerbedrijf.")}
            )

    def closes_at(self) -> dt.datetime:
        """The moment the leerbaan closes: midnight at the end of ``closing_date`` in
        Europe/Amsterdam (an aware datetime; DST-safe, the day may have 23 or 25 hours)."""
        next_day = self.closing_date + dt.timedelta(days=1)
        return dt.datetime.combine(next_day, dt.time.min, tzinfo=CLOSING_TIME_ZONE)

    def is_past_closing(self, *, at: dt.datetime | None = None) -> bool:
        """True from the end of the closing date on (``at`` defaults to now)."""
        return (at or timezone.now()) >= self.closes_at()

    @property
    def places_left(self) -> int:
        """Places not yet taken (never below 0)."""
        return max(0, self.places - self.places_taken)

    def is_open(self, *, at: dt.datetime | None = None) -> bool:
        """Takes new voordrachten and invitations: published, before the end of its closing
        date and with a place left (the backbone issue, 'Closed means closed')."""
        return (
            self.status == LeerbaanStatus.GEPUBLICEERD
            and self.places_left > 0
            and not self.is_past_closing(at=at)
        )

    def takes_placements(self, *, at: dt.datetime | None = None) -> bool:
        """May still accept an invited candidate: published or only past its closing date
        (the interviews may follow it), with a place left."""
        return self.places_left > 0 and self.status in (
            LeerbaanStatus.GEPUBLICEERD,
            LeerbaanStatus.VERLOPEN,
        )

    def places_label(self) -> str:
        """The places as every page says them: "1 van 2 plaatsen bezet", "alle 2 plaatsen
        bezet" or "2 plaatsen, nog geen bezet" (in Dutch)."""
        if self.places_taken <= 0:
            return str(
                ngettext(
                    "%(places)d plaats, nog niet bezet",
                    "%(places)d plaatsen, nog geen bezet",
                    self.places,
                )
                % {"places": self.places}
            )
        if self.places_left <= 0:
            return str(
                ngettext("%(places)d plaats, bezet", "alle %(places)d plaatsen bezet", self.places)
                % {"places": self.places}
            )
        return str(
            _("%(taken)d van %(places)d plaatsen bezet")
            % {"taken": self.places_taken, "places": self.places}
        )

    def openness_label(self, *, at: dt.datetime | None = None) -> str:
        """What every page says about the leerbaan: "Open" or why it is closed (in Dutch)."""
        if self.is_open(at=at):
            return str(_("Open voor voordrachten"))
        if self.status == LeerbaanStatus.GEPUBLICEERD:
            if self.places_left <= 0:
                return str(_("Gesloten: alle plaatsen zijn bezet"))
            return str(_("Gesloten: de sluitingsdatum is voorbij"))
        if self.status == LeerbaanStatus.GESLOTEN:
            return str(_("Gesloten door de werkgever"))
        return str(_("Gesloten: %(status)s") % {"status": self.get_status_display().lower()})

    @transition(
        field=status,
        source=LeerbaanStatus.CONCEPT,
        target=LeerbaanStatus.GEPUBLICEERD,
        permission=_is_werkgever_of,
        conditions=[
            Rule(
                lambda lb: not lb.is_past_closing(),
                _("De sluitingsdatum is al voorbij: kies eerst een latere sluitingsdatum."),
            ),
            Rule(
                _erkend_on_start,
                _("Het leerbedrijf is op de startdatum niet erkend (BBL) voor deze kwalificatie."),
            ),
        ],
        custom={"action": Action(_("Publiceren"), WERKGEVER, _URL, primary=True)},
    )
    def publish(self) -> None:
        """concept → gepubliceerd (the werkgever; the closing date lies ahead, erkend)."""

    @transition(
        field=status,
        source=[LeerbaanStatus.GEPUBLICEERD, LeerbaanStatus.VERLOPEN],
        target=LeerbaanStatus.VERVULD,
        permission=by_system,
        conditions=[Rule(lambda lb: lb.places_left <= 0, _("Er zijn nog plaatsen vrij."))],
        custom={"action": Action(_("Vervuld"))},
    )
    def fill(self) -> None:
        """gepubliceerd or verlopen → vervuld, when every place is taken (a follow-up of an
        acceptance, or the scheduled job)."""

    @transition(
        field=status,
        source=[LeerbaanStatus.CONCEPT, LeerbaanStatus.GEPUBLICEERD, LeerbaanStatus.VERLOPEN],
        target=LeerbaanStatus.GESLOTEN,
        permission=_is_werkgever_of,
        custom={"action": Action(_("Sluiten"), WERKGEVER, _URL, asks_input=True)},
    )
    def close(self) -> None:
        """concept, gepubliceerd or verlopen → gesloten (the werkgever, with an optional
        reason)."""

    @transition(
        field=status,
        source=[LeerbaanStatus.GEPUBLICEERD, LeerbaanStatus.VERLOPEN],
        target=LeerbaanStatus.GEPUBLICEERD,
        permission=_is_werkgever_of,
        conditions=[
            Rule(lambda lb: lb.places_left > 0, _("Alle plaatsen zijn bezet: verlengen kan niet.")),
            Rule(
                _erkend_on_start,
                _("Het leerbedrijf is op de startdatum niet erkend (BBL) voor deze kwalificatie."),
            ),
        ],
        custom={"action": Action(_("Verlengen"), WERKGEVER, _URL, asks_input=True)},
    )
    def extend(self, *, closing_date: dt.date) -> None:
        """gepubliceerd or verlopen → gepubliceerd with a later ``closing_date`` (the werkgever;
        a place left, still erkend on the start date). ``leerbaan_extend`` checks the date."""
        self.closing_date = closing_date

    @transition(
        field=status,
        source=LeerbaanStatus.GEPUBLICEERD,
        target=LeerbaanStatus.VERLOPEN,
        permission=by_system,
        conditions=[
            Rule(lambda lb: lb.is_past_closing(), _("De sluitingsdatum is nog niet voorbij."))
        ],
        custom={"action": Action(_("Verlopen"))},
    )
    def expire(self) -> None:
        """gepubliceerd → verlopen, after the end of the closing date (the scheduled job)."""

    def routes(self) -> list[str]:
        """The routes (``opleidingen.constants.Route`` values) this leerbaan supports."""
        flags = (
            (Route.PRAKTIJKVERKLARING, self.supports_praktijkverklaring),
            (Route.CERTIFICAAT, self.supports_certificaat),
            (Route.DIPLOMA, self.supports_diploma),
        )
        return [route for route, on in flags if on]

    def route_labels(self) -> list[str]:
        """The Dutch names of the routes this leerbaan supports."""
        return [str(Route(route).label) for route in self.routes()]


class LeerbaanTransition(TransitionLogBase):
    """One transition of a leerbaan (``praktijkleren.workflow.TransitionLogBase``)."""

    leerbaan = models.ForeignKey(Leerbaan, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("overgang van een leerbaan")
        verbose_name_plural = _("overgangen van leerbanen")
