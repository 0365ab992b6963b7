"""``manage.py seed_demo``: the demo region on (factory-made) reference data."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q
from stdnum.nl import bsn as bsn_nummer

from candidates.constants import MatchStatus
from candidates.models import Candidate, Enrolment, Match
from leerbedrijven.models import Erkenning, Leerbaan, Leerbedrijf, Vestiging
from opleidingen.constants import KerntaakDeel, Leerweg
from opleidingen.models import MboInstelling, Opleidingsaanbod
from praktijkleren.accounts.models import Organisation, User
from tests.candidates.factories import CandidateFactory
from tests.geo.factories import ArbeidsmarktregioFactory, GemeenteFactory, PostcodeFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.opleidingen.factories import (
    KerntaakFactory,
    KwalificatiedossierFactory,
    KwalificatieFactory,
    MboInstellingFactory,
    WerkprocesFactory,
)

PASSWORD = "demo-wachtwoord-test"
TODAY = "2026-03-02"

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
    MboInstellingFactory(brin="25LH", naam="ROC Midden Nederland", organisation=None)
    MboInstellingFactory(brin="30RN", naam="MBO Utrecht", organisation=None)
    MboInstellingFactory(brin="25LJ", naam="ROC Ter AA", organisation=None)
    return {"real_leerbaan": LeerbaanFactory(), "real_candidate": CandidateFactory()}


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    return PASSWORD


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--today", TODAY, *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list]:
    """What a run produced, without primary keys or timestamps."""
    return {
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
                "titel", "kwalificatie__crebo", "start_date", "status", "hours_per_week"
            )
        ),
        "candidates": sorted(
            Candidate.objects.filter(is_demo=True).values_list(
                "first_name", "last_name", "bsn", "postcode_id", "earliest_start_date"
            )
        ),
        "matches": sorted(
            Match.objects.filter(candidate__is_demo=True).values_list(
                "candidate__bsn", "leerbaan__titel", "status", "score"
            )
        ),
        "enrolments": sorted(
            Enrolment.objects.filter(candidate__is_demo=True).values_list(
                "candidate__bsn", "instelling__brin", "status"
            )
        ),
    }


def test_same_seed_and_date_give_the_same_region(reference, demo_password):
    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "7")
    assert snapshot() == first
    assert first["leerbedrijven"]
    assert first["candidates"]
    assert first["matches"]


def test_another_seed_gives_another_region(reference, demo_password):
    seed("--seed", "7")
    first = snapshot()
    seed("--seed", "8")
    second = snapshot()
    assert second["candidates"] != first["candidates"]
    assert second["leerbedrijven"] != first["leerbedrijven"]


def test_rerun_does_not_duplicate_and_keeps_real_data(reference, demo_password):
    seed()
    counts = [m.objects.count() for m in (Organisation, User, Leerbaan, Candidate, Match)]
    seed()
    assert [m.objects.count() for m in (Organisation, User, Leerbaan, Candidate, Match)] == counts
    assert Leerbaan.objects.filter(pk=reference["real_leerbaan"].pk).exists()
    assert Candidate.objects.filter(pk=reference["real_candidate"].pk).exists()


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
    bsns = list(Candidate.objects.filter(is_demo=True).values_list("bsn", flat=True))
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


def test_placed_matches_have_an_enrolment_at_a_school_offering_the_kwalificatie(
    reference, demo_password
):
    seed()
    placed = Match.objects.filter(candidate__is_demo=True, status=MatchStatus.GEPLAATST)
    assert Match.objects.filter(candidate__is_demo=True).exists()
    for match in placed:
        enrolment = Enrolment.objects.get(candidate=match.candidate, leerbaan=match.leerbaan)
        assert Opleidingsaanbod.objects.filter(
            instelling=enrolment.instelling,
            kwalificatie=match.leerbaan.kwalificatie,
            leerweg=Leerweg.BBL,
        ).exists()
    assert Enrolment.objects.filter(candidate__is_demo=True).count() == placed.count()


def test_demo_users_can_log_in(reference, demo_password, client):
    output = seed()
    for username in ("demo-gemeente", "demo-uwv", "demo-werkgever", "demo-school", "demo-beheer"):
        assert username in output
        assert client.login(username=username, password=PASSWORD), username
    beheer = User.objects.get(username="demo-beheer")
    assert beheer.is_staff
    assert beheer.is_superuser
    assert User.objects.get(username="demo-gemeente").organisation.name == "Gemeente Utrecht"
    assert PASSWORD in output


def test_demo_gemeente_has_candidates_with_matches(reference, demo_password):
    seed()
    own = Candidate.objects.filter(consultant__username="demo-gemeente")
    assert own.count() >= 10
    assert Match.objects.filter(candidate__in=own).exists()
    werkgever = User.objects.get(username="demo-werkgever").organisation
    assert Leerbaan.objects.filter(leerbedrijf__organisation=werkgever, status="open").count() >= 2


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
    from candidates.demo.context import region_context
    from candidates.demo.leerbanen import START_MIN_DAYS, start_date_pick

    ctx = region_context(
        region_code="AM13", seed=seed_value, today=dt.date(2026, 3, 2), password_hash="x"
    )
    expiring = Erkenning(geldig_van=dt.date(2020, 1, 1), geldig_tot=dt.date(2026, 5, 1))
    assert dt.date(2026, 3, 2) < start_date_pick(ctx, expiring) <= dt.date(2026, 5, 1)
    too_soon = dt.date(2026, 3, 2) + dt.timedelta(days=START_MIN_DAYS - 1)
    assert (
        start_date_pick(ctx, Erkenning(geldig_van=dt.date(2020, 1, 1), geldig_tot=too_soon)) is None
    )
