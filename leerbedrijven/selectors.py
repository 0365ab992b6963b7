"""Reads on leerbedrijven, erkenningen and leerbanen.

Places left on a leerbaan = ``places`` − ``places_taken``; the counter is kept by
``leerbedrijven.services.leerbaan_place_take`` when a voordracht is accepted, so this app never
reads the voordrachten of the app above it (dependencies run one way: ``leerbedrijven`` ←
``candidates``).
"""

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    F,
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
