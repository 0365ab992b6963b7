"""Reads on leerbedrijven, erkenningen and leerbanen.

Places left on a leerbaan = ``places`` − its matches with status *geplaatst*. The count uses the
reverse relation ``Leerbaan.matches`` without importing ``candidates`` (dependencies run one way:
``leerbedrijven`` ← ``candidates``); ``PLACED_MATCH_STATUS`` mirrors
``candidates.constants.MatchStatus.GEPLAATST`` and a test keeps the two equal.
"""

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan, Leerbedrijf
from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie
from praktijkleren.accounts.constants import CONSULTANT_KINDS, OrganisationKind

# The match status that takes a place (candidates.constants.MatchStatus.GEPLAATST).
PLACED_MATCH_STATUS = "geplaatst"


def _placed_count() -> Coalesce:
    """SQL expression: the number of *geplaatst* matches of the outer leerbaan (0 if none)."""
    match_model = Leerbaan._meta.get_field("matches").related_model
    placed = (
        match_model.objects.filter(leerbaan=OuterRef("pk"), status=PLACED_MATCH_STATUS)
        .order_by()
        .values("leerbaan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(placed, output_field=IntegerField()), Value(0))


def erkenningen_valid_on(*, on_date: dt.date | F | OuterRef) -> QuerySet[Erkenning]:
    """BBL erkenningen valid on ``on_date`` (a date or an expression such as
    ``OuterRef("start_date")``): ``geldig_van <= on_date`` and ``geldig_tot`` empty (open-ended)
    or ``>= on_date``. Open-ended and later-ending erkenningen come first.

    Source: domain primer, 'Erkende leerbedrijven' (SBB erkent per kwalificatie and leerweg; a
    leerbaan is a BBL position).
    """
    return (
        Erkenning.objects.filter(leerweg=Leerweg.BBL, geldig_van__lte=on_date)
        .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=on_date))
        .order_by(F("geldig_tot").desc(nulls_first=True))
    )


def leerbanen_with_facts(queryset: QuerySet[Leerbaan] | None = None) -> QuerySet[Leerbaan]:
    """``queryset`` (default all leerbanen) annotated with what matching needs, in one query:

    - ``places_left`` (int): ``places`` − matches with status geplaatst;
    - ``erkend`` (bool): the leerbedrijf holds a BBL erkenning for the leerbaan's kwalificatie
      valid on the leerbaan's ``start_date``;
    - ``erkend_tot`` (date or None): the end of that erkenning (None: open-ended or none).
    """
    if queryset is None:
        queryset = Leerbaan.objects.all()
    valid = erkenningen_valid_on(on_date=OuterRef("start_date")).filter(
        leerbedrijf=OuterRef("leerbedrijf"), kwalificatie=OuterRef("kwalificatie")
    )
    return queryset.annotate(
        places_left=F("places") - _placed_count(),
        erkend=Exists(valid, output_field=BooleanField()),
        erkend_tot=Subquery(valid.values("geldig_tot")[:1], output_field=DateField()),
    )


def leerbanen_open(*, on_date: dt.date | None = None) -> QuerySet[Leerbaan]:
    """Leerbanen a candidate can still be proposed for on ``on_date`` (default today): status
    open, ``closing_date >= on_date`` and at least one place left. Annotated as
    ``leerbanen_with_facts``.
    """
    on_date = on_date or timezone.localdate()
    return leerbanen_with_facts(
        Leerbaan.objects.filter(status=LeerbaanStatus.OPEN, closing_date__gte=on_date)
    ).filter(places_left__gt=0)


def leerbaan_places_left(*, leerbaan: Leerbaan) -> int:
    """The places still free on ``leerbaan``: ``places`` − matches with status geplaatst, never
    below 0. One query."""
    placed = leerbaan.matches.filter(status=PLACED_MATCH_STATUS).count()
    return max(0, leerbaan.places - placed)


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


def leerbanen_visible_to(*, user) -> QuerySet[Leerbaan]:
    """The leerbanen ``user`` may see.

    - werkgever: every leerbaan (any status) of its organisation's leerbedrijven;
    - gemeente or UWV consultant: open leerbanen (``leerbanen_open`` for today);
    - anyone else (school, beheer, no organisation): none.
    """
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    if organisation is None:
        return Leerbaan.objects.none()
    if organisation.kind == OrganisationKind.WERKGEVER:
        return Leerbaan.objects.filter(leerbedrijf__organisation=organisation)
    if organisation.kind in CONSULTANT_KINDS:
        return leerbanen_open()
    return Leerbaan.objects.none()
