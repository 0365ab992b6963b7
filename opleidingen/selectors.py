"""Reads on the opleidingsaanbod and the mbo-instellingen."""

import dataclasses

from django.db.models import Prefetch

from opleidingen.constants import Leerweg
from opleidingen.models import Kwalificatie, MboInstelling, MboLocatie
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
