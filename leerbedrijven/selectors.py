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
    DateField,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone

from leerbedrijven.constants import CLOSING_TIME_ZONE, LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan, Leerbedrijf, Praktijkopleider
from opleidingen.constants import KerntaakDeel, Leerweg
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind
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


# --- the employer's own leerbanen ---------------------------------------------------------


def leerbedrijven_of(*, user: PortalUser) -> QuerySet[Leerbedrijf]:
    """The leerbedrijven of ``user``'s werkgever organisation (none for anyone else), by name."""
    organisation = organisation_of(user)
    if organisation is None or organisation.kind != OrganisationKind.WERKGEVER:
        return Leerbedrijf.objects.none()
    return Leerbedrijf.objects.filter(organisation=organisation).order_by("naam", "pk")


def kwalificaties_erkend(
    *, leerbedrijf: Leerbedrijf, from_date: dt.date | None = None
) -> QuerySet[Kwalificatie]:
    """The kwalificaties ``leerbedrijf`` holds a BBL erkenning for that has not ended before
    ``from_date`` (default today in Europe/Amsterdam): what a new leerbaan may be offered for.
    Whether the erkenning covers the leerbaan's start date is ``erkenning_valid_on``'s to say."""
    from_date = from_date or closing_today()
    erkend = Erkenning.objects.filter(leerbedrijf=leerbedrijf, leerweg=Leerweg.BBL).filter(
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=from_date)
    )
    return Kwalificatie.objects.filter(pk__in=erkend.values("kwalificatie_id")).order_by(
        "naam", "niveau", "crebo"
    )


def werkprocessen_of(*, kwalificatie: Kwalificatie) -> QuerySet[Werkproces]:
    """The werkprocessen of ``kwalificatie``: those of its dossier's basisdeel and of its own
    profieldeel (domain primer, 'The qualification structure'), by code."""
    return (
        Werkproces.objects.filter(kerntaak__dossier_id=kwalificatie.dossier_id)
        .filter(Q(kerntaak__deel=KerntaakDeel.BASIS) | Q(kerntaak__kwalificatie_id=kwalificatie.pk))
        .select_related("kerntaak")
        .order_by("code", "pk")
    )


def praktijkopleiders_for(
    *, leerbedrijf: Leerbedrijf, kwalificatie: Kwalificatie | None = None
) -> QuerySet[Praktijkopleider]:
    """The active praktijkopleiders of ``leerbedrijf`` (who may supervise ``kwalificatie``, when
    given), by name."""
    found = Praktijkopleider.objects.filter(leerbedrijf=leerbedrijf, is_active=True)
    if kwalificatie is not None:
        found = found.filter(kwalificaties=kwalificatie)
    return found.order_by("naam", "pk")


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
