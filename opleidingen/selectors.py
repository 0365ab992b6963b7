"""Reads on the opleidingsaanbod and the mbo-instellingen."""

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q

from opleidingen.constants import KerntaakDeel, Leerweg
from opleidingen.models import Kwalificatie, MboInstelling, MboLocatie, Werkproces
from praktijkleren.geo.selectors import distance_km


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


def werkproces_codes_of(*, kwalificaties: Iterable[Kwalificatie]) -> dict[int, dict[str, int]]:
    """Per kwalificatie id the werkprocessen that belong to it, as ``{code: werkproces id}``:
    the basisdeel of its dossier plus its own profieldeel (``B1-K1-W3``, ``P2-K1-W1``). A
    kwalificatie without imported werkprocessen maps to ``{}``. One query."""
    dossier_of = {k.pk: k.dossier_id for k in kwalificaties}
    result: dict[int, dict[str, int]] = {pk: {} for pk in dossier_of}
    if not dossier_of:
        return result
    rows = Werkproces.objects.filter(
        Q(kerntaak__kwalificatie__in=list(dossier_of))
        | Q(
            kerntaak__deel=KerntaakDeel.BASIS,
            kerntaak__dossier__in={d for d in dossier_of.values() if d is not None},
        )
    ).values_list("pk", "code", "kerntaak__kwalificatie_id", "kerntaak__dossier_id")
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
