"""Demo matches (from the portal's own matching) and the enrolments of placed candidates.

Written with the ORM, not with the services: seeding must not notify anyone.
"""

from collections import Counter

from candidates.constants import EnrolmentStatus, MatchStatus
from candidates.models import Candidate, Enrolment, Match
from candidates.selectors import LeerbaanMatch, leerbanen_matching
from opleidingen.constants import Leerweg
from opleidingen.models import MboInstelling, Opleidingsaanbod
from praktijkleren.demo.context import DemoContext

MATCHED_SHARE = 0.55
TOP = 3
FIRST_STATUS_WEIGHTS = {
    MatchStatus.VOORGEDRAGEN: 35,
    MatchStatus.UITGENODIGD: 25,
    MatchStatus.GEPLAATST: 25,
    MatchStatus.AFGEWEZEN: 15,
}
PRIMARY_SCHOOL_WEIGHT = 3


def statuses_pick(ctx: DemoContext, count: int) -> list[str]:
    """Statuses for a candidate's ``count`` matches, best first: the best one anywhere from
    voorgedragen to geplaatst or afgewezen, the others voorgedragen or afgewezen."""
    if count == 0:
        return []
    first = ctx.rng.choices(list(FIRST_STATUS_WEIGHTS), list(FIRST_STATUS_WEIGHTS.values()))[0]
    rest = [
        ctx.rng.choice((MatchStatus.VOORGEDRAGEN, MatchStatus.AFGEWEZEN)) for _ in range(count - 1)
    ]
    return [first, *rest]


def candidate_matches_build(ctx: DemoContext, candidate: Candidate, placed: Counter) -> list[Match]:
    """Unsaved matches for 1–2 of the candidate's top matches (``leerbanen_matching`` on the
    reference date) with their score and reasons. A placement only while the leerbaan has a
    place left (``placed`` counts placements per leerbaan id), else the candidate stays
    uitgenodigd."""
    found: list[LeerbaanMatch] = leerbanen_matching(
        candidate=candidate, limit=TOP, on_date=ctx.today
    )
    chosen = found[: ctx.rng.randint(1, 2)]
    matches = []
    for found_match, status in zip(chosen, statuses_pick(ctx, len(chosen)), strict=True):
        leerbaan = found_match.leerbaan
        if status == MatchStatus.GEPLAATST:
            if placed[leerbaan.pk] >= leerbaan.places:
                status = MatchStatus.UITGENODIGD
            else:
                placed[leerbaan.pk] += 1
        matches.append(
            Match(
                candidate=candidate,
                leerbaan=leerbaan,
                score=found_match.score,
                reasons=found_match.reasons,
                status=status,
            )
        )
    return matches


def matches_create(
    ctx: DemoContext, candidates: list[Candidate], showcase: set[int]
) -> list[Match]:
    """Matches for about half of the consenting candidates, and always for those in
    ``showcase`` (candidate ids, e.g. half of each demo account's own)."""
    chosen = [c.pk for c in candidates if ctx.rng.random() < MATCHED_SHARE or c.pk in showcase]
    placed: Counter = Counter()
    matches: list[Match] = []
    for candidate in (
        Candidate.objects.filter(pk__in=chosen, consent_given_at__isnull=False)
        .select_related("postcode")
        .prefetch_related("wished_kwalificaties", "wished_dossiers")
        .order_by("pk")
    ):
        matches += candidate_matches_build(ctx, candidate, placed)
    Match.objects.bulk_create(matches)
    for status, n in sorted(Counter(m.status for m in matches).items()):
        ctx.counts[f"matches {status}"] += n
    return matches


def enrolments_create(ctx: DemoContext, matches: list[Match], schools: list[MboInstelling]) -> None:
    """An enrolment (aangevraagd, or geaccepteerd with the leerbaan's start date) for every
    placed match, at a school that offers the kwalificatie in BBL (the first school likelier)."""
    aanbod = set(
        Opleidingsaanbod.objects.filter(instelling__in=schools, leerweg=Leerweg.BBL).values_list(
            "instelling_id", "kwalificatie_id"
        )
    )
    offers: dict[int, list[MboInstelling]] = {}
    for school in schools:  # in the schools' order, so the first school comes first
        for kwalificatie_id in sorted(k for i, k in aanbod if i == school.pk):
            offers.setdefault(kwalificatie_id, []).append(school)
    enrolments = []
    for match in (m for m in matches if m.status == MatchStatus.GEPLAATST):
        enrolment = enrolment_build(ctx, match, offers.get(match.leerbaan.kwalificatie_id, []))
        if enrolment:
            enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments)
    for status, n in sorted(Counter(e.status for e in enrolments).items()):
        ctx.counts[f"inschrijvingen {status}"] += n


def enrolment_build(
    ctx: DemoContext, match: Match, offering: list[MboInstelling]
) -> Enrolment | None:
    """An unsaved enrolment for a placed ``match`` at one of ``offering``, or None if no
    school offers the kwalificatie."""
    if not offering:
        return None
    weights = [PRIMARY_SCHOOL_WEIGHT if s == offering[0] else 1 for s in offering]
    accepted = ctx.rng.random() < 0.4
    return Enrolment(
        candidate=match.candidate,
        leerbaan=match.leerbaan,
        instelling=ctx.rng.choices(offering, weights=weights)[0],
        kwalificatie=match.leerbaan.kwalificatie,
        route=match.candidate.route,
        status=EnrolmentStatus.GEACCEPTEERD if accepted else EnrolmentStatus.AANGEVRAAGD,
        start_date=match.leerbaan.start_date if accepted else None,
    )
