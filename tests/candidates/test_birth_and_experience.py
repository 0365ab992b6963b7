"""The candidate's birth date and place (school and consultant see them, a werkgever never) and
the consultant's record of the werkprocessen the candidate already masters."""

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from candidates import selectors, services
from candidates.forms import age_on
from candidates.models import Candidate
from opleidingen.constants import KerntaakDeel
from praktijkleren.workflow import TransitionRefused
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.candidates.factories import CandidateFactory, VoordrachtFactory
from tests.geo.factories import PostcodeFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    WerkprocesFactory,
)
from tests.trajecten.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

BIRTH_DATE = dt.date(1985, 3, 14)


# --- birth date and place ----------------------------------------------------------------------


def _intake(**overrides):
    return {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "postcode": "3511 AB",
        "wished_kwalificaties": [KwalificatieFactory().pk],
        "route": "diploma",
        "max_travel_km": 20,
        "hours_per_week": 32,
        "earliest_start_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **overrides,
    }


def test_the_intake_records_birth_date_and_place(client):
    PostcodeFactory(pc4="3511")
    client.force_login(UserFactory())
    response = client.post(
        reverse("candidates:candidate_create"),
        _intake(birth_date=BIRTH_DATE.isoformat(), birth_place="  Zwolle "),
    )
    candidate = Candidate.objects.get(last_name="de Vries")
    assert response["Location"] == candidate.get_absolute_url()
    assert (candidate.birth_date, candidate.birth_place) == (BIRTH_DATE, "Zwolle")


def test_birth_date_and_place_are_optional(client):
    PostcodeFactory(pc4="3511")
    client.force_login(UserFactory())
    client.post(reverse("candidates:candidate_create"), _intake(birth_date="", birth_place=""))
    candidate = Candidate.objects.get(last_name="de Vries")
    assert (candidate.birth_date, candidate.birth_place) == (None, "")


def _years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("birth_date", "accepted"),
    [
        (lambda: _years_ago(15), True),  # 15 today
        (lambda: _years_ago(15, days=1), False),  # 15 tomorrow
        (lambda: _years_ago(71, days=1), True),  # 70, 71 tomorrow
        (lambda: _years_ago(71), False),  # 71 today
        (lambda: timezone.localdate() + dt.timedelta(days=3), False),  # not born yet
    ],
)
def test_the_birth_date_makes_the_candidate_15_to_70_years_old(client, birth_date, accepted):
    PostcodeFactory(pc4="3511")
    client.force_login(UserFactory())
    response = client.post(
        reverse("candidates:candidate_create"), _intake(birth_date=birth_date().isoformat())
    )
    assert Candidate.objects.filter(last_name="de Vries").exists() == accepted
    if not accepted:
        html = response.content.decode()
        error = re.search(r'id="id_birth_date_error">(.*?)</div>', html, re.S)
        assert error
        assert "tussen 15 en 70 jaar oud" in error.group(1)


def test_age_counts_whole_years():
    assert age_on(dt.date(2000, 2, 29), dt.date(2015, 2, 28)) == 14
    assert age_on(dt.date(2000, 2, 29), dt.date(2015, 3, 1)) == 15
    assert age_on(dt.date(2000, 6, 1), dt.date(2026, 6, 1)) == 26


def test_the_consultant_and_the_school_see_birth_date_and_place(client):
    enrolment = EnrolmentFactory(candidate__birth_date=BIRTH_DATE, candidate__birth_place="Zwolle")
    candidate = enrolment.candidate
    client.force_login(candidate.consultant)
    html = client.get(candidate.get_absolute_url()).content.decode()
    assert "14 maart 1985" in html
    assert "Zwolle" in html
    client.force_login(UserFactory(organisation=enrolment.instelling.organisation))
    html = client.get(enrolment.get_absolute_url()).content.decode()
    assert "Geboortedatum" in html
    assert "14 maart 1985" in html
    assert "Zwolle" in html


def test_a_werkgever_never_sees_birth_date_or_place(client):
    candidate = CandidateFactory(
        status="geplaatst", birth_date=BIRTH_DATE, birth_place="Zwolle", bsn="111222333"
    )
    voordracht = VoordrachtFactory(candidate=candidate, status="aangenomen")
    enrolment = EnrolmentFactory(
        candidate=candidate, voordracht=voordracht, leerbaan=voordracht.leerbaan
    )
    seen = selectors.candidate_for_employer(candidate=candidate, voordracht=voordracht)
    assert not {"birth_date", "birth_place"} & set(vars(seen))
    client.force_login(UserFactory(organisation=voordracht.leerbaan.leerbedrijf.organisation))
    for url in (
        voordracht.get_absolute_url(),
        enrolment.get_absolute_url(),
        reverse("candidates:voordracht_list") + "?status=alle",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert candidate.last_name in html  # the page does show the (contact) profile
        for shown in ("14 maart 1985", "1985-03-14", "14-03-1985", "Zwolle", "Geboortedatum"):
            assert shown not in html, (url, shown)


# --- experience per werkproces -----------------------------------------------------------------


def _kwalificatie_with_werkprocessen(naam, dossier=None):
    kwalificatie = KwalificatieFactory(naam=naam, **({"dossier": dossier} if dossier else {}))
    basis = KerntaakFactory(dossier=kwalificatie.dossier, code="B1-K1", titel="Basistaak")
    profiel = KerntaakFactory(
        dossier=kwalificatie.dossier,
        deel=KerntaakDeel.PROFIEL,
        kwalificatie=kwalificatie,
        code="P1-K1",
        titel=f"Profieltaak {naam}",
    )
    return kwalificatie, [
        WerkprocesFactory(kerntaak=basis, code="B1-K1-W1", titel="Plannen"),
        WerkprocesFactory(kerntaak=profiel, code="P1-K1-W1", titel=f"Uitvoeren {naam}"),
    ]


@pytest.fixture
def known():
    return _kwalificatie_with_werkprocessen("Kok")


def test_the_page_groups_werkprocessen_per_kwalificatie_and_kerntaak(client, known):
    kwalificatie, (plannen, uitvoeren) = known
    unknown = KwalificatieFactory(naam="Onbekend vak")
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie, unknown])
    client.force_login(candidate.consultant)
    response = client.get(reverse("candidates:candidate_experience", args=[candidate.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{kwalificatie.crebo} Kok</h2>" in html
    assert "<legend" in html
    assert "Kerntaak B1-K1 Basistaak</legend>" in html
    label = re.search(rf'<label [^>]*for="werkproces-{plannen.pk}">(.*?)</label>', html)
    assert label
    assert label.group(1) == "B1-K1-W1 Plannen"
    assert f'id="werkproces-{uitvoeren.pk}"' in html
    onbekend = html.split("Onbekend vak</h2>")[1]
    assert "Voor deze kwalificatie zijn de werkprocessen niet bekend" in onbekend


def test_a_wished_dossier_brings_its_current_kwalificaties_and_lists_the_basisdeel_once(client):
    dossier = KwalificatiedossierFactory()
    kok, (plannen, _kok_uitvoeren) = _kwalificatie_with_werkprocessen("Kok", dossier)
    bakker = KwalificatieFactory(naam="Bakker", dossier=dossier)
    bakken = WerkprocesFactory(
        kerntaak=KerntaakFactory(
            dossier=dossier, deel=KerntaakDeel.PROFIEL, kwalificatie=bakker, code="P2-K1"
        ),
        code="P2-K1-W1",
        titel="Bakken",
    )
    KwalificatieFactory(naam="Oude opleiding", dossier=dossier, historic=True)
    candidate = CandidateFactory(wished_dossiers=[dossier])
    groups = selectors.candidate_experience_groups(candidate=candidate)
    assert [g.kwalificatie for g in groups] == [bakker, kok]
    assert [w for kt in groups[0].kerntaken for w in kt.werkprocessen] == [plannen, bakken]
    assert groups[1].shared_with == bakker
    client.force_login(candidate.consultant)
    html = client.get(reverse("candidates:candidate_experience", args=[candidate.pk])).content
    assert html.decode().count(f'id="werkproces-{plannen.pk}"') == 1
    assert "Oude opleiding" not in html.decode()


def test_saving_records_the_ticked_werkprocessen_keeps_others_and_is_audited(client, known):
    kwalificatie, (plannen, uitvoeren) = known
    _other, (elsewhere, _) = _kwalificatie_with_werkprocessen("Elders")
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie])
    candidate.experienced_werkprocessen.set([uitvoeren, elsewhere])
    client.force_login(candidate.consultant)
    url = reverse("candidates:candidate_experience", args=[candidate.pk])
    html = client.get(url).content.decode()
    assert re.search(rf'id="werkproces-{uitvoeren.pk}"[^>]* checked', html)
    assert "blijft bewaard" in html
    response = client.post(url, {"werkprocessen": [plannen.pk]})
    assert response["Location"] == candidate.get_absolute_url()
    assert set(candidate.experienced_werkprocessen.all()) == {plannen, elsewhere}
    entry = LogEntry.objects.get_for_object(candidate).filter(actor=candidate.consultant).first()
    assert entry is not None
    assert "experienced_werkprocessen" in str(entry.changes)
    page = client.get(candidate.get_absolute_url()).content.decode()
    assert "beheerst 2 werkprocessen" in page
    assert url in page


def test_a_foreign_or_unknown_werkproces_is_refused_at_the_field(client, known):
    kwalificatie, _ = known
    _other, (elsewhere, _) = _kwalificatie_with_werkprocessen("Elders")
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie])
    client.force_login(candidate.consultant)
    url = reverse("candidates:candidate_experience", args=[candidate.pk])
    for value in (elsewhere.pk, "x"):
        response = client.post(url, {"werkprocessen": [value]})
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()
    assert not candidate.experienced_werkprocessen.exists()


def test_only_the_candidates_consultant_may_record_experience(client, known):
    kwalificatie, werkprocessen = known
    candidate = CandidateFactory(wished_kwalificaties=[kwalificatie])
    for stranger in (
        UserFactory(),
        UserFactory(organisation=OrganisationFactory(werkgever=True)),
        UserFactory(organisation=OrganisationFactory(school=True)),
    ):
        with pytest.raises(TransitionRefused):
            services.candidate_experience_save(
                candidate=candidate, by=stranger, werkprocessen=werkprocessen
            )
        client.force_login(stranger)
        url = reverse("candidates:candidate_experience", args=[candidate.pk])
        assert client.post(url, {"werkprocessen": [werkprocessen[0].pk]}).status_code in (403, 404)
    assert not candidate.experienced_werkprocessen.exists()
    colleague = UserFactory(organisation=candidate.organisation)
    services.candidate_experience_save(
        candidate=candidate, by=colleague, werkprocessen=werkprocessen
    )
    assert set(candidate.experienced_werkprocessen.all()) == set(werkprocessen)
    services.candidate_experience_save(candidate=candidate, by=colleague, werkprocessen=[])
    assert not candidate.experienced_werkprocessen.exists()
