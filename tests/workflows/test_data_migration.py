"""The data migrations map today's rows to the workflows' states and lose nothing: run them on
rows made with the models as they were before the workflows, then read the result."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0001_initial"),
    ("notifications", "0002_claim"),
    ("candidates", "0001_initial"),
    ("leerbedrijven", "0002_leerbaan_vestiging_restrict"),
    ("opleidingen", "0001_initial"),
    ("trajecten", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _old_world(apps):
    """Rows as the portal held them before the workflows: every old match and enrolment state,
    a suggestion nobody acted on, a candidate placed twice, a full leerbaan marked vervuld."""
    get = apps.get_model
    region = get("geo", "Arbeidsmarktregio").objects.create(code="AM99", naam="Regio")
    gemeente = get("geo", "Gemeente").objects.create(
        code="GM9999", naam="Stad", arbeidsmarktregio=region, lat=52.0, lon=5.0
    )
    postcode = get("geo", "Postcode").objects.create(pc4="9999", gemeente=gemeente, lat=52, lon=5)
    org = get("accounts", "Organisation").objects.create(
        name="Gem", kind="gemeente", gemeente=gemeente
    )
    employer = get("accounts", "Organisation").objects.create(name="Bedrijf", kind="werkgever")
    user = get("accounts", "User").objects.create(username="c", organisation=org)
    kwalificatie = get("opleidingen", "Kwalificatie").objects.create(crebo="25491", naam="VIG")
    bedrijf = get("leerbedrijven", "Leerbedrijf").objects.create(
        organisation=employer, naam="Bedrijf", kvk_nummer="12345678"
    )
    vestiging = get("leerbedrijven", "Vestiging").objects.create(
        leerbedrijf=bedrijf, vestigingsnummer="123456789012", naam="V", postcode=postcode
    )
    start = timezone.localdate() + dt.timedelta(days=60)

    def leerbaan(status, places=5):
        return get("leerbedrijven", "Leerbaan").objects.create(
            leerbedrijf=bedrijf,
            vestiging=vestiging,
            kwalificatie=kwalificatie,
            titel=status,
            hours_per_week=32,
            places=places,
            start_date=start,
            closing_date=start,
            status=status,
        )

    def candidate(name, consent=True):
        return get("candidates", "Candidate").objects.create(
            organisation=org,
            consultant=user,
            first_name=name,
            last_name="X",
            postcode=postcode,
            route="diploma",
            earliest_start_date=start,
            consent_given_at=timezone.now() if consent else None,
        )

    school = get("opleidingen", "MboInstelling").objects.create(brin="25LH", naam="ROC")
    open_one, full = leerbaan("open"), leerbaan("vervuld", places=1)
    match = get("candidates", "Match").objects
    people = {
        s: candidate(s)
        for s in ("voorgesteld", "voorgedragen", "uitgenodigd", "afgewezen", "ingetrokken")
    }
    for status, person in people.items():
        match.create(candidate=person, leerbaan=open_one, score=50, reasons=["r"], status=status)
    twice = candidate("twice")
    match.create(candidate=twice, leerbaan=full, score=60, reasons=[], status="geplaatst")
    match.create(candidate=twice, leerbaan=open_one, score=70, reasons=[], status="geplaatst")
    dropped = candidate("dropped")
    enrolment = get("candidates", "Enrolment").objects
    enrolment.create(
        candidate=dropped,
        instelling=school,
        kwalificatie=kwalificatie,
        route="diploma",
        status="uitgevallen",
    )
    accepted = candidate("accepted")
    enrolment.create(
        candidate=accepted,
        leerbaan=open_one,
        instelling=school,
        kwalificatie=kwalificatie,
        route="diploma",
        status="geaccepteerd",
    )
    candidate("nothing", consent=False)
    return {"open": open_one.pk, "full": full.pk}


def test_the_data_migrations_map_every_row():
    old_apps = _migrate(BEFORE)
    try:
        ids = _old_world(old_apps)
        new_apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        _check(new_apps, ids)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        _clean(_migrate(MigrationExecutor(connection).loader.graph.leaf_nodes()))


def _by_name(apps):
    Candidate = apps.get_model("candidates", "Candidate")
    return {c.first_name: c for c in Candidate.objects.all()}


def _check(apps, ids):
    Voordracht = apps.get_model("candidates", "Voordracht")
    people = _by_name(apps)
    status_of = {v.candidate.first_name + str(v.leerbaan_id): v for v in Voordracht.objects.all()}
    mapped = {
        name: status_of[name + str(ids["open"])].status
        for name in ("voorgesteld", "voorgedragen", "uitgenodigd", "afgewezen", "ingetrokken")
    }
    assert mapped == {
        "voorgesteld": "ingetrokken",
        "voorgedragen": "voorgedragen",
        "uitgenodigd": "uitgenodigd",
        "afgewezen": "afgewezen",
        "ingetrokken": "ingetrokken",
    }
    assert status_of["afgewezen" + str(ids["open"])].decline_reason == "niet_vastgelegd"
    suggestion = status_of["voorgesteld" + str(ids["open"])]
    assert "nooit voorgedragen" in suggestion.transitions.get().reason
    # Placed twice: the earlier placement stays, the later one is elders geplaatst.
    assert status_of["twice" + str(ids["full"])].status == "aangenomen"
    later = status_of["twice" + str(ids["open"])]
    assert later.status == "elders_geplaatst"
    assert "Dubbele plaatsing" in later.transitions.get().reason
    states = {name: c.status for name, c in people.items()}
    assert states == {
        "voorgesteld": "actief",
        "voorgedragen": "voorgedragen",
        "uitgenodigd": "voorgedragen",
        "afgewezen": "actief",
        "ingetrokken": "actief",
        "twice": "geplaatst",
        "dropped": "uitgevallen",
        "accepted": "geplaatst",
        "nothing": "aangemeld",
    }
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    assert Leerbaan.objects.get(pk=ids["open"]).status == "gepubliceerd"
    full = Leerbaan.objects.get(pk=ids["full"])
    assert (full.status, full.places_taken) == ("vervuld", 1)
    Enrolment = apps.get_model("trajecten", "Enrolment")
    enrolments = {e.candidate.first_name: e for e in Enrolment.objects.all()}
    assert (enrolments["dropped"].status, enrolments["dropped"].end_reason) == (
        "gestopt",
        "niet_vastgelegd",
    )
    assert enrolments["accepted"].start_date == Leerbaan.objects.get(pk=ids["open"]).start_date
    # The accepted placement without an enrolment gets one: the consultant's to-do.
    todo = enrolments["twice"]
    assert (todo.instelling_id, todo.status, todo.voordracht.leerbaan_id) == (
        None,
        "aangevraagd",
        ids["full"],
    )
    for model in ("candidates.Candidate", "candidates.Voordracht", "trajecten.Enrolment"):
        objects = apps.get_model(model).objects.all()
        assert all(o.transitions.filter(transition="migrate").exists() for o in objects), model


def _clean(apps):
    """Remove the rows this test made (it runs outside a rolled-back transaction)."""
    for model in (
        "trajecten.EnrolmentTransition",
        "trajecten.Enrolment",
        "candidates.VoordrachtTransition",
        "candidates.CandidateTransition",
        "candidates.Voordracht",
        "candidates.Candidate",
        "leerbedrijven.LeerbaanTransition",
        "leerbedrijven.Leerbaan",
        "leerbedrijven.Vestiging",
        "leerbedrijven.Leerbedrijf",
        "opleidingen.MboInstelling",
        "opleidingen.Kwalificatie",
        "accounts.User",
        "accounts.Organisation",
        "geo.Postcode",
        "geo.Gemeente",
        "geo.Arbeidsmarktregio",
    ):
        apps.get_model(model).objects.all().delete()
