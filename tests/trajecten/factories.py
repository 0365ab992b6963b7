import datetime as dt

import factory
from django.utils import timezone

from leerbedrijven.models import Erkenning, Leerbaan
from opleidingen.constants import Route
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import (
    ErkenningFactory,
    LeerbaanFactory,
    PraktijkopleiderFactory,
)
from tests.opleidingen.factories import KwalificatieFactory, MboInstellingFactory
from trajecten.models import Enrolment, Onderwijsovereenkomst, Praktijkovereenkomst


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An aangevraagd enrolment at an mbo-instelling (pass ``status``, ``start_date``,
    ``end_reason`` for other states)."""

    class Meta:
        model = Enrolment

    candidate = factory.SubFactory(CandidateFactory, status="geplaatst")
    leerbaan = factory.SubFactory(LeerbaanFactory)
    instelling = factory.SubFactory(MboInstellingFactory)
    kwalificatie = factory.SubFactory(KwalificatieFactory)
    route = Route.DIPLOMA


def make_ready(enrolment, *, capacity=1):
    """Make ``enrolment`` (with a leerbaan) ready to start: its leerbaan names an active
    praktijkopleider with room for ``capacity`` candidates, its leerbedrijf is erkend for the
    enrolment's kwalificatie in BBL without end date, and a POK (24 hours a week, signed by all
    three) and a signed OOK are recorded. Returns the enrolment."""
    today = timezone.localdate()
    leerbaan = enrolment.leerbaan
    if leerbaan.praktijkopleider is None:
        leerbaan.praktijkopleider = PraktijkopleiderFactory(
            leerbedrijf=leerbaan.leerbedrijf, vestiging=leerbaan.vestiging, capacity=capacity
        )
        Leerbaan.objects.filter(pk=leerbaan.pk).update(praktijkopleider=leerbaan.praktijkopleider)
    on = enrolment.start_date or today
    erkend = Erkenning.objects.valid_on(on).filter(
        leerbedrijf=leerbaan.leerbedrijf, kwalificatie=enrolment.kwalificatie
    )
    if not erkend.exists():
        ErkenningFactory(
            leerbedrijf=leerbaan.leerbedrijf,
            kwalificatie=enrolment.kwalificatie,
            geldig_van=dt.date(2000, 1, 1),
            geldig_tot=None,
        )
    Praktijkovereenkomst.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "period_start": today,
            "period_end": today + dt.timedelta(days=365),
            "hours_per_week": 24,
            "hours_spread": "Maandag tot en met woensdag, 8 uur per dag.",
            "guidance": "De praktijkopleider, elke week een gesprek.",
            "onderdeel": "Alle werkprocessen van het profiel.",
            "assessment": "Proeve van bekwaamheid in de praktijk.",
            "signed_by_school": today,
            "signed_by_candidate": today,
            "signed_by_leerbedrijf": today,
        },
    )
    Onderwijsovereenkomst.objects.update_or_create(
        enrolment=enrolment, defaults={"signed_on": today}
    )
    return enrolment
