"""Candidates and their voordrachten for leerbanen, each with its workflow and transition log.

The workflows (``praktijkleren.workflow``) are declared here, on the models: every state, every
transition, who may make it and the rules it needs. ``candidates.services`` runs them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from django_fsm import FSMField, transition

from candidates import bsn as bsn_crypto
from candidates.constants import (
    MAX_TRAVEL_DISTANCE_KM,
    OPEN_VOORDRACHT_STATUSES,
    AnonymisationReason,
    CandidateEndReason,
    CandidateStatus,
    DeclineReason,
    VoordrachtStatus,
)
from leerbedrijven.constants import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK
from leerbedrijven.models import Leerbaan
from opleidingen.constants import Route
from opleidingen.models import Kwalificatie, Kwalificatiedossier, Werkproces
from praktijkleren.accounts.constants import CONSULTANT_KINDS
from praktijkleren.accounts.models import Organisation
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.geo.models import Postcode
from praktijkleren.workflow import (
    Action,
    Rule,
    TransitionLogBase,
    WorkflowModel,
    as_follow_up,
    by_system,
)

C = CandidateStatus
V = VoordrachtStatus
CONSULTANT = _("een consulent van de organisatie die de kandidaat heeft aangemeld")
WERKGEVER = _("de werkgever van de leerbaan")


def is_consultant_of(candidate: "Candidate", user) -> bool:
    """``user`` acts for the gemeente or UWV that registered ``candidate``."""
    organisation = organisation_of(user)
    return (
        organisation is not None
        and organisation.kind in CONSULTANT_KINDS
        and organisation.pk == candidate.organisation_id
    )


class Candidate(WorkflowModel):
    """A werkende or werkzoekende registered by a gemeente or UWV consultant.

    Wishes: ``wished_kwalificaties`` and/or ``wished_dossiers`` (at least one of them),
    ``route``, ``max_travel_km`` (km between PC4 centroids), ``hours_per_week`` (hours a week)
    and ``earliest_start_date``. ``bsn`` is optional, valid by the 11-proef, and never shown to
    an employer (domain primer, 'Privacy'); it is stored encrypted with a blind index, at most
    once per organisation (``candidates.bsn``, docs/bsn.md). Experience: ``work_experience``
    (text) and, where SBB's werkprocessen are known, ``experienced_werkprocessen``: those the
    candidate already masters (the route proposal counts them). ``birth_date`` and
    ``birth_place`` are printed on the praktijkverklaring (national model); a school sees them,
    an employer does not.

    Workflow (``status``): aangemeld → actief → voorgedragen → geplaatst → in opleiding →
    afgerond, or afgemeld / uitgevallen with ``end_reason`` (``docs/architecture.md``). Only
    *activate* and *deregister* are made by hand; the others follow from a voordracht or an
    enrolment.

    ``anonymised_at`` / ``anonymised_reason``: when and why (retention term expired, or the
    candidate's request, with the consultant's ``anonymised_note``) the personal data was
    cleared (``trajecten.privacy.candidate_anonymise``, ``docs/privacy.md``); the row, its
    status and history stay for the statistics.
    """

    creation_label = _("Aangemeld")
    _URL = "candidates:candidate_transition"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="candidates"
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidates"
    )
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=150)
    # The BSN at rest (``bsn_encrypted``, a Fernet token) and its blind index (``bsn_index``);
    # read and set it through the ``bsn`` property (candidates.bsn, docs/bsn.md).
    bsn_encrypted = models.TextField(_("BSN (versleuteld)"), blank=True, editable=False)
    bsn_index = models.CharField(
        _("BSN-index"), max_length=64, blank=True, editable=False, db_index=True
    )
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
    experienced_werkprocessen = models.ManyToManyField(
        Werkproces,
        blank=True,
        related_name="experienced_by",
        verbose_name=_("werkprocessen die de kandidaat al beheerst"),
    )
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    birth_place = models.CharField(_("geboorteplaats"), max_length=100, blank=True)
    earlier_education = models.TextField(_("eerdere opleiding"), blank=True)
    consent_given_at = models.DateTimeField(_("toestemming gegeven op"), null=True, blank=True)
    status = FSMField(
        _("status"), max_length=20, choices=C.choices, default=C.AANGEMELD, protected=True
    )
    end_reason = models.CharField(
        _("reden van afmelding of uitval"),
        max_length=30,
        choices=CandidateEndReason.choices,
        blank=True,
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    anonymised_reason = models.CharField(
        _("reden van anonimiseren"),
        max_length=20,
        choices=AnonymisationReason.choices,
        blank=True,
    )
    anonymised_note = models.CharField(
        _("toelichting bij het anonimiseren"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["organisation", "status"], name="candidate_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bsn_index="", bsn_encrypted="")
                | models.Q(bsn_index__regex=r"^[0-9a-f]{64}$", bsn_encrypted__startswith="gAAAAA"),
                name="candidate_bsn_encrypted_and_indexed",
            ),
            models.UniqueConstraint(
                fields=["organisation", "bsn_index"],
                condition=~models.Q(bsn_index=""),
                name="candidate_bsn_once_per_organisation",
                violation_error_message=_("Uw organisatie heeft al een kandidaat met dit BSN."),
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
            models.CheckConstraint(
                condition=~models.Q(status__in=[C.AFGEMELD, C.UITGEVALLEN])
                | ~models.Q(end_reason=""),
                name="candidate_ended_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[C.ACTIEF, C.VOORGEDRAGEN])
                | models.Q(consent_given_at__isnull=False),
                name="candidate_searching_has_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=True, anonymised_reason="")
                | models.Q(anonymised_at__isnull=False) & ~models.Q(anonymised_reason=""),
                name="candidate_anonymised_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    @sensitive_variables()
    def bsn(self) -> str:
        """The BSN in plain text (nine digits), or ``""``: decrypted from ``bsn_encrypted`` once
        per token. Raises ``cryptography.fernet.InvalidToken`` when no configured key opens it.
        Show it only to the registering organisation's consultants
        (``selectors.candidate_bsn_for``)."""
        token = self.bsn_encrypted
        cached = self.__dict__.get("_bsn_plain")
        if cached is not None and cached[0] == token:
            return cached[1]
        plain = bsn_crypto.decrypt(token)
        self.__dict__["_bsn_plain"] = (token, plain)
        return plain

    @bsn.setter
    @sensitive_variables()
    def bsn(self, value: str | None) -> None:
        """Encrypt ``value`` (nine digits, or ``""``/``None`` for none) into ``bsn_encrypted`` and
        set its blind index; a value equal to the current one changes nothing. Raises
        ``ValueError`` (without the value) for anything but nine digits: forms check the
        11-proef before."""
        plain = (value or "").strip()
        if plain and not bsn_crypto.BSN_FORMAT.fullmatch(plain):
            raise ValueError("A BSN has nine digits.")
        try:
            unchanged = plain == self.bsn
        except bsn_crypto.InvalidToken:  # a token no key opens any more: replace it
            unchanged = False
        if unchanged:
            return
        self.bsn_encrypted = bsn_crypto.encrypt(plain)
        self.bsn_index = bsn_crypto.index(plain)
        self.__dict__["_bsn_plain"] = (self.bsn_encrypted, plain)

    def get_absolute_url(self) -> str:
        # The page shows the enrolments too, so the app above composes it (docs/architecture.md).
        return reverse("trajecten:candidate_detail", kwargs={"pk": self.pk})

    def may_be_proposed(self) -> bool:
        """True while the candidate searches (actief or voorgedragen) and gave consent: a
        consultant may propose it for a leerbaan."""
        return self.status in (C.ACTIEF, C.VOORGEDRAGEN) and self.consent_given_at is not None

    @transition(
        field=status,
        source=C.AANGEMELD,
        target=C.ACTIEF,
        permission=is_consultant_of,
        custom={"action": Action(_("Activeren"), CONSULTANT, _URL, asks_input=True, primary=True)},
    )
    def activate(self) -> None:
        """aangemeld → actief: the intake is done and the candidate gave consent (the service
        records it from the activation form; the database refuses an actief candidate
        without it)."""

    @transition(
        field=status,
        source=C.ACTIEF,
        target=C.VOORGEDRAGEN,
        permission=as_follow_up,
        custom={"action": Action(_("Voorgedragen"))},
    )
    def propose(self) -> None:
        """actief → voorgedragen: follows the first open voordracht."""

    @transition(
        field=status,
        source=C.VOORGEDRAGEN,
        target=C.ACTIEF,
        permission=as_follow_up,
        custom={"action": Action(_("Zoekt weer"))},
    )
    def return_to_search(self) -> None:
        """voorgedragen → actief: follows the end of the last open voordracht."""

    @transition(
        field=status,
        source=C.VOORGEDRAGEN,
        target=C.GEPLAATST,
        permission=as_follow_up,
        custom={"action": Action(_("Geplaatst"))},
    )
    def place(self) -> None:
        """voorgedragen → geplaatst: follows the acceptance of a voordracht."""

    @transition(
        field=status,
        source=C.GEPLAATST,
        target=C.IN_OPLEIDING,
        permission=as_follow_up,
        custom={"action": Action(_("Gestart met de opleiding"))},
    )
    def start_training(self) -> None:
        """geplaatst → in opleiding: follows the start of the enrolment."""

    @transition(
        field=status,
        source=C.IN_OPLEIDING,
        target=C.AFGEROND,
        permission=as_follow_up,
        custom={"action": Action(_("Afgerond"))},
    )
    def complete(self) -> None:
        """in opleiding → afgerond: follows the completion of the enrolment."""

    @transition(
        field=status,
        source=[C.AANGEMELD, C.ACTIEF, C.VOORGEDRAGEN],
        target=C.AFGEMELD,
        permission=is_consultant_of,
        custom={
            "action": Action(
                _("Afmelden"),
                CONSULTANT,
                _URL,
                reasons=CandidateEndReason,
                reason_required=True,
                asks_input=True,
            )
        },
    )
    def deregister(self, *, reason_code: str) -> None:
        """aangemeld, actief or voorgedragen → afgemeld, with a reason (open voordrachten are
        withdrawn by the service)."""
        self.end_reason = reason_code

    @transition(
        field=status,
        source=[C.GEPLAATST, C.IN_OPLEIDING],
        target=C.UITGEVALLEN,
        permission=as_follow_up,
        custom={"action": Action(_("Uitgevallen"), reasons=CandidateEndReason)},
    )
    def drop_out(self, *, reason_code: str) -> None:
        """geplaatst or in opleiding → uitgevallen, with a reason: follows a stopped
        enrolment."""
        self.end_reason = reason_code


class CandidateTransition(TransitionLogBase):
    """One transition of a candidate (``praktijkleren.workflow.TransitionLogBase``)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("overgang van een kandidaat")
        verbose_name_plural = _("overgangen van kandidaten")


def is_werkgever_of(voordracht: "Voordracht", user) -> bool:
    """``user`` acts for the werkgever of the voordracht's leerbaan."""
    organisation = organisation_of(user)
    return (
        organisation is not None
        and organisation.pk == voordracht.leerbaan.leerbedrijf.organisation_id
    )


def is_consultant_of_voordracht(voordracht: "Voordracht", user) -> bool:
    """``user`` acts for the gemeente or UWV that registered the voordracht's candidate."""
    return is_consultant_of(voordracht.candidate, user)


class Voordracht(WorkflowModel):
    """A consultant's proposal of a candidate for a leerbaan, with the match's ``score``
    (0–100) and ``reasons`` (Dutch sentences) as computed when it was made (or re-checked).

    A suggestion the portal computes (``candidates.selectors.leerbanen_matching``) is not a
    voordracht until a consultant makes one. One open voordracht per candidate and leerbaan, and
    one accepted voordracht per candidate (database constraints).

    Workflow (``status``): voorgedragen → uitgenodigd → aangenomen, or afgewezen (with
    ``decline_reason``) / ingetrokken / verlopen / elders geplaatst (``docs/architecture.md``).
    """

    creation_label = _("Voorgedragen")
    _URL = "candidates:voordracht_transition"

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="voordrachten")
    leerbaan = models.ForeignKey(Leerbaan, on_delete=models.PROTECT, related_name="voordrachten")
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("redenen"), default=list)
    status = FSMField(
        _("status"), max_length=20, choices=V.choices, default=V.VOORGEDRAGEN, protected=True
    )
    decline_reason = models.CharField(
        _("reden van afwijzing"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decline_message = models.TextField(_("toelichting bij de afwijzing"), blank=True)
    motivation = models.TextField(_("motivatie van de consulent"), blank=True)
    interview_at = models.DateTimeField(_("datum en tijd van het gesprek"), null=True, blank=True)
    interview_place = models.CharField(_("plaats van het gesprek"), max_length=200, blank=True)
    interview_message = models.TextField(_("bericht bij de uitnodiging"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("voordracht")
        verbose_name_plural = _("voordrachten")
        ordering = ["-score"]
        indexes = [models.Index(fields=["status", "updated_at"], name="voordracht_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "leerbaan"],
                condition=models.Q(status__in=OPEN_VOORDRACHT_STATUSES),
                name="voordracht_one_open_per_pair",
            ),
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(status=V.AANGENOMEN),
                name="voordracht_one_placement_per_candidate",
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="voordracht_score_0_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=V.AFGEWEZEN) | ~models.Q(decline_reason=""),
                name="voordracht_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} voor {self.leerbaan}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:voordracht_detail", kwargs={"pk": self.pk})

    def is_open(self) -> bool:
        """The werkgever still has to answer it (voorgedragen or uitgenodigd)."""
        return self.status in OPEN_VOORDRACHT_STATUSES

    @transition(
        field=status,
        source=V.VOORGEDRAGEN,
        target=V.UITGENODIGD,
        permission=is_werkgever_of,
        conditions=[
            Rule(
                lambda v: v.leerbaan.is_open(),
                _("De leerbaan is gesloten: uitnodigen kan niet meer."),
            )
        ],
        custom={"action": Action(_("Uitnodigen"), WERKGEVER, _URL, asks_input=True, primary=True)},
    )
    def invite(self) -> None:
        """voorgedragen → uitgenodigd (the werkgever, while the leerbaan is open)."""

    @transition(
        field=status,
        source=V.UITGENODIGD,
        target=V.AANGENOMEN,
        permission=is_werkgever_of,
        conditions=[
            Rule(
                lambda v: v.leerbaan.takes_placements(),
                _("De leerbaan heeft geen vrije plaats meer of is gesloten."),
            ),
            Rule(
                lambda v: v.candidate.status == C.VOORGEDRAGEN,
                _("De kandidaat is al geplaatst of zoekt niet meer."),
            ),
        ],
        custom={
            "action": Action(
                _("Aannemen"),
                WERKGEVER,
                "trajecten:voordracht_accept",
                asks_input=True,
                primary=True,
            )
        },
    )
    def accept(self) -> None:
        """uitgenodigd → aangenomen (the werkgever, with a place left): the placement.
        ``trajecten.services.voordracht_accept`` runs it with its follow-ups."""

    @transition(
        field=status,
        source=list(OPEN_VOORDRACHT_STATUSES),
        target=V.AFGEWEZEN,
        permission=is_werkgever_of,
        custom={
            "action": Action(
                _("Afwijzen"),
                WERKGEVER,
                _URL,
                reasons=DeclineReason,
                reason_required=True,
                asks_input=True,
            )
        },
    )
    def decline(self, *, reason_code: str) -> None:
        """voorgedragen or uitgenodigd → afgewezen, with a reason code."""
        self.decline_reason = reason_code

    @transition(
        field=status,
        source=list(OPEN_VOORDRACHT_STATUSES),
        target=V.INGETROKKEN,
        permission=is_consultant_of_voordracht,
        custom={"action": Action(_("Intrekken"), CONSULTANT, _URL, asks_input=True)},
    )
    def withdraw(self) -> None:
        """voorgedragen or uitgenodigd → ingetrokken (the consultant, or a follow-up of the
        candidate's afmelding)."""

    @transition(
        field=status,
        source=list(OPEN_VOORDRACHT_STATUSES),
        target=V.VERLOPEN,
        permission=by_system,
        custom={"action": Action(_("Verlopen"))},
    )
    def expire(self) -> None:
        """voorgedragen or uitgenodigd → verlopen: unanswered too long, or its leerbaan closed
        (the scheduled job, or a follow-up of closing the leerbaan)."""

    @transition(
        field=status,
        source=list(OPEN_VOORDRACHT_STATUSES),
        target=V.ELDERS_GEPLAATST,
        permission=as_follow_up,
        custom={"action": Action(_("Elders geplaatst"))},
    )
    def place_elsewhere(self) -> None:
        """voorgedragen or uitgenodigd → elders geplaatst: the candidate was accepted for
        another leerbaan (a follow-up of that acceptance)."""


class VoordrachtTransition(TransitionLogBase):
    """One transition of a voordracht (``praktijkleren.workflow.TransitionLogBase``)."""

    voordracht = models.ForeignKey(Voordracht, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionLogBase.Meta):
        verbose_name = _("overgang van een voordracht")
        verbose_name_plural = _("overgangen van voordrachten")


class VoordrachtRequest(models.Model):
    """A werkgever's request to the registering consultant to propose ``candidate`` for
    ``leerbaan`` (the reverse match of the employers issue). ``answered_at`` is set when the
    consultant proposes the candidate or declines the request (with ``answer``); one open
    request per candidate and leerbaan."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="voordracht_requests"
    )
    leerbaan = models.ForeignKey(
        Leerbaan, on_delete=models.PROTECT, related_name="voordracht_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("bericht aan de consulent"), blank=True)
    created_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    answer = models.TextField(_("antwoord van de consulent"), blank=True)

    class Meta:
        verbose_name = _("verzoek om voordracht")
        verbose_name_plural = _("verzoeken om voordracht")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "leerbaan"],
                condition=models.Q(answered_at__isnull=True),
                name="voordracht_request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Verzoek om voordracht {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("candidates:voordracht_request_list") + f"#verzoek-{self.pk}"

    def is_open(self) -> bool:
        """The consultant has not answered it yet."""
        return self.answered_at is None

    def was_proposed(self) -> bool:
        """Answered by proposing the candidate (``voordracht_make`` answers it without text;
        declining it needs an answer)."""
        return self.answered_at is not None and not self.answer
