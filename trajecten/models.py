"""Enrolments (inschrijvingen) at mbo-instellingen, with their workflow and transition log.

An enrolment follows the acceptance of a voordracht (``trajecten.services.voordracht_accept``).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from candidates.constants import CandidateEndReason
from candidates.models import Candidate, Voordracht, is_consultant_of
from leerbedrijven.models import Leerbaan
from opleidingen.constants import Route
from opleidingen.models import Certificaat, Kwalificatie, MboInstelling, StartMoment, Werkproces
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.workflow import Action, Rule, TransitionLogBase, WorkflowModel
from trajecten.constants import (
    LIVE_ENROLMENT_STATUSES,
    CheckInDay,
    ConfirmedRole,
    EnrolmentDeclineReason,
    EnrolmentStatus,
    GenericPart,
    ProgrammeItemKind,
    ResultKind,
    VrijstellingGround,
)

E = EnrolmentStatus
SCHOOL = _("de mbo-instelling van deze inschrijving")
CONSULTANT = _("een consulent van de organisatie die de kandidaat aanmeldde")
SCHOOL_OR_CONSULTANT = _("de mbo-instelling of de consulent van de kandidaat")
_URL = "trajecten:enrolment_transition"


def is_school_of(enrolment: "Enrolment", user) -> bool:
    """``user`` acts for the organisation of the enrolment's mbo-instelling."""
    organisation = organisation_of(user)
    return (
        organisation is not None
        and enrolment.instelling_id is not None
        and organisation.pk == enrolment.instelling.organisation_id
    )


def is_school_or_consultant_of(enrolment: "Enrolment", user) -> bool:
    """The enrolment's school once it accepted (a request it declines instead), or a consultant
    of the organisation that registered the candidate."""
    school = is_school_of(enrolment, user) and enrolment.status != EnrolmentStatus.AANGEVRAAGD
    return school or is_consultant_of(enrolment.candidate, user)


def is_consultant_of_enrolment(enrolment: "Enrolment", user) -> bool:
    """A consultant of the organisation that registered the enrolment's candidate."""
    return is_consultant_of(enrolment.candidate, user)


class Enrolment(WorkflowModel):
    """An inschrijving of a candidate at an mbo-instelling for a kwalificatie on one route,
    following the acceptance of ``voordracht`` at ``leerbaan``.

    ``instelling`` is empty while no instelling offers the kwalificatie in BBL: the request is
    then a to-do for the consultant. ``distance_km`` is the great-circle distance (km) from the
    candidate's PC4 to the instelling's nearest location when the portal chose it.
    ``startmoment`` is one of the instelling's start moments for the kwalificatie in BBL: while
    the request waits, the one the portal proposes (first with room; no place taken); once the
    school accepts, the one it chose, whose place the enrolment takes until it stops
    (``StartMoment.places_taken``, kept by ``trajecten.services``). ``start_date`` is set when
    the school accepts: that start moment's date, or a date of its own without one.
    ``route_confirmed_at`` is when the school confirmed or changed ``route``. ``certificaat``
    is the mbo-certificaat of a certificaat route. The programme (``ProgrammeItem`` rows) is
    agreed by school, leerbedrijf and candidate on the three ``programme_agreed_by_*`` dates.
    ``outcome_date`` is the date the certificaat or diploma was behaald, or the
    praktijkverklaring issued.

    Workflow (``status``): aangevraagd → geaccepteerd → gestart → afgerond, or afgewezen /
    gestopt with ``end_reason`` (``docs/architecture.md``).
    """

    creation_label = _("Aangevraagd")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="enrolments")
    voordracht = models.OneToOneField(
        Voordracht,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolment",
    )
    leerbaan = models.ForeignKey(
        Leerbaan, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    instelling = models.ForeignKey(
        MboInstelling,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    kwalificatie = models.ForeignKey(
        Kwalificatie, on_delete=models.PROTECT, related_name="enrolments"
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    distance_km = models.FloatField(_("afstand (km)"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=15, choices=E.choices, default=E.AANGEVRAAGD, protected=True
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    startmoment = models.ForeignKey(
        StartMoment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("startmoment"),
    )
    route_confirmed_at = models.DateTimeField(_("route bevestigd op"), null=True, blank=True)
    certificaat = models.ForeignKey(
        Certificaat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
        verbose_name=_("mbo-certificaat"),
    )
    programme_agreed_by_school = models.DateField(
        _("programma akkoord school op"), null=True, blank=True
    )
    programme_agreed_by_leerbedrijf = models.DateField(
        _("programma akkoord leerbedrijf op"), null=True, blank=True
    )
    programme_agreed_by_candidate = models.DateField(
        _("programma akkoord kandidaat op"), null=True, blank=True
    )
    outcome_date = models.DateField(_("behaald op"), null=True, blank=True)
    end_reason = models.CharField(_("reden"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(status__in=LIVE_ENROLMENT_STATUSES),
                name="enrolment_one_live_per_candidate",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[E.GEACCEPTEERD, E.GESTART, E.AFGEROND])
                | models.Q(start_date__isnull=False),
                name="enrolment_accepted_has_start_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[E.AFGEWEZEN, E.GESTOPT]) | ~models.Q(end_reason=""),
                name="enrolment_ended_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(instelling__isnull=False)
                | models.Q(status__in=[E.AANGEVRAAGD, E.GESTOPT]),
                name="enrolment_without_instelling_is_a_request",
            ),
        ]

    def __str__(self) -> str:
        school = self.instelling.brin if self.instelling_id else "–"
        return f"{self.candidate} – {school} {self.kwalificatie.crebo}"

    def get_absolute_url(self) -> str:
        return reverse("trajecten:enrolment_detail", kwargs={"pk": self.pk})

    def needs_instelling(self) -> bool:
        """A request without an instelling, or one an instelling declined: a to-do for the
        consultant (choose another instelling, or stop)."""
        return (self.instelling_id is None and self.status == E.AANGEVRAAGD) or (
            self.status == E.AFGEWEZEN
        )

    def is_ready_to_start(self) -> bool:
        """Every item of the readiness checklist holds (``trajecten.selectors
        .enrolment_readiness``: erkenning, praktijkopleider, POK, OOK, BBL hours)."""
        from trajecten.selectors import readiness_missing  # the selectors import this module

        return not readiness_missing(enrolment=self)

    def may_start_from(self):
        """The date from which the school may register the start (the start date), or None."""
        return self.start_date if self.status == E.GEACCEPTEERD else None

    @transition(
        field=status,
        source=[E.AANGEVRAAGD, E.AFGEWEZEN],
        target=E.AANGEVRAAGD,
        permission=is_consultant_of_enrolment,
        conditions=[
            Rule(
                lambda e: e.instelling_id is None or e.status == E.AFGEWEZEN,
                _("De aanvraag ligt al bij een instelling: wacht op haar antwoord."),
            )
        ],
        custom={
            "action": Action(
                _("Instelling kiezen"), CONSULTANT, _URL, asks_input=True, primary=True
            )
        },
    )
    def choose_instelling(self, *, instelling, distance_km: float | None, startmoment=None) -> None:
        """A request without instelling, or one that was declined, → aangevraagd at
        ``instelling`` (the consultant's choice among those that offer the kwalificatie in
        BBL), ``distance_km`` from the candidate's home, proposing ``startmoment`` (its first
        start moment with room, or None; no place is taken yet)."""
        self.instelling = instelling
        self.distance_km = distance_km
        self.startmoment = startmoment
        self.end_reason = ""

    @transition(
        field=status,
        source=E.AANGEVRAAGD,
        target=E.GEACCEPTEERD,
        permission=is_school_of,
        custom={"action": Action(_("Accepteren"), SCHOOL, _URL, asks_input=True, primary=True)},
    )
    def accept(self, *, start_date, startmoment=None, route=None, certificaat=None) -> None:
        """aangevraagd → geaccepteerd, by the school, with the start date: that of
        ``startmoment`` when the school chose one (its place taken by the service), else
        ``start_date``. With ``route`` the school confirms (or changes) the route
        (``route_confirmed_at`` now), with ``certificaat`` for the certificaat route."""
        self.startmoment = startmoment
        self.start_date = startmoment.start_date if startmoment is not None else start_date
        if route is not None:
            self.route = route
            self.route_confirmed_at = timezone.now()
            self.certificaat = certificaat

    @transition(
        field=status,
        source=E.AANGEVRAAGD,
        target=E.AFGEWEZEN,
        permission=is_school_of,
        custom={
            "action": Action(
                _("Afwijzen"),
                SCHOOL,
                _URL,
                reasons=EnrolmentDeclineReason,
                reason_required=True,
                asks_input=True,
            )
        },
    )
    def decline(self, *, reason_code: str) -> None:
        """aangevraagd → afgewezen, by the school, with a reason."""
        self.end_reason = reason_code

    @transition(
        field=status,
        source=E.GEACCEPTEERD,
        target=E.GESTART,
        permission=is_school_of,
        conditions=[
            Rule(
                lambda e: e.start_date is not None and e.start_date <= timezone.localdate(),
                _("De opleiding kan pas op of na de startdatum starten."),
            ),
            Rule(
                lambda e: e.is_ready_to_start(),
                _(
                    "Nog niet alles is klaar om te starten: zie ‘Klaar om te starten?’ op de "
                    "pagina van de inschrijving."
                ),
            ),
        ],
        custom={"action": Action(_("Start melden"), SCHOOL, _URL, primary=True)},
    )
    def start(self) -> None:
        """geaccepteerd → gestart, by the school, on or after the start date."""

    def werkprocessen_confirmed(self) -> int:
        """How many werkprocessen of the programme are confirmed
        (``ProgrammeItem.confirmed_on``)."""
        return self.programme.filter(
            kind=ProgrammeItemKind.WERKPROCES, confirmed_on__isnull=False
        ).count()

    def progress_summary(self) -> Any:
        """The enrolment's progress for its page (``trajecten.progress.progress_summary``)."""
        from trajecten.progress import progress_summary  # it imports this module

        return progress_summary(enrolment=self)

    @transition(
        field=status,
        source=E.GESTART,
        target=E.AFGEROND,
        permission=is_school_of,
        conditions=[
            Rule(
                lambda e: e.route != Route.PRAKTIJKVERKLARING or e.werkprocessen_confirmed() > 0,
                _(
                    "Voor een praktijkverklaring is ten minste één bevestigd werkproces nodig: "
                    "laat de praktijkopleider of de school eerst bevestigen wat de kandidaat "
                    "beheerst."
                ),
            )
        ],
        custom={"action": Action(_("Afronden"), SCHOOL, _URL, asks_input=True)},
    )
    def complete(self, *, outcome_date: dt.date | None = None) -> None:
        """gestart → afgerond, by the school; ``outcome_date`` (a date) is the date the
        certificaat or diploma was behaald (the service checks it). A praktijkverklaring route
        needs at least one confirmed werkproces; its document sets the date when issued."""
        if outcome_date is not None:
            self.outcome_date = outcome_date

    @transition(
        field=status,
        source=list(LIVE_ENROLMENT_STATUSES),
        target=E.GESTOPT,
        permission=is_school_or_consultant_of,
        custom={
            "action": Action(
                _("Stoppen"),
                SCHOOL_OR_CONSULTANT,
                _URL,
                reasons=CandidateEndReason,
                reason_required=True,
                asks_input=True,
            )
        },
    )
    def stop(self, *, reason_code: str) -> None:
        """aangevraagd, geaccepteerd or gestart → gestopt, by the school or the consultant,
        with a reason; the candidate drops out (uitgevallen)."""
        self.end_reason = reason_code


class EnrolmentTransition(TransitionLogBase):
    """One transition of an enrolment (``praktijkleren.workflow.TransitionLogBase``)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("overgang van een inschrijving")
        verbose_name_plural = _("overgangen van inschrijvingen")


class Praktijkovereenkomst(models.Model):
    """The praktijkovereenkomst (POK) of an enrolment, signed by school, candidate and
    leerbedrijf (domain primer, 'Documents and contracts': WEB art. 7.2.9; its contents WEB
    art. 7.2.8).

    ``period_start``–``period_end``: the period of the praktijkleren (dates, end ≥ start);
    ``hours_per_week``: the hours at the leerbedrijf per week (hours, 1–60); ``hours_spread``:
    how those hours are spread over the week and the year; ``guidance``: the begeleiding (who,
    how often); ``onderdeel``: the part of the kwalificatie to be achieved (werkprocessen,
    kerntaken); ``assessment``: how it is assessed. ``signed_by_school``,
    ``signed_by_candidate``, ``signed_by_leerbedrijf``: the date each party signed, empty while
    it has not.
    """

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="praktijkovereenkomst"
    )
    period_start = models.DateField(_("begindatum"))
    period_end = models.DateField(_("einddatum"))
    hours_per_week = models.DecimalField(_("uren per week"), max_digits=3, decimal_places=1)
    hours_spread = models.TextField(_("spreiding van de uren"), max_length=1000)
    guidance = models.TextField(_("begeleiding"), max_length=1000)
    onderdeel = models.TextField(_("te behalen deel van de kwalificatie"), max_length=1000)
    assessment = models.TextField(_("beoordeling"), max_length=1000)
    signed_by_school = models.DateField(_("getekend door de school op"), null=True, blank=True)
    signed_by_candidate = models.DateField(
        _("getekend door de kandidaat op"), null=True, blank=True
    )
    signed_by_leerbedrijf = models.DateField(
        _("getekend door het leerbedrijf op"), null=True, blank=True
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("praktijkovereenkomst")
        verbose_name_plural = _("praktijkovereenkomsten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="pok_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gt=0) & models.Q(hours_per_week__lte=60),
                name="pok_hours_per_week_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"POK {self.enrolment_id}"

    def signatures_missing(self) -> list[str]:
        """The parties (Dutch) that have not signed yet, in the order school, kandidaat,
        leerbedrijf."""
        parties = [
            (self.signed_by_school, _("de school")),
            (self.signed_by_candidate, _("de kandidaat")),
            (self.signed_by_leerbedrijf, _("het leerbedrijf")),
        ]
        return [str(name) for signed, name in parties if signed is None]


class Onderwijsovereenkomst(models.Model):
    """The onderwijsovereenkomst (OOK) of an enrolment, between candidate and school (domain
    primer, 'Documents and contracts': WEB art. 8.1.3). ``signed_on``: the date both signed,
    empty while they have not."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="onderwijsovereenkomst"
    )
    signed_on = models.DateField(_("getekend op"), null=True, blank=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("onderwijsovereenkomst")
        verbose_name_plural = _("onderwijsovereenkomsten")

    def __str__(self) -> str:
        return f"OOK {self.enrolment_id}"


class ProgrammeItem(models.Model):
    """One part of an enrolment's programme (domain primer, 'The three routes'): a
    ``werkproces`` (praktijkverklaring: the chosen ones, possibly of several kwalificaties;
    certificaat: the certificate's; diploma: all of the kwalificatie's), a ``generic_part``
    (diploma: Nederlands, rekenen, loopbaan en burgerschap, Engels at niveau 4) or a keuzedeel
    (``label``, e.g. "K0123 Ondernemend gedrag"). ``confirmed_on`` (date) and
    ``confirmed_by`` (user) with ``confirmed_role`` (praktijkopleider or school) record that the
    candidate masters the werkproces: the praktijkverklaring lists the confirmed ones."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="programme")
    kind = models.CharField(_("soort"), max_length=12, choices=ProgrammeItemKind.choices)
    werkproces = models.ForeignKey(
        Werkproces,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_items",
        verbose_name=_("werkproces"),
    )
    generic_part = models.CharField(
        _("generiek onderdeel"), max_length=25, choices=GenericPart.choices, blank=True
    )
    label = models.CharField(_("omschrijving"), max_length=200, blank=True)
    confirmed_on = models.DateField(_("bevestigd op"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bevestigd door"),
    )
    confirmed_role = models.CharField(
        _("bevestigd als"), max_length=20, choices=ConfirmedRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("onderdeel van het programma")
        verbose_name_plural = _("onderdelen van het programma")
        ordering = ["enrolment", "kind", "werkproces__kerntaak__code", "werkproces__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "werkproces"],
                condition=models.Q(werkproces__isnull=False),
                name="programme_werkproces_once",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "generic_part"],
                condition=~models.Q(generic_part=""),
                name="programme_generic_part_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=ProgrammeItemKind.WERKPROCES, werkproces__isnull=False)
                    | models.Q(kind=ProgrammeItemKind.GENERIEK, werkproces__isnull=True)
                    & ~models.Q(generic_part="")
                    | models.Q(kind=ProgrammeItemKind.KEUZEDEEL, werkproces__isnull=True)
                    & ~models.Q(label="")
                ),
                name="programme_item_kind_has_its_part",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_on__isnull=True, confirmed_role="")
                | models.Q(confirmed_on__isnull=False) & ~models.Q(confirmed_role=""),
                name="programme_item_confirmation_complete",
            ),
        ]

    def __str__(self) -> str:
        if self.werkproces_id:
            return str(self.werkproces)
        return self.get_generic_part_display() if self.generic_part else self.label


class Vrijstelling(models.Model):
    """A vrijstelling on a shortened diploma route: which part (``werkproces``, or ``onderdeel``
    text for a generic part or keuzedeel), on which ``ground`` (werkervaring, EVC
    ervaringscertificaat, eerdere opleiding) with ``explanation``, granted on ``granted_on``
    (date) by the examencommissie (domain primer, 'Documents and contracts')."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="vrijstellingen"
    )
    werkproces = models.ForeignKey(
        Werkproces, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    onderdeel = models.CharField(_("onderdeel"), max_length=200, blank=True)
    ground = models.CharField(_("grond"), max_length=15, choices=VrijstellingGround.choices)
    explanation = models.TextField(_("toelichting"), max_length=1000, blank=True)
    granted_on = models.DateField(_("verleend op"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("vrijstelling")
        verbose_name_plural = _("vrijstellingen")
        ordering = ["enrolment", "granted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(werkproces__isnull=False) | ~models.Q(onderdeel=""),
                name="vrijstelling_names_its_part",
            ),
        ]

    def __str__(self) -> str:
        return str(self.werkproces) if self.werkproces_id else self.onderdeel


class Result(models.Model):
    """A lesson (onderwijsonderdeel) or exam of an enrolment (``kind``), by ``name``: passed or
    failed (``passed``) on ``result_date`` (date), recorded by the school."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="results")
    kind = models.CharField(_("soort"), max_length=10, choices=ResultKind.choices)
    name = models.CharField(_("onderdeel"), max_length=200)
    passed = models.BooleanField(_("behaald"))
    result_date = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("les of examen")
        verbose_name_plural = _("lessen en examens")
        ordering = ["enrolment", "result_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class CheckIn(models.Model):
    """The check-in ``day`` (30, 60 or 90) days after an enrolment's start, due on ``due_on``
    (date). Once held (``held_on``, date), it records whether the leerbedrijf and the candidate
    took part, whether it flags a problem (``risk``) and a ``note``. ``signalled_at``: when the
    consultant was told of a risk (a flagged problem, or the check-in missed: not held 14 days
    after it was due), so each is signalled once."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="checkins")
    day = models.PositiveSmallIntegerField(_("moment"), choices=CheckInDay.choices)
    due_on = models.DateField(_("gepland op"))
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    with_leerbedrijf = models.BooleanField(_("met het leerbedrijf"), default=False)
    with_candidate = models.BooleanField(_("met de kandidaat"), default=False)
    risk = models.BooleanField(_("signaal: er is een probleem"), default=False)
    note = models.TextField(_("notitie"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signalled_at = models.DateTimeField(_("gesignaleerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("voortgangsgesprek")
        verbose_name_plural = _("voortgangsgesprekken")
        ordering = ["enrolment", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="checkin_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.get_day_display()}"


class Praktijkverklaring(models.Model):
    """The praktijkverklaring issued for an enrolment on the praktijkverklaring route, as part
    of the mbo-verklaring (domain primer, 'Documents and contracts': WEB art. 7.4.6a; national
    model: Regeling modellen mbo-diploma, mbo-certificaat en mbo-verklaring).

    ``number`` is its unique document number (``PV-2026-000123``) and ``check_code`` the code
    that, with the number, opens the public verification page. ``content`` is the document's
    data frozen at issue (candidate, birth date and place, leerbedrijf with SBB id,
    praktijkopleider, period, werkprocessen with kwalificatie and code, school, examencommissie
    and signatories): the PDF and the verification page show exactly that."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="praktijkverklaring"
    )
    number = models.CharField(_("documentnummer"), max_length=20, unique=True)
    check_code = models.CharField(_("controlecode"), max_length=12)
    issued_on = models.DateField(_("uitgegeven op"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(_("inhoud"))

    class Meta:
        verbose_name = _("praktijkverklaring")
        verbose_name_plural = _("praktijkverklaringen")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number
