"""Benchmark of the retention job (``trajecten.privacy.candidates_anonymise_expired``).

    DATABASE_URL=postgres://.../disposable uv run python bench/bench_retention.py [--candidates N]

Run it on a disposable, migrated database: it commits. It generates N (default 10,000)
candidates whose retention term expired three years ago, each with three transitions (with a
typed reason) and a declined voordracht (with motivation and decline text), plus one candidate
whose term has not expired; then times the job (batches of ``RETENTION_BATCH_SIZE``) and a
second run (which must change nothing), and prints the figures.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praktijkleren.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from candidates.models import Candidate, CandidateTransition, Voordracht  # noqa: E402
from tests.accounts.factories import UserFactory  # noqa: E402
from tests.geo.factories import PostcodeFactory  # noqa: E402
from tests.leerbedrijven.factories import LeerbaanFactory  # noqa: E402
from trajecten.privacy import candidates_anonymise_expired  # noqa: E402


def generate(n: int) -> None:
    """N expired candidates (afgemeld 3 years ago, after having been actief) with history."""
    consultant = UserFactory()
    postcode = PostcodeFactory()
    leerbaan = LeerbaanFactory()
    ended = timezone.now() - dt.timedelta(days=3 * 365)
    with transaction.atomic():
        candidates = Candidate.objects.bulk_create(
            [
                Candidate(
                    organisation=consultant.organisation,
                    consultant=consultant,
                    first_name=f"Voornaam{i}",
                    last_name=f"Achternaam{i}",
                    bsn=f"{i:09d}",
                    email=f"kandidaat{i}@example.nl",
                    phone="0612345678",
                    postcode=postcode,
                    route="diploma",
                    earliest_start_date=dt.date(2023, 1, 1),
                    birth_date=dt.date(1990, 1, 1),
                    birth_place="Utrecht",
                    work_experience="Tien jaar magazijnwerk. " * 10,
                    consent_given_at=ended - dt.timedelta(days=30),
                    status="afgemeld",
                    end_reason="persoonlijk",
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        CandidateTransition.objects.bulk_create(
            [
                CandidateTransition(
                    candidate=c,
                    transition=name,
                    from_state=source,
                    to_state=target,
                    reason=f"Gesprek met {c.first_name}",
                    at=ended - dt.timedelta(days=days),
                )
                for c in candidates
                for name, source, target, days in (
                    ("create", "", "aangemeld", 60),
                    ("activate", "aangemeld", "actief", 30),
                    ("deregister", "actief", "afgemeld", 0),
                )
            ],
            batch_size=3000,
        )
        Voordracht.objects.bulk_create(
            [
                Voordracht(
                    candidate=c,
                    leerbaan=leerbaan,
                    score=70,
                    status="afgewezen",
                    decline_reason="gesprek",
                    decline_message=f"{c.first_name} paste niet.",
                    motivation=f"{c.first_name} is gemotiveerd. " * 5,
                )
                for c in candidates
            ],
            batch_size=1000,
        )
        # One candidate whose term has not expired: the job leaves it alone.
        fresh = Candidate.objects.create(
            organisation=consultant.organisation,
            consultant=consultant,
            first_name="Blijft",
            last_name="Bewaard",
            postcode=postcode,
            route="diploma",
            earliest_start_date=dt.date(2026, 1, 1),
            status="afgemeld",
            end_reason="persoonlijk",
        )
        CandidateTransition.objects.create(
            candidate=fresh, transition="deregister", from_state="aangemeld", to_state="afgemeld"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    start = time.perf_counter()
    generate(args.candidates)
    print(f"generated {args.candidates} expired candidates in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    first = candidates_anonymise_expired()
    took = time.perf_counter() - start
    each = 1000 * took / max(first["anonymised"], 1)
    print(
        f"first run: {first['anonymised']} anonymised in {first['batches']} batches of "
        f"{settings.RETENTION_BATCH_SIZE}: {took:.1f} s ({each:.2f} ms a candidate)"
    )
    start = time.perf_counter()
    second = candidates_anonymise_expired()
    print(f"second run: {second['anonymised']} anonymised in {time.perf_counter() - start:.2f} s")
    left = Candidate.objects.filter(first_name__startswith="Voornaam").count()
    print(f"candidates with a name left among the generated: {left}")


if __name__ == "__main__":
    main()
