"""``manage.py seed_demo``: the demo region on (factory-made) reference data, its workflows and
histories, and a second run that keeps what users entered."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from stdnum.nl import bsn as bsn_nummer

from candidates.constants import OPEN_VOORDRACHT_STATUSES, CandidateStatus, VoordrachtStatus
from candidates.models import Candidate, CandidateTransition, Voordracht, VoordrachtTransition
from candidates.services import candidate_register, flow_close_due, voordracht_invite
from leerbedrijven.constants import LeerbaanStatus
from leerbedrijven.models import Erkenning, Leerbaan, LeerbaanTransition, Leerbedrijf, Vestiging
from opleidingen.constants import KerntaakDeel, Leerweg, Route
from opleidingen.models import MboInstelling, MboLocatie, Opleidingsaanbod
from opleidingen.selectors import instellingen_offering
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.geo.models import Postcode
from praktijkleren.workflow import action_of
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.geo.factories import ArbeidsmarktregioFactory, GemeenteFactory, PostcodeFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    MboInstellingFactory,
    WerkprocesFactory,
)
from tests.workflows.conftest import interview
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment, EnrolmentTransition
from trajecten.services import voordracht_accept

PASSWORD = "demo-wachtwoord-test"
TODAY = "2026-03-02"
DAY_START = timezone.make_aware(dt.datetime(2026, 3, 2))
# The demo objects of each workflow model, with their log model and its foreign key.
WORKFLOWS = {
    Candidate: (Q(is_demo=True), CandidateTransition, "candidate"),
    Voordracht: (Q(candidate__is_demo=True), VoordrachtTransition, "voordracht"),
    Leerbaan: (Q(is_demo=True), LeerbaanTransition, "leerbaan"),
    Enrolment: (Q(candidate__is_demo=True), EnrolmentTransition, "enrolment"),
}
CREATION_NAMES = {"register", "make", "request"}
C, V, E = CandidateStatus, VoordrachtStatus, EnrolmentStatus

pytestmark = pytest.mark.django_db


def _kwalificaties():
    """Two zorg kwalificaties with werkprocessen, techniek and handel ones, and two that the
    demo must never use: a historic one and a BOL-only one."""
    zorg = KwalificatiedossierFactory(code="23183", naam="Pedagogisch werk", sectorkamer_code="03")
    kinderopvang = KwalificatieFactory(
        crebo="25498", naam="Pedagogisch medewerker kinderopvang", dossier=zorg,
        sectorkamer_code="03",
    )  # fmt: skip
    KwalificatieFactory(
        crebo="25499", naam="Gespecialiseerd pedagogisch medewerker", niveau=4, dossier=zorg,
        sectorkamer_code="03",
    )  # fmt: skip
    basis = KerntaakFactory(dossier=zorg, code="B1-K1", titel="Begeleiden van kinderen")
    profiel = KerntaakFactory(
        dossier=zorg, kwalificatie=kinderopvang, deel=KerntaakDeel.PROFIEL, code="P1-K1"
    )
    for kerntaak in (basis, basis, profiel):
        WerkprocesFactory(kerntaak=kerntaak)
    techniek = KwalificatiedossierFactory(code="23300", naam="Installatie", sectorkamer_code="01")
    KwalificatieFactory(
        crebo="25340", naam="Monteur elektrotechnische installaties", dossier=techniek,
        sectorkamer_code="01",
    )  # fmt: skip
    handel = KwalificatiedossierFactory(code="23400", naam="Retail", sectorkamer_code="04")
    KwalificatieFactory(
        crebo="25800", naam="Verkoper", niveau=2, dossier=handel, sectorkamer_code="04"
    )
    KwalificatieFactory(
        crebo="10501", naam="Pedagogisch werker kinderopvang", dossier=zorg, sectorkamer_code="03",
        is_current=False,
    )  # fmt: skip
    KwalificatieFactory(
        crebo="25484", naam="Sociaal werker", dossier=zorg, sectorkamer_code="03", bbl=False
    )


def _schools():
    """Three mbo-instellingen: ROC Midden Nederland with a location in Utrecht, MBO Utrecht
    with one in Zeist (nearer to Zeist's candidates), ROC Ter AA (not picked)."""
    for brin, naam, plaats, lat, lon in (
        ("25LH", "ROC Midden Nederland", "Utrecht", 52.090, 5.110),
        ("30RN", "MBO Utrecht", "Zeist", 52.085, 5.240),
    ):
        instelling = MboInstellingFactory(brin=brin, naam=naam, organisation=None)
        MboLocatie.objects.create(
            instelling=instelling, brinvest=f"{brin}00", naam=naam, postcode="3500 AA",
            plaats=plaats, lat=lat, lon=lon,
        )  # fmt: skip
    MboInstellingFactory(brin="25LJ", naam="ROC Ter AA", organisation=None)


def _real_data(home: Postcode) -> dict:
    """A published leerbaan and a candidate of organisations that are not demo."""
    kwalificatie = KwalificatieFactory(crebo="25001", naam="Echte kwalificatie", bbl=True)
    werkgever = OrganisationFactory(werkgever=True)
    leerbedrijf = Leerbedrijf.objects.create(
        organisation=werkgever, naam="Echt bedrijf", kvk_nummer="12345678"
    )
    vestiging = Vestiging.objects.create(
        leerbedrijf=leerbedrijf, vestigingsnummer="100000000001", naam="Echt", postcode=home
    )
    leerbaan = Leerbaan.objects.create(
        leerbedrijf=leerbedrijf, vestiging=vestiging, kwalificatie=kwalificatie, titel="Echt",
        hours_per_week=32, start_date=dt.date(2030, 9, 1), closing_date=dt.date(2030, 8, 1),
        status=LeerbaanStatus.GEPUBLICEERD,
    )  # fmt: skip
    consultant = UserFactory(organisation=OrganisationFactory(gemeente=home.gemeente))
    candidate = Candidate.objects.create(
        organisation=consultant.organisation, consultant=consultant, first_name="Echt",
        last_name="Mens", postcode=home, route=Route.DIPLOMA,
        earliest_start_date=dt.date(2026, 9, 1),
    )  # fmt: skip
    return {"real_leerbaan": leerbaan, "real_candidate": candidate}


@pytest.fixture
def reference():
    """A small Midden-Utrecht (two gemeenten, five PC4s), a neighbouring region, kwalificaties
    and mbo-instellingen, plus some real (non-demo) portal data that seeding must leave alone."""
    region = ArbeidsmarktregioFactory(code="AM13", naam="Midden-Utrecht")
    utrecht = GemeenteFactory(code="GM0344", naam="Utrecht", arbeidsmarktregio=region)
    zeist = GemeenteFactory(code="GM0355", naam="Zeist", arbeidsmarktregio=region)
    amersfoort = GemeenteFactory(
        code="GM0307", naam="Amersfoort", arbeidsmarktregio=ArbeidsmarktregioFactory(code="AM14")
    )
    for pc4, gemeente, lat, lon in (
        ("3511", utrecht, 52.090, 5.115), ("3521", utrecht, 52.078, 5.110),
        ("3531", utrecht, 52.098, 5.090), ("3701", zeist, 52.089, 5.233),
        ("3705", zeist, 52.080, 5.250), ("3811", amersfoort, 52.156, 5.389),
    ):  # fmt: skip
        PostcodeFactory(pc4=pc4, gemeente=gemeente, woonplaats=gemeente.naam, lat=lat, lon=lon)
    _kwalificaties()
    _schools()
    return _real_data(Postcode.objects.get(pc4="3811"))


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return PASSWORD


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """What a run produced, without primary keys or the real clock's timestamps."""
    snap = {
        "organisations": sorted(
            Organisation.objects.filter(is_demo=True).values_list("name", "kind", "email")
        ),
        "users": sorted(User.objects.filter(is_demo=True).values_list("username", "last_name")),
        "leerbedrijven": sorted(
            Leerbedrijf.objects.filter(is_demo=True).values_list("naam", "kvk_nummer")
        ),
        "vestigingen": sorted(
            Vestiging.objects.filter(leerbedrijf__is_demo=True).values_list(
                "vestigingsnummer", "postcode_id", "straat"
            )
        ),
        "leerbanen": sorted(
            Leerbaan.objects.filter(is_demo=True).values_list(
                "titel", "kwalificatie__crebo", "start_date", "status", "places_taken", "created_at"
            )
        ),
        "candidates": sorted(
            Candidate.objects.filter(is_demo=True).values_list(
                "first_name", "last_name", "bsn_index", "postcode_id", "status", "end_reason"
            )
        ),
        "voordrachten": sorted(
            Voordracht.objects.filter(candidate__is_demo=True).values_list(
                "candidate__bsn_index",
                "leerbaan__titel",
                "status",
                "score",
                "decline_reason",
                "created_at",
                "updated_at",
            )
        ),
        "enrolments": sorted(
            Enrolment.objects.filter(candidate__is_demo=True).values_list(
                "candidate__bsn_index", "instelling__brin", "status", "start_date", "distance_km"
            )
        ),
    }
    for model, (_, log_model, _field) in WORKFLOWS.items():
        snap[model.__name__] = sorted(
            log_model.objects.values_list(
                "transition", "from_state", "to_state", "at", "by__username", "organisation__name"
            )
        )
    return snap


def demo(model):
    """The demo objects of a workflow model."""
    return model.objects.filter(WORKFLOWS[model][0])


def test_same_seed_and_date_give_the_same_region(reference, demo_password):
    seed("--seed", "7")
    first = snapshot()
    seed("--reset", "--seed", "7")
    assert snapshot() == first
    for label in ("leerbedrijven", "candidates", "voordrachten", "enrolments", "Candidate"):
        assert first[label], label


def test_another_seed_gives_another_region(reference, demo_password):
    seed("--seed", "7")
    first = snapshot()
    seed("--reset", "--seed", "8")
    second = snapshot()
    assert second["candidates"] != first["candidates"]
    assert second["leerbedrijven"] != first["leerbedrijven"]


def _register(consultant: User) -> Candidate:
    """A candidate registered by ``consultant`` through the portal's own service."""
    return candidate_register(
        organisation=consultant.organisation,
        consultant=consultant,
        data={
            "first_name": "Ingevoerd",
            "last_name": "Door Gebruiker",
            "postcode": Postcode.objects.get(pc4="3511"),
            "route": Route.DIPLOMA,
            "earliest_start_date": dt.date(2026, 9, 1),
            "wished_kwalificaties": [Leerbaan.objects.filter(is_demo=True)[0].kwalificatie],
            "consent": True,
        },
    )


def test_a_second_run_keeps_what_users_entered_and_sets_the_password(
    reference, demo_password, monkeypatch, client
):
    seed()
    first = snapshot()
    entered = _register(User.objects.get(username="demo-gemeente"))
    monkeypatch.setenv("DEMO_PASSWORD", "nieuw-wachtwoord")
    output = seed("--seed", "9")
    assert "bestond al en is niet veranderd" in output
    assert "seed_demo --reset" in output
    assert "demo-werkgever" in output
    assert "nieuw-wachtwoord" in output
    assert Candidate.objects.filter(pk=entered.pk).exists()
    assert entered.transitions.exists()
    assert {k: v for k, v in snapshot().items() if k not in ("candidates", "Candidate")} == {
        k: v for k, v in first.items() if k not in ("candidates", "Candidate")
    }
    assert client.login(
        request=HttpRequest(), username="demo-werkgever", password="nieuw-wachtwoord"
    )
    assert client.login(
        request=HttpRequest(), username="consulent-zeist-1", password="nieuw-wachtwoord"
    )


def test_reset_removes_what_users_entered_and_rebuilds(reference, demo_password):
    seed()
    first = snapshot()
    entered = _register(User.objects.get(username="demo-gemeente"))
    output = seed("--reset")
    assert "Demoregio klaar" in output
    assert not Candidate.objects.filter(pk=entered.pk).exists()
    assert snapshot() == first
    assert Leerbaan.objects.filter(pk=reference["real_leerbaan"].pk).exists()
    assert Candidate.objects.filter(pk=reference["real_candidate"].pk).exists()


def test_the_scheduled_job_finds_nothing_to_do_right_after_seeding(reference, demo_password):
    seed("--today", timezone.localdate().isoformat())
    assert flow_close_due() == {"verlopen": 0, "vervuld": 0, "voordrachten verlopen": 0}
    assert Voordracht.objects.filter(status=V.VERLOPEN).count() == (
        VoordrachtTransition.objects.filter(transition="expire").count()
    )


def test_the_services_take_the_demo_further_and_reset_removes_their_traces(
    reference, demo_password
):
    """The seeded states are states the services accept: a werkgever invites and accepts a
    seeded voordracht (candidate geplaatst, enrolment requested, outbox messages, logs by a
    user of a demo organisation); ``--reset`` then removes all of it."""
    today = timezone.localdate().isoformat()
    seed("--today", today)
    first = snapshot()
    voordracht = demo(Voordracht).filter(status=V.VOORGEDRAGEN).select_related("leerbaan")[0]
    werkgever = UserFactory(organisation=voordracht.leerbaan.leerbedrijf.organisation)
    voordracht_invite(voordracht=voordracht, by=werkgever, **interview())
    enrolment = voordracht_accept(voordracht=voordracht, by=werkgever)
    voordracht.candidate.refresh_from_db()
    assert voordracht.candidate.status == C.GEPLAATST
    assert enrolment.transitions.get().by == werkgever
    seed("--reset", "--today", today)
    assert snapshot() == first
    assert not User.objects.filter(pk=werkgever.pk).exists()


def test_every_generated_record_is_demo(reference, demo_password):
    before = {m: set(m.objects.values_list("pk", flat=True)) for m in (Organisation, User)}
    seed()
    for model in (Organisation, User):
        new = model.objects.exclude(pk__in=before[model])
        assert new.exists()
        assert not new.filter(is_demo=False).exists()
    real = reference["real_leerbaan"]
    assert not Leerbaan.objects.exclude(pk=real.pk).filter(is_demo=False).exists()
    assert not Leerbedrijf.objects.exclude(pk=real.leerbedrijf_id).filter(is_demo=False).exists()
    demo_candidates = Candidate.objects.exclude(pk=reference["real_candidate"].pk)
    assert not demo_candidates.filter(is_demo=False).exists()
    assert not Opleidingsaanbod.objects.filter(is_demo=False).exists()
    assert Voordracht.objects.count() == demo(Voordracht).count()
    assert Enrolment.objects.count() == demo(Enrolment).count()


def test_gemeente_uwv_and_school_organisations(reference, demo_password):
    seed()
    gemeenten = Organisation.objects.filter(is_demo=True, kind="gemeente")
    assert sorted(gemeenten.values_list("name", "gemeente__code")) == [
        ("Gemeente Utrecht", "GM0344"),
        ("Gemeente Zeist", "GM0355"),
    ]
    assert gemeenten.get(gemeente__code="GM0344").email == (
        "werkgeversservice@utrecht.demo.example"
    )
    uwv = Organisation.objects.get(is_demo=True, kind="uwv")
    assert (uwv.name, uwv.arbeidsmarktregio.code) == ("UWV Midden-Utrecht", "AM13")
    linked = MboInstelling.objects.filter(organisation__is_demo=True)
    assert sorted(linked.values_list("brin", flat=True)) == ["25LH", "30RN"]


def test_all_bsns_are_valid_and_distinct(reference, demo_password):
    seed()
    bsns = [candidate.bsn for candidate in Candidate.objects.filter(is_demo=True)]
    assert len(bsns) >= 20
    assert all(bsn_nummer.is_valid(b) for b in bsns)
    assert len(set(bsns)) == len(bsns)


def test_candidates_live_in_the_region_of_their_gemeente(reference, demo_password):
    seed()
    for candidate in Candidate.objects.filter(is_demo=True).select_related("postcode__gemeente"):
        assert candidate.postcode.gemeente.arbeidsmarktregio.code == "AM13"
        if candidate.organisation.gemeente_id:
            assert candidate.postcode.gemeente_id == candidate.organisation.gemeente_id


def test_leerbedrijven_are_erkend_on_the_start_date_of_their_leerbanen(reference, demo_password):
    seed()
    leerbanen = Leerbaan.objects.filter(is_demo=True)
    assert leerbanen.exists()
    for leerbaan in leerbanen:
        assert Erkenning.objects.filter(
            Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=leerbaan.start_date),
            leerbedrijf=leerbaan.leerbedrijf,
            kwalificatie=leerbaan.kwalificatie,
            leerweg=Leerweg.BBL,
            geldig_van__lte=leerbaan.start_date,
        ).exists(), leerbaan
        assert leerbaan.closing_date <= leerbaan.start_date
        assert dt.date(2026, 3, 2) < leerbaan.start_date <= dt.date(2026, 11, 27)


def test_only_current_bbl_kwalificaties_are_used(reference, demo_password):
    seed()
    erkend = Erkenning.objects.filter(leerbedrijf__is_demo=True)
    wished = Candidate.wished_kwalificaties.through.objects.filter(candidate__is_demo=True)
    used = set(erkend.values_list("kwalificatie__crebo", flat=True))
    used |= set(wished.values_list("kwalificatie__crebo", flat=True))
    assert used
    assert not used & {"10501", "25484"}


def test_leerbanen_list_the_werkprocessen_of_their_kwalificatie(reference, demo_password):
    seed()
    with_wp = Leerbaan.objects.filter(is_demo=True, werkprocessen__isnull=False).distinct()
    assert with_wp.exists()
    for leerbaan in with_wp:
        for werkproces in leerbaan.werkprocessen.select_related("kerntaak"):
            kerntaak = werkproces.kerntaak
            assert kerntaak.dossier_id == leerbaan.kwalificatie.dossier_id
            assert kerntaak.kwalificatie_id in (None, leerbaan.kwalificatie_id)


@pytest.mark.parametrize("seed_value", ["1", "2", "3"])
def test_every_database_constraint_holds(reference, demo_password, seed_value):
    """The run itself succeeds on PostgreSQL (constraints checked per statement); deferred
    foreign keys are checked now, and every model constraint is validated once more."""
    seed("--seed", seed_value)
    connection.check_constraints()
    for model in WORKFLOWS:
        for obj in demo(model):
            obj.validate_constraints()


@pytest.mark.parametrize("seed_value", ["1", "2", "3"])
def test_places_taken_are_the_accepted_voordrachten(reference, demo_password, seed_value):
    seed("--seed", seed_value)
    accepted = Counter(
        demo(Voordracht).filter(status=V.AANGENOMEN).values_list("leerbaan_id", flat=True)
    )
    for leerbaan in Leerbaan.objects.filter(is_demo=True):
        assert leerbaan.places_taken == accepted[leerbaan.pk], leerbaan
        full = leerbaan.places_taken >= leerbaan.places
        assert (leerbaan.status == LeerbaanStatus.VERVULD) == full, leerbaan
        if full:
            assert not leerbaan.voordrachten.filter(status__in=OPEN_VOORDRACHT_STATUSES).exists()
    assert accepted


def _expected_status(candidate: Candidate) -> str:
    statuses = [v.status for v in candidate.voordrachten.all()]
    if V.AANGENOMEN in statuses:
        started = candidate.enrolments.filter(status=E.GESTART).exists()
        return C.IN_OPLEIDING if started else C.GEPLAATST
    if any(s in OPEN_VOORDRACHT_STATUSES for s in statuses):
        return C.VOORGEDRAGEN
    if statuses or candidate.consent_given_at:
        return C.ACTIEF
    return C.AANGEMELD


@pytest.mark.parametrize("seed_value", ["1", "2", "3"])
def test_candidate_status_follows_voordrachten_and_consent(reference, demo_password, seed_value):
    seed("--seed", seed_value)
    seen = Counter()
    for candidate in demo(Candidate).prefetch_related("voordrachten"):
        seen[candidate.status] += 1
        statuses = [v.status for v in candidate.voordrachten.all()]
        assert statuses.count(V.AANGENOMEN) <= 1
        if V.AANGENOMEN in statuses:
            assert not set(statuses) & set(OPEN_VOORDRACHT_STATUSES), candidate
        if candidate.status == C.AFGEMELD:
            assert candidate.end_reason
            assert not statuses
        else:
            assert candidate.status == _expected_status(candidate), candidate
    assert {C.AANGEMELD, C.ACTIEF, C.VOORGEDRAGEN, C.GEPLAATST} <= set(seen)


def test_voordrachten_are_in_realistic_states(reference, demo_password):
    seed()
    voordrachten = demo(Voordracht)
    statuses = set(voordrachten.values_list("status", flat=True))
    assert {V.VOORGEDRAGEN, V.AANGENOMEN, V.AFGEWEZEN} <= statuses
    assert statuses <= {
        V.VOORGEDRAGEN, V.UITGENODIGD, V.AANGENOMEN, V.AFGEWEZEN, V.VERLOPEN, V.ELDERS_GEPLAATST,
    }  # fmt: skip
    assert not voordrachten.filter(status=V.AFGEWEZEN, decline_reason="").exists()
    assert not voordrachten.exclude(status=V.AFGEWEZEN).exclude(decline_reason="").exists()
    for voordracht in voordrachten.select_related("leerbaan"):
        assert voordracht.leerbaan.status in (LeerbaanStatus.GEPUBLICEERD, LeerbaanStatus.VERVULD)


def _check_history(obj, rows) -> None:
    """One object's log: a creation row, then transitions of its model, chained from state to
    state up to its status, in time order before the reference date, each by an organisation
    (and a user of it where there is one)."""
    assert rows, obj
    assert rows[0].transition in CREATION_NAMES, obj
    assert rows[0].from_state == "", obj
    previous, at = "", None
    for row in rows:
        assert row.from_state == previous, (obj, row.transition)
        if row is not rows[0]:
            assert action_of(type(obj), row.transition) is not None, row.transition
        assert row.at < DAY_START, (obj, row.transition)
        assert at is None or row.at >= at, (obj, row.transition)
        assert row.organisation_id is not None, (obj, row.transition)
        if row.by_id is not None:
            assert row.by.organisation_id == row.organisation_id
        previous, at = row.to_state, row.at
    assert previous == obj.status, obj


@pytest.mark.parametrize("seed_value", ["1", "2"])
def test_every_workflow_object_has_a_plausible_history(reference, demo_password, seed_value):
    seed("--seed", seed_value)
    for model, (_, log_model, field) in WORKFLOWS.items():
        rows: dict[int, list] = {}
        for row in log_model.objects.select_related("by").order_by("at", "pk"):
            rows.setdefault(getattr(row, f"{field}_id"), []).append(row)
        objects = list(demo(model))
        assert objects, model
        for obj in objects:
            _check_history(obj, rows.get(obj.pk, []))


def test_histories_name_the_demo_users(reference, demo_password):
    seed()
    werkgever = User.objects.get(username="demo-werkgever")
    assert LeerbaanTransition.objects.filter(transition="publish", by=werkgever).exists()
    gemeente = User.objects.get(username="demo-gemeente")
    assert CandidateTransition.objects.filter(transition="register", by=gemeente).exists()
    assert VoordrachtTransition.objects.filter(transition="make", by=gemeente).exists()


@pytest.mark.parametrize("seed_value", ["1", "2", "3", "4"])
def test_enrolments_go_to_the_nearest_offering_demo_school_or_are_todos(
    reference, demo_password, seed_value
):
    seed("--seed", seed_value)
    schools = set(MboInstelling.objects.filter(organisation__is_demo=True))
    accepted = demo(Voordracht).filter(status=V.AANGENOMEN).select_related("candidate__postcode")
    assert accepted.exists()
    for voordracht in accepted:
        enrolment = voordracht.enrolment
        home = voordracht.candidate.postcode
        offering = instellingen_offering(
            kwalificatie=voordracht.leerbaan.kwalificatie, lat=home.lat, lon=home.lon
        )
        nearest = next((o for o in offering if o.instelling in schools), None)
        assert enrolment.instelling == (nearest.instelling if nearest else None)
        assert enrolment.distance_km == (nearest.km if nearest else None)
        assert enrolment.leerbaan == voordracht.leerbaan
        assert enrolment.candidate == voordracht.candidate
        assert enrolment.kwalificatie == voordracht.leerbaan.kwalificatie
        assert enrolment.route == voordracht.candidate.route
        if enrolment.status == E.GEACCEPTEERD:
            assert enrolment.start_date == voordracht.leerbaan.start_date
        elif enrolment.status == E.GESTART:
            accepted_on = enrolment.transitions.get(transition="accept").at
            assert timezone.localdate(accepted_on) < enrolment.start_date < timezone.localdate()
        else:
            assert (enrolment.status, enrolment.start_date) == (E.AANGEVRAAGD, None)
    assert demo(Enrolment).count() == accepted.count()


def test_enrolments_are_requested_and_accepted(reference, demo_password):
    statuses = set()
    for seed_value in ("1", "2", "3"):
        seed("--reset", "--seed", seed_value)
        statuses |= set(demo(Enrolment).values_list("status", flat=True))
    assert statuses == {E.AANGEVRAAGD, E.GEACCEPTEERD, E.GESTART}


def test_started_enrolments_are_ready_with_a_programme_and_check_ins(reference, demo_password):
    """A started demo enrolment has what the portal asks before a start (the readiness
    checklist holds), an agreed programme of its route and its three check-ins planned from the
    start date; its candidate is in opleiding."""
    started = []
    for seed_value in ("1", "2", "3"):
        seed("--reset", "--seed", seed_value)
        started += list(demo(Enrolment).filter(status=E.GESTART))
    assert started
    for enrolment in started:
        assert enrolment.is_ready_to_start(), enrolment
        assert enrolment.candidate.status == C.IN_OPLEIDING
        assert enrolment.programme.exists()
        assert enrolment.programme_agreed_by_school
        assert enrolment.programme_agreed_by_candidate
        due = sorted(enrolment.checkins.values_list("due_on", flat=True))
        assert due == [enrolment.start_date + dt.timedelta(days=d) for d in (30, 60, 90)]
        if enrolment.route == "diploma":
            assert enrolment.programme.filter(kind="generiek").exists()


def test_demo_users_can_log_in(reference, demo_password, client):
    output = seed()
    for username in ("demo-gemeente", "demo-uwv", "demo-werkgever", "demo-school", "demo-beheer"):
        assert username in output
        assert client.login(request=HttpRequest(), username=username, password=PASSWORD), username
    beheer = User.objects.get(username="demo-beheer")
    assert beheer.is_staff
    assert beheer.is_superuser
    assert User.objects.get(username="demo-gemeente").organisation.name == "Gemeente Utrecht"
    assert PASSWORD in output
    admins = set(User.objects.filter(is_organisation_admin=True).values_list("username", flat=True))
    assert admins == {"demo-gemeente", "demo-uwv", "demo-werkgever", "demo-school"}
    assert "(beheerder)" in output


def test_demo_gemeente_has_candidates_with_voordrachten(reference, demo_password):
    seed()
    own = Candidate.objects.filter(consultant__username="demo-gemeente")
    assert own.count() >= 10
    assert Voordracht.objects.filter(candidate__in=own).exists()
    assert own.filter(status=C.ACTIEF, voordrachten__isnull=True).exists()
    werkgever = User.objects.get(username="demo-werkgever").organisation
    published = Leerbaan.objects.filter(
        leerbedrijf__organisation=werkgever,
        status__in=(LeerbaanStatus.GEPUBLICEERD, LeerbaanStatus.VERVULD),
    )
    assert published.count() >= 2


def test_refuses_without_demo_password(reference, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        seed()
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_refuses_where_demo_users_are_not_allowed(reference, demo_password, settings):
    settings.DEMO_USERS_ALLOWED = False
    with pytest.raises(CommandError, match="DEMO_USERS_ALLOWED"):
        seed()
    assert not Organisation.objects.filter(is_demo=True).exists()


def test_unknown_region_is_refused(reference, demo_password):
    with pytest.raises(CommandError, match="AM99"):
        seed("--region", "AM99")


@pytest.mark.parametrize("seed_value", range(5))
def test_a_leerbaan_starts_before_its_erkenning_expires(reference, seed_value):
    from praktijkleren.demo.context import region_context
    from praktijkleren.demo.leerbanen import START_MIN_DAYS, start_date_pick

    ctx = region_context(
        region_code="AM13", seed=seed_value, today=dt.date(2026, 3, 2), password_hash="x"
    )
    expiring = Erkenning(geldig_van=dt.date(2020, 1, 1), geldig_tot=dt.date(2026, 5, 1))
    assert dt.date(2026, 3, 2) < start_date_pick(ctx, expiring) <= dt.date(2026, 5, 1)
    too_soon = dt.date(2026, 3, 2) + dt.timedelta(days=START_MIN_DAYS - 1)
    assert (
        start_date_pick(ctx, Erkenning(geldig_van=dt.date(2020, 1, 1), geldig_tot=too_soon)) is None
    )


def test_a_full_leerbaan_fills_after_every_voordracht_for_it_was_made(reference):
    """The last acceptance moves after a voordracht made later than it (a full leerbaan takes
    no voordrachten), and the leerbaan fills then."""
    from praktijkleren.demo.candidates import CandidateStory
    from praktijkleren.demo.context import region_context
    from praktijkleren.demo.history import Actor
    from praktijkleren.demo.leerbanen import LeerbaanStory
    from praktijkleren.demo.voordrachten import VoordrachtStory, fills_settle

    ctx = region_context(region_code="AM13", seed=1, today=dt.date(2026, 3, 2), password_hash="x")
    nobody = Actor(user=None, organisation=None)
    leerbaan = LeerbaanStory(Leerbaan(pk=1, places=1), nobody, taken=1)
    early, late = (ctx.day_start - dt.timedelta(days=days) for days in (10, 5))
    accepted, later = (
        VoordrachtStory(CandidateStory(Candidate(), nobody, []), leerbaan, 80.0, [], outcome)
        for outcome in (V.AANGENOMEN, V.VOORGEDRAGEN)
    )
    accepted.made_at, later.made_at = early, late
    accepted.decided_at = early + dt.timedelta(hours=2)
    fills_settle(ctx, [accepted, later])
    assert late < accepted.decided_at < ctx.horizon
    assert leerbaan.filled_at == accepted.decided_at


def test_demo_aanbod_is_given_at_real_locations_with_start_moments(reference, demo_password):
    seed()
    seed()  # a second run adds nothing
    aanbod = Opleidingsaanbod.objects.filter(is_demo=True).prefetch_related(
        "locaties", "startmomenten"
    )
    assert aanbod.exists()
    for offer in aanbod:
        locaties = list(offer.locaties.all())
        assert locaties
        assert {loc.instelling_id for loc in locaties} == {offer.instelling_id}
        moments = list(offer.startmomenten.all())
        assert [m.start_date for m in moments] == [  # TODAY is 2 March 2026
            dt.date(2026, 9, 1),
            dt.date(2027, 2, 1),
            dt.date(2027, 9, 1),
        ]
        assert all(8 <= m.capacity <= 24 for m in moments)
