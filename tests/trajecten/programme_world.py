"""A small world for the programme and progress tests: a school, a werkgever and a consultant,
and an enrolment of the consultant's candidate at the school for the werkgever's leerbaan, whose
kwalificatie has three werkprocessen (basisdeel) and one of another kwalificatie's profile."""

import dataclasses
import datetime as dt
from typing import Any

from django.utils import timezone

from candidates.constants import CandidateStatus
from opleidingen.constants import KerntaakDeel, Route
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatieFactory,
    MboInstellingFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory
from trajecten.constants import EnrolmentStatus


@dataclasses.dataclass
class World:
    school: Any
    werkgever: Any
    consultant: Any
    enrolment: Any
    werkprocessen: list
    strangers: dict


def build(
    *,
    route: str = Route.DIPLOMA,
    status: str = EnrolmentStatus.GESTART,
    start_days_ago: int = 10,
    niveau: int = 3,
) -> World:
    school = UserFactory(organisation=OrganisationFactory(school=True))
    werkgever = UserFactory(organisation=OrganisationFactory(werkgever=True))
    consultant = UserFactory()
    kwalificatie = KwalificatieFactory(niveau=niveau)
    kerntaak = KerntaakFactory(dossier=kwalificatie.dossier, deel=KerntaakDeel.BASIS)
    werkprocessen = WerkprocesFactory.create_batch(3, kerntaak=kerntaak)
    leerbaan = LeerbaanFactory(
        leerbedrijf__organisation=werkgever.organisation, kwalificatie=kwalificatie
    )
    candidate_status = (
        CandidateStatus.IN_OPLEIDING
        if status == EnrolmentStatus.GESTART
        else CandidateStatus.GEPLAATST
    )
    enrolment = EnrolmentFactory(
        candidate=CandidateFactory(consultant=consultant, status=candidate_status),
        leerbaan=leerbaan,
        kwalificatie=kwalificatie,
        instelling=MboInstellingFactory(organisation=school.organisation),
        route=route,
        status=status,
        start_date=timezone.localdate() - dt.timedelta(days=start_days_ago),
    )
    strangers = {
        "school": UserFactory(organisation=OrganisationFactory(school=True)),
        "werkgever": UserFactory(organisation=OrganisationFactory(werkgever=True)),
        "consultant": UserFactory(),
    }
    return World(school, werkgever, consultant, enrolment, werkprocessen, strangers)
