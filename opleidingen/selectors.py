"""Reads on the kwalificatiestructuur (werkprocessen, certificaten), the opleidingsaanbod and
the mbo-instellingen."""

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opleidingen.constants import KerntaakDeel, Leerweg
from opleidingen.models import (
    Certificaat,
    Kerntaak,
    Kwalificatie,
    MboInstelling,
    MboLocatie,
    Opleidingsaanbod,
    StartMoment,
    Werkproces,
)
from praktijkleren.accounts.selectors import organisation_of
from praktijkleren.geo.selectors import EARTH_RADIUS_KM, distance_km

SEARCH_RADIUS_KM = 50.0
_KM_PER_DEGREE_LAT = math.radians(1) * EARTH_RADIUS_KM
_BOX_MARGIN = 1.001


@dataclasses.dataclass(frozen=True)
class OfferingInstelling:
    """An mbo-instelling that offers a kwalificatie, with its location nearest to the point
    asked about and the distance to it in km (both None when its locations are not known)."""

    instelling: MboInstelling
    locatie: MboLocatie | None
    km: float | None


def instellingen_offering(
    *, kwalificatie: Kwalificatie, lat: float, lon: float, leerweg: str = Leerweg.BBL
) -> list[OfferingInstelling]:
    """The mbo-instellingen whose opleidingsaanbod has ``kwalificatie`` in ``leerweg`` (default
    BBL), nearest first: by the great-circle distance in km from the point ``lat``/``lon``
    (WGS84 degrees) to the instelling's nearest location; instellingen without known locations
    come last, by name. Two queries."""
    instellingen = (
        MboInstelling.objects.filter(aanbod__kwalificatie=kwalificatie, aanbod__leerweg=leerweg)
        .distinct()
        .prefetch_related(Prefetch("locaties", queryset=MboLocatie.objects.order_by("brinvest")))
    )
    found = []
    for instelling in instellingen:
        nearest = min(
            ((distance_km(lat, lon, loc.lat, loc.lon), loc) for loc in instelling.locaties.all()),
            default=None,
            key=lambda pair: pair[0],
        )
        km, locatie = nearest if nearest else (None, None)
        found.append(OfferingInstelling(instelling=instelling, locatie=locatie, km=km))
    found.sort(key=lambda o: (o.km is None, o.km or 0.0, o.instelling.naam, o.instelling.pk))
    return found


def werkprocessen_of(*, kwalificatie: Kwalificatie) -> QuerySet[Werkproces]:
    """The werkprocessen of ``kwalificatie``: those of its dossier's basisdeel and of its own
    profieldeel (domain primer, 'The qualification structure'), from either source (SBB's XML,
    coded; the beroepen-app, codeless titles: ``WerkprocesBron``). Ordered by kerntaak (code,
    then position) and within it by werkproces code, then position: coded ones read
    ``B1-K1-W1, B1-K1-W2, ..., P1-K1-W1``, codeless ones keep the source's order. Empty for a
    kwalificatie without a dossier or without imported werkprocessen."""
    return (
        Werkproces.objects.filter(kerntaak__dossier_id=kwalificatie.dossier_id)
        .filter(Q(kerntaak__deel=KerntaakDeel.BASIS) | Q(kerntaak__kwalificatie_id=kwalificatie.pk))
        .select_related("kerntaak")
        .order_by("kerntaak__code", "kerntaak__position", "code", "position", "pk")
    )


def werkprocessen_known(*, kwalificatie: Kwalificatie) -> bool:
    """True when ``werkprocessen_of(kwalificatie=...)`` has any (one query): for most
    kwalificaties no werkprocessen are imported (shared/data/SOURCES.md §3), and then what is
    practised cannot be recorded per werkproces."""
    return werkprocessen_of(kwalificatie=kwalificatie).exists()


def certificaten_for(*, kwalificatie: Kwalificatie) -> QuerySet[Certificaat]:
    """The mbo-certificaten attached to ``kwalificatie`` (real and demo: ``is_demo`` tells),
    by name then code, with their werkprocessen and their kerntaken with those kerntaken's
    werkprocessen prefetched, each werkproces with its kerntaak (four queries when
    evaluated)."""
    werkprocessen = Werkproces.objects.select_related("kerntaak").order_by(
        "kerntaak__code", "kerntaak__position", "code", "position"
    )
    return (
        Certificaat.objects.filter(kwalificaties=kwalificatie)
        .prefetch_related(
            Prefetch("werkprocessen", queryset=werkprocessen),
            Prefetch(
                "kerntaken",
                queryset=Kerntaak.objects.order_by("code", "position").prefetch_related(
                    Prefetch("werkprocessen", queryset=werkprocessen)
                ),
            ),
        )
        .order_by("naam", "code")
    )


def werkproces_codes_of(*, kwalificaties: Iterable[Kwalificatie]) -> dict[int, dict[str, int]]:
    """Per kwalificatie id the werkprocessen that belong to it, as ``{code: werkproces id}``:
    the basisdeel of its dossier plus its own profieldeel (``B1-K1-W3``, ``P2-K1-W1``). A
    kwalificatie without imported werkprocessen maps to ``{}``. Codeless werkprocessen (the
    beroepen-app's titles) cannot be named by code and are left out. One query."""
    dossier_of = {k.pk: k.dossier_id for k in kwalificaties}
    result: dict[int, dict[str, int]] = {pk: {} for pk in dossier_of}
    if not dossier_of:
        return result
    rows = (
        Werkproces.objects.filter(
            Q(kerntaak__kwalificatie__in=list(dossier_of))
            | Q(
                kerntaak__deel=KerntaakDeel.BASIS,
                kerntaak__dossier__in={d for d in dossier_of.values() if d is not None},
            )
        )
        .exclude(code="")
        .values_list("pk", "code", "kerntaak__kwalificatie_id", "kerntaak__dossier_id")
    )
    basis: dict[int, dict[str, int]] = defaultdict(dict)
    for pk, code, kwalificatie_id, dossier_id in rows:
        if kwalificatie_id is None:
            basis[dossier_id][code] = pk
        elif kwalificatie_id in result:
            result[kwalificatie_id][code] = pk
    for pk, dossier in dossier_of.items():
        if dossier is not None:
            result[pk] = {**basis.get(dossier, {}), **result[pk]}
    return result


@dataclasses.dataclass(frozen=True)
class AanbodNearby:
    """An opleidingsaanbod found near a point: its ``locatie`` nearest to that point, the
    great-circle distance ``km`` to it, and its first start moment with room on or after the
    day asked about (``next_start``, None when it has none)."""

    aanbod: Opleidingsaanbod
    locatie: MboLocatie
    km: float
    next_start: StartMoment | None


def _box(lat: float, lon: float, km: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The lat and lon ranges (degrees) of a box holding every point within ``km`` of
    ``lat``/``lon``, with a small margin."""
    dlat = km / _KM_PER_DEGREE_LAT * _BOX_MARGIN
    edge = min(89.0, abs(lat) + dlat)
    ratio = math.sin(km / EARTH_RADIUS_KM) / math.cos(math.radians(edge))
    dlon = (180.0 if ratio >= 1 else math.degrees(math.asin(ratio))) * _BOX_MARGIN
    return (lat - dlat, lat + dlat), (lon - dlon, lon + dlon)


def aanbod_near(
    *,
    kwalificatie: Kwalificatie,
    lat: float,
    lon: float,
    on_date: dt.date,
    leerweg: str = Leerweg.BBL,
    km: float = SEARCH_RADIUS_KM,
) -> list[AanbodNearby]:
    """The opleidingsaanbod of ``kwalificatie`` in ``leerweg`` (default BBL) given at a
    location within ``km`` (great-circle, default 50) of the point ``lat``/``lon`` (WGS84
    degrees), nearest location first (then instelling name). Locations are prefiltered on a
    lat/lon box, then measured with the haversine formula. ``next_start`` is the first start
    moment with room (places taken below capacity) on or after ``on_date``. Aanbod without a
    location within reach is left out. Three queries."""
    lat_range, lon_range = _box(lat, lon, km)
    nearby = MboLocatie.objects.filter(lat__range=lat_range, lon__range=lon_range)
    offers = (
        Opleidingsaanbod.objects.filter(
            kwalificatie=kwalificatie, leerweg=leerweg, locaties__in=nearby
        )
        .distinct()
        .select_related("instelling", "kwalificatie")
        .prefetch_related(
            Prefetch("locaties", queryset=nearby.order_by("brinvest"), to_attr="nearby"),
            Prefetch(
                "startmomenten",
                queryset=StartMoment.objects.filter(
                    start_date__gte=on_date, places_taken__lt=F("capacity")
                ).order_by("start_date"),
                to_attr="upcoming",
            ),
        )
    )
    found = []
    for aanbod in offers:
        measured = [(distance_km(lat, lon, loc.lat, loc.lon), loc) for loc in aanbod.nearby]
        distance, locatie = min(measured, key=lambda pair: pair[0])
        if distance <= km:
            upcoming = aanbod.upcoming[0] if aanbod.upcoming else None
            found.append(AanbodNearby(aanbod, locatie, distance, upcoming))
    found.sort(key=lambda f: (f.km, f.aanbod.instelling.naam, f.aanbod.pk))
    return found


def _with_room(*, kwalificatie: Kwalificatie, from_date: dt.date) -> QuerySet[StartMoment]:
    """Start moments of BBL aanbod of ``kwalificatie`` on or after ``from_date`` that still
    have a place (``places_taken < capacity``), earliest first."""
    return StartMoment.objects.filter(
        aanbod__kwalificatie=kwalificatie,
        aanbod__leerweg=Leerweg.BBL,
        start_date__gte=from_date,
        places_taken__lt=F("capacity"),
    ).order_by("start_date", "pk")


def startmomenten_with_room(
    *, instelling: MboInstelling, kwalificatie: Kwalificatie, from_date: dt.date
) -> QuerySet[StartMoment]:
    """The start moments of ``instelling``'s BBL aanbod of ``kwalificatie`` on or after
    ``from_date`` that still have a place (``places_taken < capacity``), earliest first, with
    their aanbod and its instelling."""
    return (
        _with_room(kwalificatie=kwalificatie, from_date=from_date)
        .filter(aanbod__instelling=instelling)
        .select_related("aanbod__instelling")
    )


def next_startmomenten_with_room(
    *, instelling_ids: Iterable[int], kwalificatie: Kwalificatie, from_date: dt.date
) -> dict[int, StartMoment]:
    """Per instelling id among ``instelling_ids`` its first start moment with room for
    ``kwalificatie`` in BBL on or after ``from_date`` (``startmomenten_with_room``);
    instellingen without one are left out, the aanbod's locations prefetched. Two queries."""
    found: dict[int, StartMoment] = {}
    rows = (
        _with_room(kwalificatie=kwalificatie, from_date=from_date)
        .filter(aanbod__instelling_id__in=list(instelling_ids))
        .select_related("aanbod")
        .prefetch_related(
            Prefetch("aanbod__locaties", queryset=MboLocatie.objects.order_by("naam", "brinvest"))
        )
    )
    for moment in rows:
        found.setdefault(moment.aanbod.instelling_id, moment)
    return found


def startmoment_label(startmoment: StartMoment) -> str:
    """How a choice list names a start moment: ``"1 september 2027 (12 van 20 plaatsen vrij),
    locatie Utrecht Noord (Utrecht)"``; the aanbod's locations, when it has any, are named.
    Reads ``startmoment.aanbod.locaties`` (prefetch it for lists)."""
    text = _("%(datum)s (%(vrij)d van %(capacity)d plaatsen vrij)") % {
        "datum": date_format(startmoment.start_date, "j F Y"),
        "vrij": startmoment.places_left,
        "capacity": startmoment.capacity,
    }
    locaties = [f"{loc.naam} ({loc.plaats})" for loc in startmoment.aanbod.locaties.all()]
    if locaties:
        text += ", " + _("locatie %(locaties)s") % {"locaties": "; ".join(locaties)}
    return text


def aanbod_of(*, instelling: MboInstelling) -> QuerySet[Opleidingsaanbod]:
    """The opleidingsaanbod of ``instelling`` with its kwalificatie, locations and start
    moments (by date), ordered by kwalificatie name and leerweg. Three queries."""
    return (
        Opleidingsaanbod.objects.filter(instelling=instelling)
        .select_related("kwalificatie")
        .prefetch_related(
            Prefetch("locaties", queryset=MboLocatie.objects.order_by("naam", "brinvest")),
            Prefetch("startmomenten", queryset=StartMoment.objects.order_by("start_date")),
        )
        .order_by("kwalificatie__naam", "kwalificatie__crebo", "leerweg")
    )


def aanbod_visible_to(*, user: Any) -> QuerySet[Opleidingsaanbod]:
    """The opleidingsaanbod ``user`` keeps: that of the mbo-instelling its organisation is
    (``MboInstelling.organisation``); none for anyone else."""
    organisation = organisation_of(user)
    if organisation is None:
        return Opleidingsaanbod.objects.none()
    return Opleidingsaanbod.objects.filter(instelling__organisation=organisation)


def startmomenten_visible_to(*, user: Any) -> QuerySet[StartMoment]:
    """The start moments of the opleidingsaanbod ``user`` keeps (``aanbod_visible_to``)."""
    return StartMoment.objects.filter(aanbod__in=aanbod_visible_to(user=user)).select_related(
        "aanbod__instelling", "aanbod__kwalificatie"
    )
