"""Benchmark of the matching selectors on the current database.

    uv run python bench/bench_match.py [--sample N] [--date YYYY-MM-DD] [--seed S]
    uv run python bench/bench_match.py --synthetic 2000 5000     # candidates, leerbanen

Uses the database of ``DATABASE_URL`` (settings ``DJANGO_SETTINGS_MODULE``, default
``praktijkleren.settings.dev``). Times ``leerbanen_matching`` for every candidate (or a random
sample of ``--sample`` of them) and ``candidates_matching`` for every open leerbaan (or a sample),
and prints per selector: calls, median, p95 and max in ms, and queries per call (max).

``--synthetic C L`` first generates C actief candidates and L published leerbanen (with
leerbedrijven, vestigingen and erkenningen) on the reference postcodes and kwalificaties already
loaded (or on made-up ones when there are none), runs the benchmark on them, and rolls
everything back: the database is left as it was.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praktijkleren.settings.dev")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from candidates.constants import CandidateStatus  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from candidates.selectors import candidates_matching, leerbanen_matching  # noqa: E402
from leerbedrijven.constants import LeerbaanStatus  # noqa: E402
from leerbedrijven.models import Erkenning, Leerbaan, Leerbedrijf, Vestiging  # noqa: E402
from leerbedrijven.selectors import leerbanen_open  # noqa: E402
from opleidingen.constants import Leerweg, Route  # noqa: E402
from opleidingen.models import Kwalificatie, Kwalificatiedossier  # noqa: E402
from praktijkleren.accounts.constants import OrganisationKind  # noqa: E402
from praktijkleren.accounts.models import Organisation, User  # noqa: E402
from praktijkleren.geo.constants import CoordinateSource  # noqa: E402
from praktijkleren.geo.models import Arbeidsmarktregio, Gemeente, Postcode  # noqa: E402


class _Rollback(Exception):
    """Raised to undo the synthetic data."""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time(label: str, calls) -> None:
    """Run each zero-argument callable in ``calls``; print timing and query figures."""
    millis, queries, found = [], [], []
    for call in calls:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call()
            millis.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
        found.append(len(result))
    if not millis:
        print(f"{label}: no calls (nothing to match)")
        return
    print(
        f"{label}: {len(millis)} calls, median {statistics.median(millis):.1f} ms, "
        f"p95 {_percentile(millis, 0.95):.1f} ms, max {max(millis):.1f} ms, "
        f"queries/call max {max(queries)} (median {statistics.median(queries):.0f}), "
        f"results/call median {statistics.median(found):.0f}"
    )


def _reference(rng: random.Random) -> tuple[list[Postcode], list[Kwalificatie]]:
    """Loaded postcodes and current BBL kwalificaties, or made-up ones when none are loaded."""
    postcodes = list(Postcode.objects.all())
    if not postcodes:
        regio, _ = Arbeidsmarktregio.objects.get_or_create(code="AM99", naam="Bench")
        gemeente, _ = Gemeente.objects.get_or_create(
            code="GM9999",
            defaults={
                "naam": "Bench",
                "provincie_code": "PV26",
                "provincie_naam": "Utrecht",
                "arbeidsmarktregio": regio,
            },
        )
        postcodes = Postcode.objects.bulk_create(
            Postcode(
                pc4=str(1000 + i),
                gemeente=gemeente,
                lat=rng.uniform(51.3, 53.2),
                lon=rng.uniform(4.0, 6.8),
                coordinate_source=CoordinateSource.PC4,
            )
            for i in range(400)
        )
    kwalificaties = list(Kwalificatie.objects.filter(is_current=True, bbl=True))
    if not kwalificaties:
        dossiers = Kwalificatiedossier.objects.bulk_create(
            Kwalificatiedossier(code=str(23900 + i), naam=f"Bench-dossier {i}") for i in range(10)
        )
        kwalificaties = Kwalificatie.objects.bulk_create(
            Kwalificatie(
                crebo=str(27900 + i),
                naam=f"Bench-kwalificatie {i}",
                niveau=rng.randint(1, 4),
                bbl=True,
                dossier=dossiers[i % 10],
                is_current=True,
            )
            for i in range(40)
        )
    return postcodes, kwalificaties


def _synthesize(n_candidates: int, n_leerbanen: int, today: dt.date, rng: random.Random) -> None:
    """Create ``n_candidates`` candidates and ``n_leerbanen`` open leerbanen (bench data)."""
    postcodes, kwalificaties = _reference(rng)
    # Demand and supply meet on a limited set of kwalificaties (as in a real region).
    kwalificaties = rng.sample(kwalificaties, min(len(kwalificaties), 40))
    gemeente = postcodes[0].gemeente or Gemeente.objects.first()
    gemeente_org = Organisation.objects.create(
        name="Bench gemeente", kind=OrganisationKind.GEMEENTE, gemeente=gemeente
    )
    consultant = User.objects.create(username="bench-consultant", organisation=gemeente_org)
    werkgever = Organisation.objects.create(name="Bench werkgever", kind=OrganisationKind.WERKGEVER)
    n_bedrijven = max(1, n_leerbanen // 3)
    bedrijven = Leerbedrijf.objects.bulk_create(
        Leerbedrijf(organisation=werkgever, naam=f"Bench {i}", kvk_nummer=f"{90000000 + i}")
        for i in range(n_bedrijven)
    )
    vestigingen = Vestiging.objects.bulk_create(
        Vestiging(
            leerbedrijf=b,
            vestigingsnummer=f"{900000000000 + i}",
            naam=b.naam,
            postcode=rng.choice(postcodes),
        )
        for i, b in enumerate(bedrijven)
    )
    leerbanen, erkenningen = [], {}
    for i in range(n_leerbanen):
        vestiging = vestigingen[i % n_bedrijven]
        kwalificatie = rng.choice(kwalificaties)
        start = today + dt.timedelta(days=rng.randint(30, 300))
        leerbanen.append(
            Leerbaan(
                leerbedrijf=vestiging.leerbedrijf,
                vestiging=vestiging,
                kwalificatie=kwalificatie,
                titel=f"Bench-leerbaan {i}",
                supports_praktijkverklaring=rng.random() < 0.8,
                supports_certificaat=rng.random() < 0.3,
                supports_diploma=True,
                hours_per_week=rng.randint(16, 38),
                places=rng.randint(1, 3),
                start_date=start,
                closing_date=start - dt.timedelta(days=14),
                status=LeerbaanStatus.GEPUBLICEERD,
            )
        )
        if rng.random() < 0.9:  # one in ten leerbedrijven lacks the erkenning
            erkenningen[(vestiging.leerbedrijf_id, kwalificatie.pk)] = Erkenning(
                leerbedrijf_id=vestiging.leerbedrijf_id,
                kwalificatie=kwalificatie,
                leerweg=Leerweg.BBL,
                geldig_van=today - dt.timedelta(days=400),
                geldig_tot=None if rng.random() < 0.5 else today + dt.timedelta(days=900),
            )
    Leerbaan.objects.bulk_create(leerbanen)
    Erkenning.objects.bulk_create(erkenningen.values())
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organisation=gemeente_org,
            consultant=consultant,
            first_name="Bench",
            last_name=f"Kandidaat {i}",
            postcode=rng.choice(postcodes),
            route=rng.choice(list(Route)),
            max_travel_km=rng.choice([10, 15, 25, 40, 60]),
            hours_per_week=rng.randint(16, 38),
            earliest_start_date=today + dt.timedelta(days=rng.randint(0, 120)),
            consent_given_at=timezone.now(),
            status=CandidateStatus.ACTIEF,  # searching: candidates_matching only takes those
        )
        for i in range(n_candidates)
    )
    through_k = Candidate.wished_kwalificaties.through
    through_d = Candidate.wished_dossiers.through
    wished_k, wished_d = [], []
    for candidate in candidates:
        for kwalificatie in rng.sample(kwalificaties, k=min(len(kwalificaties), 2)):
            wished_k.append(through_k(candidate=candidate, kwalificatie=kwalificatie))
        if rng.random() < 0.3 and kwalificaties[0].dossier_id:
            dossier_id = rng.choice(kwalificaties).dossier_id
            if dossier_id:
                wished_d.append(through_d(candidate=candidate, kwalificatiedossier_id=dossier_id))
    through_k.objects.bulk_create(wished_k)
    through_d.objects.bulk_create(wished_d, ignore_conflicts=True)
    print(
        f"synthetic: {n_candidates} candidates, {n_leerbanen} leerbanen, "
        f"{len(erkenningen)} erkenningen"
    )


def _bench(sample: int | None, on_date: dt.date, rng: random.Random) -> None:
    candidate_ids = list(Candidate.objects.values_list("pk", flat=True))
    leerbaan_ids = list(leerbanen_open(on_date=on_date).values_list("pk", flat=True))
    if sample:
        candidate_ids = rng.sample(candidate_ids, min(sample, len(candidate_ids)))
        leerbaan_ids = rng.sample(leerbaan_ids, min(sample, len(leerbaan_ids)))
    print(
        f"database {connection.vendor} {connection.settings_dict['NAME']}: "
        f"{Candidate.objects.count()} candidates, {Leerbaan.objects.count()} leerbanen "
        f"({len(leerbaan_ids)} open in the sample); date {on_date}"
    )
    # Each call gets a freshly loaded candidate / leerbaan, as a page view would.
    _time(
        "leerbanen_matching",
        [
            lambda pk=pk: leerbanen_matching(
                candidate=Candidate.objects.get(pk=pk), on_date=on_date
            )
            for pk in candidate_ids
        ],
    )
    _time(
        "candidates_matching",
        [
            lambda pk=pk: candidates_matching(leerbaan=Leerbaan.objects.get(pk=pk), on_date=on_date)
            for pk in leerbaan_ids
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="time at most N of each")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--synthetic",
        type=int,
        nargs=2,
        metavar=("CANDIDATES", "LEERBANEN"),
        help="generate this much data first and roll it back afterwards",
    )
    options = parser.parse_args()
    rng = random.Random(options.seed)
    on_date = options.date or timezone.localdate()
    if not options.synthetic:
        _bench(options.sample, on_date, rng)
        return
    try:
        with transaction.atomic():
            started = time.perf_counter()
            _synthesize(*options.synthetic, on_date, rng)
            print(f"generated in {time.perf_counter() - started:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # planner statistics for the new rows
            _bench(options.sample, on_date, rng)
            raise _Rollback
    except _Rollback:
        print("synthetic data rolled back")


if __name__ == "__main__":
    main()
