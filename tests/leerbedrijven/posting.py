"""A werkgever ready to post leerbanen: its leerbedrijf with a vestiging, a kwalificatie with
werkprocessen it is erkend for (BBL, from ``ERKEND_VAN`` to ``ERKEND_TOT``), a praktijkopleider
who supervises it, and the fields of a valid leerbaan (dates relative to today)."""

import dataclasses
import datetime as dt
from typing import Any

from django.utils import timezone

from leerbedrijven.models import Erkenning, Leerbedrijf, Praktijkopleider, Vestiging
from opleidingen.constants import KerntaakDeel
from opleidingen.models import Kwalificatie, Werkproces
from praktijkleren.accounts.models import User
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.leerbedrijven.factories import ErkenningFactory, LeerbedrijfFactory, VestigingFactory
from tests.opleidingen.factories import KerntaakFactory, KwalificatieFactory, WerkprocesFactory


@dataclasses.dataclass
class Posting:
    user: User
    leerbedrijf: Leerbedrijf
    vestiging: Vestiging
    kwalificatie: Kwalificatie
    werkprocessen: list[Werkproces]
    erkenning: Erkenning
    opleider: Praktijkopleider

    def fields(self, **changes: Any) -> dict[str, Any]:
        today = timezone.localdate()
        fields = {
            "titel": "Verzorgende in de wijk",
            "omschrijving": "Meewerken in het wijkteam.",
            "vestiging": self.vestiging,
            "kwalificatie": self.kwalificatie,
            "werkprocessen": self.werkprocessen[:1],
            "supports_praktijkverklaring": True,
            "supports_certificaat": False,
            "supports_diploma": False,
            "hours_per_week": 24,
            "places": 2,
            "start_date": today + dt.timedelta(days=60),
            "closing_date": today + dt.timedelta(days=30),
            "praktijkopleider": self.opleider,
            "external_ref": "",
        }
        fields.update(changes)
        return fields


def posting_make(*, organisation=None, erkend_tot: dt.date | None = None) -> Posting:
    """A werkgever (of ``organisation``, default a new one) with everything a leerbaan needs;
    the erkenning runs from a year ago until ``erkend_tot`` (default open-ended)."""
    organisation = organisation or OrganisationFactory(werkgever=True)
    user = UserFactory(organisation=organisation)
    leerbedrijf = LeerbedrijfFactory(organisation=organisation)
    vestiging = VestigingFactory(leerbedrijf=leerbedrijf)
    kwalificatie = KwalificatieFactory()
    kerntaak = KerntaakFactory(dossier=kwalificatie.dossier, deel=KerntaakDeel.BASIS)
    werkprocessen = [WerkprocesFactory(kerntaak=kerntaak) for _ in range(3)]
    erkenning = ErkenningFactory(
        leerbedrijf=leerbedrijf,
        kwalificatie=kwalificatie,
        geldig_van=timezone.localdate() - dt.timedelta(days=365),
        geldig_tot=erkend_tot,
    )
    opleider = Praktijkopleider.objects.create(
        leerbedrijf=leerbedrijf, vestiging=vestiging, naam="Anna de Vries", email="anna@example.nl"
    )
    opleider.kwalificaties.add(kwalificatie)
    return Posting(user, leerbedrijf, vestiging, kwalificatie, werkprocessen, erkenning, opleider)
