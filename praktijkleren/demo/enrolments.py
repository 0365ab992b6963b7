"""Demo enrolments: one for every accepted voordracht, as ``trajecten.services`` requests it
(at the nearest demo school that offers the kwalificatie in BBL, or without instelling: the
consultant's to-do), some already accepted by the school with the leerbaan's start date, and of
those some started and under way (``praktijkleren.demo.progress``)."""

import datetime as dt

from candidates.constants import VoordrachtStatus
from candidates.models import Candidate
from opleidingen.models import Kwalificatie, MboInstelling
from opleidingen.selectors import (
    OfferingInstelling,
    instellingen_offering,
    startmomenten_with_room,
)
from praktijkleren.demo import progress as demo_progress
from praktijkleren.demo.context import DemoContext
from praktijkleren.demo.history import Step, logs_create, stamps_save
from praktijkleren.demo.voordrachten import VoordrachtStory
from trajecten.constants import EnrolmentStatus
from trajecten.models import Enrolment, EnrolmentTransition

E = EnrolmentStatus
ACCEPTED_SHARE = 0.4
ACCEPT_WITHIN = dt.timedelta(days=4)


def nearest_school(
    candidate: Candidate, kwalificatie: Kwalificatie, schools: list[MboInstelling]
) -> OfferingInstelling | None:
    """The demo school nearest to the candidate's home (PC4 point) that offers
    ``kwalificatie`` in BBL (``opleidingen.selectors.instellingen_offering``), or None."""
    home = candidate.postcode
    school_ids = {s.pk for s in schools}
    offering = instellingen_offering(kwalificatie=kwalificatie, lat=home.lat, lon=home.lon)
    return next((o for o in offering if o.instelling.pk in school_ids), None)


def enrolment_build(
    ctx: DemoContext, plan: VoordrachtStory, schools: list[MboInstelling]
) -> tuple[Enrolment, list[Step]]:
    """An unsaved enrolment for the saved, accepted voordracht of ``plan`` with its history:
    requested by the werkgever at the acceptance; accepted by the school (about 40%, only with
    an instelling) within four days and before ``ctx.horizon``, with the leerbaan's start date;
    of those, some started soon after (``demo_progress.start_plan``: then that is the start
    date, and the candidate is in opleiding)."""
    candidate, leerbaan = plan.candidate.candidate, plan.leerbaan.leerbaan
    nearest = nearest_school(candidate, leerbaan.kwalificatie, schools)
    steps = [Step("request", E.AANGEVRAAGD, plan.decided_at, plan.leerbaan.werkgever)]
    start_date = None
    if ctx.rng.random() < ACCEPTED_SHARE and nearest is not None:
        organisation = next(s.organisation for s in schools if s.pk == nearest.instelling.pk)
        at = ctx.moment_between(plan.decided_at, min(ctx.horizon, plan.decided_at + ACCEPT_WITHIN))
        school = ctx.actor(organisation)
        steps.append(Step("accept", E.GEACCEPTEERD, at, school))
        start_date = leerbaan.start_date
        started = demo_progress.start_plan(ctx, at, school)
        if started:
            start_date = started.at.date()
            steps.append(started)
            plan.candidate.steps.append(demo_progress.candidate_step(started))
    enrolment = Enrolment(
        candidate=candidate,
        voordracht=plan.voordracht,
        leerbaan=leerbaan,
        instelling=nearest.instelling if nearest else None,
        kwalificatie=leerbaan.kwalificatie,
        route=candidate.route,
        distance_km=nearest.km if nearest else None,
        status=steps[-1].to_state,
        start_date=start_date,
        startmoment=proposed_startmoment(candidate, leerbaan, nearest) if len(steps) == 1 else None,
    )
    return enrolment, steps


def proposed_startmoment(candidate, leerbaan, nearest: OfferingInstelling | None):
    """What the portal proposes with a request: the instelling's first start moment with room
    for the kwalificatie in BBL from the candidate's earliest start date, or None."""
    if nearest is None:
        return None
    return startmomenten_with_room(
        instelling=nearest.instelling,
        kwalificatie=leerbaan.kwalificatie,
        from_date=candidate.earliest_start_date,
    ).first()


def enrolments_create(
    ctx: DemoContext, plans: list[VoordrachtStory], schools: list[MboInstelling]
) -> None:
    """An enrolment with its history for every accepted voordracht among ``plans``;
    ``created_at`` is the request, ``updated_at`` the last step."""
    accepted = [p for p in plans if p.status == VoordrachtStatus.AANGENOMEN]
    built = [enrolment_build(ctx, p, schools) for p in accepted]
    Enrolment.objects.bulk_create([enrolment for enrolment, _ in built])
    for enrolment, _ in built:
        ctx.counts[f"inschrijvingen {enrolment.status}"] += 1
        if enrolment.instelling is None:
            ctx.counts["inschrijvingen zonder instelling (taak consulent)"] += 1
    ctx.counts["overgangen"] += logs_create(EnrolmentTransition, "enrolment", built)
    stamps_save(
        Enrolment,
        [(e, {"created_at": steps[0].at, "updated_at": steps[-1].at}) for e, steps in built],
    )
    demo_progress.progress_create(
        ctx,
        [
            started_of(e, steps)
            for e, steps in built
            if e.start_date and e.status in (E.GESTART, E.AFGEROND)
        ],
    )


def started_of(enrolment: Enrolment, steps: list[Step]) -> demo_progress.Started:
    """The started enrolment with its start date and the school that started it."""
    start = next(step for step in steps if step.transition == "start")
    assert enrolment.start_date is not None
    return demo_progress.Started(
        enrolment=enrolment, start=enrolment.start_date, school=start.actor
    )
