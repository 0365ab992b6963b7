"""Demo voordrachten: for about half of the consenting candidates a consultant proposed 1–2 of
the portal's best suggestions (``leerbanen_matching`` on the reference date), and the
werkgevers answered some of them.

Written with the ORM, not with the services: seeding must notify nobody and its moments are
relative to the reference date. The result is what the services (``candidates.services``)
would have left:

- a candidate's voordrachten are made together, after its activation and the leerbanen's
  publication, within the last 28 days (so the scheduled job still lets the open ones be);
- a leerbaan takes at most ``places`` acceptances; the last one fills it (vervuld), after every
  voordracht for it was made, and its other open voordrachten expire then;
- an acceptance turns the candidate's other open voordrachten into elders geplaatst;
- whatever ends an open voordracht first (a decline, the placement elsewhere, the leerbaan
  filling) is its end; an invitation planned after that end never happened;
- the candidate follows: voorgedragen with its voordrachten, geplaatst when one is accepted,
  actief again when its last open voordracht ended.
"""

import datetime as dt
from dataclasses import dataclass, field

from candidates.constants import (
    OPEN_VOORDRACHT_STATUSES,
    CandidateStatus,
    DeclineReason,
    VoordrachtStatus,
)
from candidates.models import Candidate, Voordracht, VoordrachtTransition
from candidates.selectors import leerbanen_matching
from praktijkleren.demo.candidates import CandidateStory
from praktijkleren.demo.context import DemoContext
from praktijkleren.demo.history import Step, logs_create, stamps_save
from praktijkleren.demo.leerbanen import LeerbaanStory

V = VoordrachtStatus
MATCHED_SHARE = 0.55
TOP = 3
# The outcome of a candidate's best voordracht; the others are voorgedragen or afgewezen.
FIRST_OUTCOME_WEIGHTS = {V.VOORGEDRAGEN: 35, V.UITGENODIGD: 25, V.AANGENOMEN: 25, V.AFGEWEZEN: 15}
INVITED_BEFORE_DECLINE = 0.5
# Reasons a werkgever gives without (False) or after (True) an interview.
DECLINE_REASONS = {
    False: (DeclineReason.PROFIEL, DeclineReason.ANDERE_KANDIDAAT, DeclineReason.KANDIDAAT_ZIET_AF),
    True: (
        DeclineReason.GESPREK,
        DeclineReason.NIET_VERSCHENEN,
        DeclineReason.KANDIDAAT_ZIET_AF,
        DeclineReason.ANDERE_KANDIDAAT,
    ),
}
# Voordrachten are made within this window before the reference date (the scheduled job
# expires a voordracht unanswered for 30 days), and this long after activation or publication.
WINDOW = dt.timedelta(days=28)
SETTLE = dt.timedelta(minutes=30)


@dataclass
class VoordrachtStory:
    """A planned voordracht of ``candidate`` for ``leerbaan`` with the match's ``score``
    (0–100) and ``reasons``; ``outcome`` is what the werkgever planned to do (voorgedragen:
    nothing yet, uitgenodigd, aangenomen or afgewezen with ``decline_reason``), ``invite``
    whether an invitation comes first. The moments follow; ``steps`` is its history and
    ``voordracht`` the saved row."""

    candidate: CandidateStory
    leerbaan: LeerbaanStory
    score: float
    reasons: list[str]
    outcome: str
    invite: bool = False
    decline_reason: str = ""
    made_at: dt.datetime | None = None
    invited_at: dt.datetime | None = None
    decided_at: dt.datetime | None = None
    steps: list[Step] = field(default_factory=list)
    voordracht: Voordracht | None = None

    @property
    def status(self) -> str:
        """The state its history reached."""
        return self.steps[-1].to_state


def outcomes_pick(ctx: DemoContext, count: int) -> list[str]:
    """Planned outcomes for a candidate's ``count`` voordrachten, best first: the best one
    anywhere from voorgedragen to aangenomen or afgewezen, the others voorgedragen or
    afgewezen."""
    if count == 0:
        return []
    weights = FIRST_OUTCOME_WEIGHTS
    first = ctx.rng.choices(list(weights), list(weights.values()))[0]
    rest = [ctx.rng.choice((V.VOORGEDRAGEN, V.AFGEWEZEN)) for _ in range(count - 1)]
    return [first, *rest]


def voordrachten_plan(
    ctx: DemoContext,
    story: CandidateStory,
    candidate: Candidate,
    leerbanen: dict[int, LeerbaanStory],
) -> None:
    """Plan 1–2 voordrachten of ``story``'s candidate (``candidate``: the same row with its
    postcode and wishes loaded) for its best suggestions that still have a place
    (``leerbanen``: stories by leerbaan id, their ``taken`` counts the planned acceptances).
    An acceptance without a place left becomes an invitation."""
    found = leerbanen_matching(candidate=candidate, limit=TOP, on_date=ctx.today)
    found = [m for m in found if leerbanen[m.leerbaan.pk].has_place]
    chosen = found[: ctx.rng.randint(1, 2)]
    for match, outcome in zip(chosen, outcomes_pick(ctx, len(chosen)), strict=True):
        leerbaan = leerbanen[match.leerbaan.pk]
        if outcome == V.AANGENOMEN and not leerbaan.has_place:
            outcome = V.UITGENODIGD
        if outcome == V.AANGENOMEN:
            leerbaan.taken += 1
        plan = VoordrachtStory(story, leerbaan, match.score, match.reasons, outcome)
        plan.invite = outcome in (V.UITGENODIGD, V.AANGENOMEN)
        if outcome == V.AFGEWEZEN:
            plan.invite = ctx.rng.random() < INVITED_BEFORE_DECLINE
            plan.decline_reason = ctx.rng.choice(DECLINE_REASONS[plan.invite])
        story.voordrachten.append(plan)


def moments_draw(ctx: DemoContext, story: CandidateStory) -> None:
    """The moments of a candidate's planned voordrachten: all made at one moment in the first
    half of the time left after its activation and the leerbanen's publication (within
    ``WINDOW``); invitations and decisions afterwards, in order, before ``ctx.horizon``."""
    plans = story.voordrachten
    published = [p.leerbaan.published_at for p in plans]
    start = max(story.steps[-1].at, ctx.day_start - WINDOW, *published) + SETTLE
    made = ctx.moment_between(start, start + (ctx.horizon - start) / 2)
    for plan in plans:
        plan.made_at = made
        decided = plan.outcome in (V.AANGENOMEN, V.AFGEWEZEN)
        moments = sorted(
            ctx.moment_between(made, ctx.horizon) for _ in range(plan.invite + decided)
        )
        plan.invited_at = moments.pop(0) if plan.invite else None
        plan.decided_at = moments.pop(0) if decided else None


def fills_settle(ctx: DemoContext, plans: list[VoordrachtStory]) -> None:
    """Fill every leerbaan whose places are all taken: at its last acceptance, moved after
    the last voordracht made for it when needed (a full leerbaan takes no voordrachten)."""
    by_leerbaan: dict[int, list[VoordrachtStory]] = {}
    for plan in plans:
        by_leerbaan.setdefault(plan.leerbaan.leerbaan.pk, []).append(plan)
    for group in by_leerbaan.values():
        leerbaan = group[0].leerbaan
        if leerbaan.has_place:
            continue
        accepted = [p for p in group if p.outcome == V.AANGENOMEN]
        last = max(accepted, key=lambda p: p.decided_at)
        latest_made = max(p.made_at for p in group)
        if last.decided_at <= latest_made:
            last.decided_at = ctx.moment_between(latest_made, ctx.horizon)
        leerbaan.filled_at, leerbaan.filled_by = last.decided_at, leerbaan.werkgever


def ending(plan: VoordrachtStory) -> Step | None:
    """What ends a voordracht that was not accepted, if anything: the first of its planned
    decline, the candidate's acceptance elsewhere and its leerbaan filling up."""
    ends = []
    if plan.outcome == V.AFGEWEZEN:
        werkgever = plan.leerbaan.werkgever
        reason = plan.decline_reason
        ends.append(Step("decline", V.AFGEWEZEN, plan.decided_at, werkgever, reason_code=reason))
    for other in plan.candidate.voordrachten:
        if other.outcome == V.AANGENOMEN and other is not plan:
            reason = f"Geplaatst bij {other.leerbaan.leerbaan.titel}."
            werkgever = other.leerbaan.werkgever
            ends.append(
                Step("place_elsewhere", V.ELDERS_GEPLAATST, other.decided_at, werkgever, "", reason)
            )
    if plan.leerbaan.filled_at:
        filled = plan.leerbaan
        reason = "De leerbaan is vervuld."
        ends.append(Step("expire", V.VERLOPEN, filled.filled_at, filled.filled_by, "", reason))
    return min(ends, key=lambda step: step.at, default=None)


def voordracht_steps(plan: VoordrachtStory) -> list[Step]:
    """The history of a planned voordracht: made by the candidate's consultant, invited and
    accepted or ended (``ending``); an invitation after the end is left out."""
    werkgever = plan.leerbaan.werkgever
    steps = [Step("make", V.VOORGEDRAGEN, plan.made_at, plan.candidate.consultant)]
    if plan.outcome == V.AANGENOMEN:
        end = Step("accept", V.AANGENOMEN, plan.decided_at, werkgever)
    else:
        end = ending(plan)
    if plan.invited_at and (end is None or plan.invited_at < end.at):
        steps.append(Step("invite", V.UITGENODIGD, plan.invited_at, werkgever))
    return [*steps, end] if end else steps


def candidate_follow(story: CandidateStory) -> None:
    """Add to a candidate's history what its voordrachten made of it: voorgedragen when they
    were made; geplaatst at the acceptance; else actief again when the last one ended."""
    plans = story.voordrachten
    if not plans:
        return
    made = min(p.made_at for p in plans)
    story.steps.append(Step("propose", CandidateStatus.VOORGEDRAGEN, made, story.consultant))
    placed = next((p for p in plans if p.status == V.AANGENOMEN), None)
    if placed:
        werkgever = placed.leerbaan.werkgever
        story.steps.append(Step("place", CandidateStatus.GEPLAATST, placed.decided_at, werkgever))
    elif not any(p.status in OPEN_VOORDRACHT_STATUSES for p in plans):
        last = max((p.steps[-1] for p in plans), key=lambda step: step.at)
        story.steps.append(Step("return_to_search", CandidateStatus.ACTIEF, last.at, last.actor))


def voordrachten_save(ctx: DemoContext, plans: list[VoordrachtStory]) -> None:
    """Create the voordrachten in their final state with their histories; ``created_at`` is
    the moment made, ``updated_at`` the last step."""
    rows = Voordracht.objects.bulk_create(
        Voordracht(
            candidate=p.candidate.candidate,
            leerbaan=p.leerbaan.leerbaan,
            score=p.score,
            reasons=p.reasons,
            status=p.status,
            decline_reason=p.decline_reason if p.status == V.AFGEWEZEN else "",
        )
        for p in plans
    )
    for plan, row in zip(plans, rows, strict=True):
        plan.voordracht = row
        ctx.counts[f"voordrachten {plan.status}"] += 1
    ctx.counts["overgangen"] += logs_create(
        VoordrachtTransition, "voordracht", ((p.voordracht, p.steps) for p in plans)
    )
    stamps_save(
        Voordracht,
        [(p.voordracht, {"created_at": p.made_at, "updated_at": p.steps[-1].at}) for p in plans],
    )


def voordrachten_create(
    ctx: DemoContext,
    stories: list[CandidateStory],
    leerbanen: dict[int, LeerbaanStory],
    showcase: set[int],
) -> list[VoordrachtStory]:
    """Voordrachten for about half of the consenting candidates, and always for those in
    ``showcase`` (candidate ids, e.g. half of each demo account's own); settles the leerbanen
    that fill up and every candidate's history. Returns the saved stories."""
    by_id = {s.candidate.pk: s for s in stories}
    chosen = [pk for pk in by_id if ctx.rng.random() < MATCHED_SHARE or pk in showcase]
    for candidate in (
        Candidate.objects.filter(pk__in=chosen, consent_given_at__isnull=False)
        .select_related("postcode")
        .prefetch_related("wished_kwalificaties", "wished_dossiers")
        .order_by("pk")
    ):
        story = by_id[candidate.pk]
        voordrachten_plan(ctx, story, candidate, leerbanen)
        if story.voordrachten:
            moments_draw(ctx, story)
    plans = [p for s in stories for p in s.voordrachten]
    fills_settle(ctx, plans)
    for plan in plans:
        plan.steps = voordracht_steps(plan)
    for story in stories:
        candidate_follow(story)
    voordrachten_save(ctx, plans)
    return plans
