"""Reads on leerbedrijven, erkenningen and leerbanen.

Places left on a leerbaan = ``places`` − ``places_taken``; the counter is kept by
``leerbedrijven.services.leerbaan_place_take`` when a voordracht is accepted, so this app never
reads the voordrachten of the app above it (dependencies run one way: ``leerbedrijven`` ←
``candidates``).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from leerbedrijven.constants import CLOSING_TIME_ZONE, LeerbaanStatus
from leerbedrijven.models import (
    ContactPerson,
    Erkenning,
    Leerbaan,
    Leerbedrijf,
    Praktijkopleider,
    Vestiging,
)
from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
from praktijkleren.accounts.models import User
from praktijkleren.accounts.selectors import PortalUser, organisation_of


def closing_today(*, at: dt.datetime | None = None) -> dt.date:
    """The calendar date in Europe/Amsterdam at ``at`` (default now): leerbanen whose closing
    date is before it are closed (a closing date lasts until midnight, Dutch time)."""
    return timezone.localdate(at or timezone.now(), timezone=CLOSING_TIME_ZONE)


def erkenningen_valid_on(*, on_date: dt.date | F | OuterRef) -> QuerySet[Erkenning]:
    """BBL erkenningen valid on ``on_date`` (a date or an expression such as
    ``OuterRef("start_date")``): ``geldig_van <= on_date`` and ``geldig_tot`` empty (open-ended)
    or ``>= on_date``. Open-ended and later-ending erkenningen come first.

    Source: domain primer, 'Erkende leerbedrijven' (SBB erkent per kwalificatie and leerweg; a
    leerbaan is a BBL position).
    """
    return Erkenning.objects.valid_on(on_date).order_by(  # type: ignore[arg-type]
        F("geldig_tot").desc(nulls_first=True)
    )


def leerbanen_with_facts(queryset: QuerySet[Leerbaan] | None = None) -> QuerySet[Leerbaan]:
    """``queryset`` (default all leerbanen) annotated with what matching needs, in one query:

    - ``erkend`` (bool): the leerbedrijf holds a BBL erkenning for the leerbaan's kwalificatie
      valid on the leerbaan's ``start_date``;
    - ``erkend_tot`` (date or None): the end of that erkenning (None: open-ended or none).

    Places left need no annotation: ``Leerbaan.places_left`` reads the row's own counter.
    """
    if queryset is None:
        queryset = Leerbaan.objects.all()
    valid = erkenningen_valid_on(on_date=OuterRef("start_date")).filter(
        leerbedrijf=OuterRef("leerbedrijf"), kwalificatie=OuterRef("kwalificatie")
    )
    return queryset.annotate(
        erkend=Exists(valid, output_field=BooleanField()),
        erkend_tot=Subquery(valid.values("geldig_tot")[:1], output_field=DateField()),
    )


def leerbanen_open(*, on_date: dt.date | None = None) -> QuerySet[Leerbaan]:
    """Leerbanen that take voordrachten on ``on_date`` (default today in Europe/Amsterdam):
    status gepubliceerd, ``closing_date >= on_date`` and a place left (``Leerbaan.is_open``).
    Annotated as ``leerbanen_with_facts``.
    """
    on_date = on_date or closing_today()
    return leerbanen_with_facts(
        Leerbaan.objects.filter(
            status=LeerbaanStatus.GEPUBLICEERD,
            closing_date__gte=on_date,
            places_taken__lt=F("places"),
        )
    )


def leerbanen_due_to_close(*, at: dt.datetime | None = None) -> QuerySet[Leerbaan]:
    """Published leerbanen the scheduled job must move on at ``at`` (default now): past the end
    of their closing date (→ verlopen) or with every place taken (→ vervuld); and expired ones
    whose places are all taken (→ vervuld). Ordered by id."""
    today = closing_today(at=at)
    published = Leerbaan.objects.filter(status=LeerbaanStatus.GEPUBLICEERD)
    return (
        published.filter(closing_date__lt=today)
        | published.filter(places_taken__gte=F("places"))
        | Leerbaan.objects.filter(status=LeerbaanStatus.VERLOPEN, places_taken__gte=F("places"))
    ).order_by("pk")


def erkenning_valid_on(
    *, leerbedrijf: Leerbedrijf, kwalificatie: Kwalificatie, on_date: dt.date
) -> Erkenning | None:
    """The BBL erkenning of ``leerbedrijf`` for ``kwalificatie`` valid on ``on_date``
    (``geldig_van <= on_date <= geldig_tot``, or open-ended), preferring an open-ended or the
    latest-ending one; None when there is none. Source: domain primer, 'Erkende leerbedrijven'.
    """
    return (
        erkenningen_valid_on(on_date=on_date)
        .filter(leerbedrijf=leerbedrijf, kwalificatie=kwalificatie)
        .first()
    )


def leerbanen_visible_to(*, user: PortalUser) -> QuerySet[Leerbaan]:
    """The leerbanen ``user`` may see.

    - werkgever: every leerbaan (any status) of its organisation's leerbedrijven;
    - gemeente or UWV consultant: open leerbanen (``leerbanen_open`` for today);
    - anyone else (school, beheer, no organisation): none.
    """
    organisation = organisation_of(user)
    if organisation is None:
        return Leerbaan.objects.none()
    if organisation.kind == OrganisationKind.WERKGEVER:
        return Leerbaan.objects.filter(leerbedrijf__organisation=organisation)
    if organisation.kind in CONSULTANT_KINDS:
        return leerbanen_open()
    return Leerbaan.objects.none()


def leerbanen_owned_by(*, user: PortalUser) -> QuerySet[Leerbaan]:
    """The leerbanen of the leerbedrijven of ``user``'s werkgever organisation (any status);
    none for anyone else. The werkgever changes these."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.WERKGEVER:
        return Leerbaan.objects.none()
    return Leerbaan.objects.filter(leerbedrijf__organisation=organisation)


# --- the leerbedrijf's profile: vestigingen, contact persons, praktijkopleiders -------------


def leerbedrijven_owned_by(*, user: PortalUser) -> QuerySet[Leerbedrijf]:
    """The leerbedrijven of ``user``'s werkgever organisation (an organisation may own more
    than one); none for anyone else. Their users see and change these."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.WERKGEVER:
        return Leerbedrijf.objects.none()
    return Leerbedrijf.objects.filter(organisation=organisation)


def vestigingen_owned_by(*, user: PortalUser) -> QuerySet[Vestiging]:
    """The vestigingen of the leerbedrijven of ``user``'s werkgever organisation."""
    return Vestiging.objects.filter(leerbedrijf__in=leerbedrijven_owned_by(user=user))


def contactpersonen_owned_by(*, user: PortalUser) -> QuerySet[ContactPerson]:
    """The contact persons of the leerbedrijven of ``user``'s werkgever organisation."""
    return ContactPerson.objects.filter(leerbedrijf__in=leerbedrijven_owned_by(user=user))


def praktijkopleiders_owned_by(*, user: PortalUser) -> QuerySet[Praktijkopleider]:
    """The praktijkopleiders (active or not) of the leerbedrijven of ``user``'s werkgever
    organisation."""
    return Praktijkopleider.objects.filter(leerbedrijf__in=leerbedrijven_owned_by(user=user))


def kwalificaties_erkend_from(
    *, leerbedrijf: Leerbedrijf, on_date: dt.date | None = None
) -> QuerySet[Kwalificatie]:
    """The kwalificaties ``leerbedrijf`` holds a BBL erkenning for that is valid on
    ``on_date`` (default today, Europe/Amsterdam) or later: ``geldig_tot`` empty (open-ended) or
    ``>= on_date``, whatever its start. What its praktijkopleiders may be given to supervise.
    Ordered by name, niveau and crebo."""
    on_date = on_date or closing_today()
    erkend = Erkenning.objects.filter(leerbedrijf=leerbedrijf, leerweg=Leerweg.BBL).filter(
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=on_date)
    )
    return Kwalificatie.objects.filter(pk__in=erkend.values("kwalificatie_id")).order_by(
        "naam", "niveau", "crebo"
    )


def praktijkopleiders_for(
    *,
    leerbedrijf: Leerbedrijf,
    kwalificatie: Kwalificatie | None = None,
    vestiging: Vestiging | None = None,
) -> QuerySet[Praktijkopleider]:
    """The active praktijkopleiders of ``leerbedrijf`` a leerbaan may name: those who may
    supervise ``kwalificatie`` (when given); with ``vestiging``, the ones of that vestiging
    first. Ordered by that, then name. (Whether one still has room is the capacity check of
    ``candidates.selectors.praktijkopleider_load`` at placement.)"""
    queryset = Praktijkopleider.objects.filter(leerbedrijf=leerbedrijf, is_active=True)
    if kwalificatie is not None:
        queryset = queryset.filter(kwalificaties=kwalificatie)
    if vestiging is not None:
        queryset = queryset.annotate(
            elsewhere=Case(When(vestiging=vestiging, then=Value(0)), default=Value(1))
        ).order_by("elsewhere", "naam", "pk")
    else:
        queryset = queryset.order_by("naam", "pk")
    return queryset


def organisation_users(*, leerbedrijf: Leerbedrijf) -> QuerySet[User]:
    """The active users of the werkgever organisation that owns ``leerbedrijf``, by name."""
    return User.objects.filter(
        organisation_id=leerbedrijf.organisation_id, is_active=True
    ).order_by("last_name", "first_name", "username")


# An erkenning that ends within this many days is flagged on the werkgever's and consultants'
# pages and announced (``trajecten.services.erkenningen_announce``).
ERKENNING_WARNING_DAYS = 90
# Leerbanen in these states no longer need their erkenning: no flag.
_FLAGLESS_LEERBAAN_STATUSES = (LeerbaanStatus.GESLOTEN,)


def erkenningen_current(*, today: dt.date | None = None) -> QuerySet[Erkenning]:
    """Erkenningen (any leerweg) valid on ``today`` (default today in Europe/Amsterdam):
    ``geldig_van <= today`` and ``geldig_tot`` empty or ``>= today``."""
    today = today or closing_today()
    return Erkenning.objects.filter(geldig_van__lte=today).filter(
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=today)
    )


def _renewal_of_outer() -> Exists:
    """``Exists``: a later period of the outer erkenning (same leerbedrijf, kwalificatie and
    leerweg) starts at the latest the day after it ends and runs longer, so the leerbedrijf stays
    erkend without a gap (SBB records a renewal as a new period)."""
    day_after = ExpressionWrapper(
        OuterRef("geldig_tot") + dt.timedelta(days=1), output_field=DateField()
    )
    return Exists(
        Erkenning.objects.filter(
            leerbedrijf_id=OuterRef("leerbedrijf_id"),
            kwalificatie_id=OuterRef("kwalificatie_id"),
            leerweg=OuterRef("leerweg"),
            geldig_van__gt=OuterRef("geldig_van"),
            geldig_van__lte=day_after,
        ).filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gt=OuterRef("geldig_tot")))
    )


def erkenningen_with_flags(
    queryset: QuerySet[Erkenning] | None = None,
    *,
    within_days: int = ERKENNING_WARNING_DAYS,
    today: dt.date | None = None,
) -> QuerySet[Erkenning]:
    """``queryset`` (default all erkenningen) annotated, in the same query, with

    - ``renewed`` (bool): a later period follows on without a gap (see ``_renewal_of_outer``);
    - ``ending_soon`` (bool): it is not renewed and ends between ``today`` (default today in
      Europe/Amsterdam) and ``within_days`` days later, both included.
    """
    today = today or closing_today()
    if queryset is None:
        queryset = Erkenning.objects.all()
    limit = today + dt.timedelta(days=within_days)
    return queryset.annotate(renewed=_renewal_of_outer()).annotate(
        ending_soon=Case(
            When(
                Q(renewed=False, geldig_tot__gte=today, geldig_tot__lte=limit),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def erkenningen_ending(
    *, within_days: int = ERKENNING_WARNING_DAYS, today: dt.date | None = None
) -> QuerySet[Erkenning]:
    """Erkenningen (any leerweg) that end within ``within_days`` days of ``today`` (default
    today in Europe/Amsterdam; ``today <= geldig_tot <= today + within_days``) and are not
    renewed by a following period; annotated as ``erkenningen_with_flags``, soonest first."""
    return (
        erkenningen_with_flags(within_days=within_days, today=today)
        .filter(Q(ending_soon=True))
        .order_by("geldig_tot", "pk")
    )


def erkenningen_visible_to(*, user: PortalUser) -> QuerySet[Erkenning]:
    """The erkenningen of the leerbedrijven of ``user``'s werkgever organisation (every period,
    also ended ones); none for anyone else."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.WERKGEVER:
        return Erkenning.objects.none()
    return Erkenning.objects.filter(leerbedrijf__organisation=organisation)


def leerbanen_with_erkenning_end(
    queryset: QuerySet[Leerbaan] | None = None,
    *,
    within_days: int = ERKENNING_WARNING_DAYS,
    today: dt.date | None = None,
) -> QuerySet[Leerbaan]:
    """``queryset`` (default all leerbanen) annotated, in the same query, with

    - ``erkenning_ends`` (date or None): the end of the BBL erkenning of the leerbaan's
      leerbedrijf for its kwalificatie that is valid ``today`` (default today in
      Europe/Amsterdam) and not renewed; None when one of them is open-ended or renewed, or
      when there is none today;
    - ``erkenning_flag`` (bool): the leerbaan is not gesloten and that end lies within
      ``within_days`` days or before the leerbaan's start date (the flag on the werkgever's
      and consultants' pages, ``components/_erkenning_flag.html``).
    """
    today = today or closing_today()
    if queryset is None:
        queryset = Leerbaan.objects.all()
    valid_today = erkenningen_current(today=today).filter(
        leerweg=Leerweg.BBL,
        leerbedrijf=OuterRef("leerbedrijf"),
        kwalificatie=OuterRef("kwalificatie"),
    )
    # An open-ended or renewed erkenning valid today means no end in sight: it sorts first and
    # gives None.
    ends = (
        valid_today.annotate(renewed=_renewal_of_outer())
        .annotate(
            shown_end=Case(
                When(renewed=True, then=Value(None, output_field=DateField())),
                default=F("geldig_tot"),
                output_field=DateField(),
            )
        )
        .order_by(F("shown_end").desc(nulls_first=True))
        .values("shown_end")[:1]
    )
    limit = today + dt.timedelta(days=within_days)
    return queryset.annotate(erkenning_ends=Subquery(ends, output_field=DateField())).annotate(
        erkenning_flag=Case(
            When(
                Q(erkenning_ends__isnull=False)
                & ~Q(status__in=_FLAGLESS_LEERBAAN_STATUSES)
                & (Q(erkenning_ends__lte=limit) | Q(erkenning_ends__lt=F("start_date"))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def leerbanen_erkenning_flags_attach(
    *, leerbanen: list[Leerbaan], today: dt.date | None = None
) -> list[Leerbaan]:
    """Set ``erkenning_ends`` and ``erkenning_flag`` (as ``leerbanen_with_erkenning_end``
    annotates them) on leerbanen already loaded, e.g. the matching's suggestions, and return
    them. One query, whatever the number of leerbanen."""
    flags = {}
    if leerbanen:
        flags = {
            pk: (ends, flag)
            for pk, ends, flag in leerbanen_with_erkenning_end(
                Leerbaan.objects.filter(pk__in=[lb.pk for lb in leerbanen]), today=today
            ).values_list("pk", "erkenning_ends", "erkenning_flag")  # type: ignore[misc]
        }
    for leerbaan in leerbanen:
        ends, flag = flags.get(leerbaan.pk, (None, False))
        setattr(leerbaan, "erkenning_ends", ends)  # noqa: B010 (an annotation's name)
        setattr(leerbaan, "erkenning_flag", flag)  # noqa: B010
    return leerbanen


@dataclasses.dataclass(frozen=True)
class VoordrachtCounts:
    """Subqueries over the voordrachten of a leerbaan (``OuterRef("pk")``), given by the app
    that keeps them (``candidates``) when it is ready: this app never imports it. ``total``
    counts every voordracht ever made, ``open`` those still waiting for the werkgever."""

    total: Callable[[], Expression]
    open: Callable[[], Expression]


_voordracht_counts: VoordrachtCounts | None = None


def voordracht_counts_register(counts: VoordrachtCounts) -> None:
    """Called by ``candidates`` (``AppConfig.ready``) to hand over its voordracht subqueries."""
    global _voordracht_counts
    _voordracht_counts = counts


def leerbanen_with_voordracht_counts(queryset: QuerySet[Leerbaan]) -> QuerySet[Leerbaan]:
    """``queryset`` annotated, in the same query, with ``voordrachten_total`` (every voordracht
    made for the leerbaan, in any state) and ``voordrachten_open`` (voorgedragen or uitgenodigd);
    both 0 when no app keeps voordrachten."""
    if _voordracht_counts is None:
        zero = Value(0, output_field=IntegerField())
        return queryset.annotate(voordrachten_total=zero, voordrachten_open=zero)
    return queryset.annotate(
        voordrachten_total=_voordracht_counts.total(),
        voordrachten_open=_voordracht_counts.open(),
    )


def leerbaan_has_voordrachten(*, leerbaan: Leerbaan) -> bool:
    """Whether any voordracht was ever made for ``leerbaan`` (the edit rules tighten then)."""
    if leerbaan.pk is None:
        return False
    found = leerbanen_with_voordracht_counts(Leerbaan.objects.filter(pk=leerbaan.pk)).first()
    return bool(getattr(found, "voordrachten_total", 0))


def leerbanen_of_employer(*, user: PortalUser) -> QuerySet[Leerbaan]:
    """The werkgever's "Mijn leerbanen": ``leerbanen_owned_by`` with leerbedrijf, kwalificatie
    and vestiging, annotated with the voordracht counts; newest closing date last."""
    return leerbanen_with_voordracht_counts(
        leerbanen_owned_by(user=user).select_related(
            "leerbedrijf", "kwalificatie", "vestiging__postcode"
        )
    ).order_by("start_date", "titel", "pk")
