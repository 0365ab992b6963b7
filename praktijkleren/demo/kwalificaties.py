"""Which real kwalificaties the demo uses: current BBL ones, grouped by demo sector, with their
imported werkprocessen."""

from collections import defaultdict

from django.db.models import Q

from opleidingen.constants import KerntaakDeel
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.demo.texts import SECTORS


def sectorkamer_of(kwalificatie: Kwalificatie) -> str:
    """The SBB sectorkamer code of a kwalificatie, else of its dossier, else ``""``."""
    if kwalificatie.sectorkamer_code:
        return kwalificatie.sectorkamer_code
    return kwalificatie.dossier.sectorkamer_code if kwalificatie.dossier_id else ""


def kwalificatie_pools() -> dict[str, list[Kwalificatie]]:
    """Current (``is_current``) BBL kwalificaties with a niveau, per sector key of
    ``texts.SECTORS``: those of the sector's sectorkamers whose name has one of its keywords,
    or (when none has) all of its sectorkamers. Kwalificaties without a sectorkamer count by
    keyword only. Sectors without any kwalificatie are left out. Ordered by crebo."""
    current = list(
        Kwalificatie.objects.filter(is_current=True, bbl=True, niveau__isnull=False)
        .select_related("dossier")
        .order_by("crebo")
    )
    pools: dict[str, list[Kwalificatie]] = {}
    for sector in SECTORS:
        in_kamer = [k for k in current if sectorkamer_of(k) in sector.sectorkamers]
        narrowed = [
            k
            for k in current
            if sectorkamer_of(k) in (*sector.sectorkamers, "")
            and any(word in k.naam.lower() for word in sector.keywords)
        ]
        if narrowed or in_kamer:
            pools[sector.key] = narrowed or in_kamer
    return pools


def werkprocessen_by_kwalificatie(kwalificaties: list[Kwalificatie]) -> dict[int, list[int]]:
    """Werkproces ids per kwalificatie id: its dossier's basisdeel plus its own profieldeel,
    ordered by kerntaak code and werkproces code. Kwalificaties without any are absent."""
    dossier_of = {k.pk: k.dossier_id for k in kwalificaties}
    rows = (
        Werkproces.objects.filter(
            Q(kerntaak__kwalificatie__in=dossier_of)
            | Q(kerntaak__deel=KerntaakDeel.BASIS, kerntaak__dossier__in=set(dossier_of.values()))
        )
        .order_by("kerntaak__code", "code", "pk")
        .values_list("pk", "kerntaak__kwalificatie_id", "kerntaak__dossier_id")
    )
    basis: dict[int, list[int]] = defaultdict(list)
    profiel: dict[int, list[int]] = defaultdict(list)
    for wp_id, kwalificatie_id, dossier_id in rows:
        if kwalificatie_id is None:
            basis[dossier_id].append(wp_id)
        else:
            profiel[kwalificatie_id].append(wp_id)
    result = {pk: basis.get(dossier_of[pk], []) + profiel.get(pk, []) for pk in dossier_of}
    return {pk: wps for pk, wps in result.items() if wps}
