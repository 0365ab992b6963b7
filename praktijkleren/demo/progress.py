"""Demo trajecten under way: some accepted enrolments started (signed POK and OOK, an agreed
programme for their route, check-ins planned, werkprocessen confirmed and check-ins held where
the start lies far enough back). Written in bulk, like the rest of the demo, never through the
services (``praktijkleren.demo.history``). The demo region's history spans four weeks, so no
demo traject is completed yet: a school completes one and issues its praktijkverklaring in the
portal."""

import datetime as dt
from dataclasses import dataclass

from candidates.constants import CandidateStatus
from opleidingen.constants import Route
from opleidingen.selectors import werkprocessen_of
from praktijkleren.demo.context import DemoContext
from praktijkleren.demo.history import Actor, Step
from trajecten.constants import (
    CheckInDay,
    ConfirmedRole,
    EnrolmentStatus,
    ProgrammeItemKind,
    ResultKind,
    generic_parts_for,
)
from trajecten.models import (
    CheckIn,
    Enrolment,
    Onderwijsovereenkomst,
    Praktijkovereenkomst,
    ProgrammeItem,
    Result,
)

E = EnrolmentStatus
STARTED_SHARE = 0.6
CHECKIN_MISSED_SHARE = 0.15
CHECKIN_RISK_SHARE = 0.1


@dataclass
class Started:
    """An enrolment the demo starts: on ``start`` (a date), by ``school`` (the acting school)."""

    enrolment: Enrolment
    start: dt.date
    school: Actor


def start_plan(ctx: DemoContext, accepted_at: dt.datetime, school: Actor) -> Step | None:
    """The start of an accepted enrolment (about 60%): 1–3 days after its acceptance and before
    ``ctx.today``; None when it does not start (yet)."""
    if ctx.rng.random() >= STARTED_SHARE:
        return None
    day = accepted_at.date() + dt.timedelta(days=ctx.rng.randint(1, 3))
    if day >= ctx.today:
        return None
    return Step("start", E.GESTART, ctx.office_moment(day), school)


def candidate_step(started: Step) -> Step:
    """The candidate follows its enrolment: in opleiding at the start."""
    return Step("start_training", CandidateStatus.IN_OPLEIDING, started.at, started.actor)


def progress_create(ctx: DemoContext, started: list[Started]) -> None:
    """For every saved, started enrolment: its agreements, programme, confirmations, check-ins
    and lessons."""
    for plan in started:
        agreements_create(plan)
        items = programme_create(ctx, plan)
        checkins_create(ctx, plan)
        results_create(ctx, plan)
        ctx.counts["inschrijvingen gestart met programma"] += 1
        confirmed = sum(1 for item in items if item.confirmed_on)
        ctx.counts["werkprocessen bevestigd"] += confirmed


def agreements_create(plan: Started) -> None:
    """A POK signed by the three parties and a signed OOK, a week before the start."""
    signed = plan.start - dt.timedelta(days=7)
    enrolment = plan.enrolment
    hours = enrolment.leerbaan.hours_per_week if enrolment.leerbaan else 24
    Praktijkovereenkomst.objects.create(
        enrolment=enrolment,
        period_start=plan.start,
        period_end=plan.start + dt.timedelta(days=365),
        hours_per_week=hours,
        hours_spread="Verdeeld over vier werkdagen; één dag per week naar school (demo).",
        guidance="De praktijkopleider spreekt de kandidaat elke week (demo).",
        onderdeel="De werkprocessen van het programma (demo).",
        assessment="Beoordeling in de praktijk door praktijkopleider en school (demo).",
        signed_by_school=signed,
        signed_by_candidate=signed,
        signed_by_leerbedrijf=signed,
    )
    Onderwijsovereenkomst.objects.create(enrolment=enrolment, signed_on=signed)


def programme_create(ctx: DemoContext, plan: Started) -> list[ProgrammeItem]:
    """The programme of the enrolment's route (praktijkverklaring: what the leerbaan teaches;
    diploma: the kwalificatie's werkprocessen and generic parts; certificaat: the leerbaan's
    werkprocessen), agreed by all three before the start, with werkprocessen confirmed by the
    praktijkopleider in order over the time since the start."""
    enrolment = plan.enrolment
    taught = list(enrolment.leerbaan.werkprocessen.all()) if enrolment.leerbaan else []
    werkprocessen = taught or list(werkprocessen_of(kwalificatie=enrolment.kwalificatie))
    if enrolment.route == Route.DIPLOMA:
        werkprocessen = list(werkprocessen_of(kwalificatie=enrolment.kwalificatie)) or taught
    end = ctx.today - dt.timedelta(days=1)
    days = (end - plan.start).days
    n_confirmed = max(1, round(len(werkprocessen) * min(0.8, days / 240))) if days >= 14 else 0
    items = [
        ProgrammeItem(
            enrolment=enrolment,
            kind=ProgrammeItemKind.WERKPROCES,
            werkproces=werkproces,
            **confirmation(ctx, plan, end) if i < n_confirmed else {},
        )
        for i, werkproces in enumerate(werkprocessen)
    ]
    if enrolment.route == Route.DIPLOMA:
        items += [
            ProgrammeItem(enrolment=enrolment, kind=ProgrammeItemKind.GENERIEK, generic_part=p)
            for p in generic_parts_for(enrolment.kwalificatie.niveau)
        ]
    ProgrammeItem.objects.bulk_create(items)
    agreed = plan.start - dt.timedelta(days=3)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        programme_agreed_by_school=agreed,
        programme_agreed_by_leerbedrijf=agreed,
        programme_agreed_by_candidate=agreed,
    )
    return items


def confirmation(ctx: DemoContext, plan: Started, end: dt.date) -> dict:
    """A confirmation by the praktijkopleider (the werkgever's demo user, where the leerbedrijf
    has one) on a day between two weeks after the start and ``end``."""
    first = plan.start + dt.timedelta(days=14)
    day = first + dt.timedelta(days=ctx.rng.randint(0, max(0, (end - first).days)))
    organisation = plan.enrolment.leerbaan.leerbedrijf.organisation
    return {
        "confirmed_on": min(day, end),
        "confirmed_by": ctx.logins.get(organisation.pk) if organisation else None,
        "confirmed_role": ConfirmedRole.PRAKTIJKOPLEIDER,
    }


def checkins_create(ctx: DemoContext, plan: Started) -> None:
    """The check-ins 30, 60 and 90 days after the start; those due before today were mostly
    held with leerbedrijf and candidate (some flag a problem), a few missed."""
    rows = []
    for day in CheckInDay.values:
        due = plan.start + dt.timedelta(days=int(day))
        held = due < ctx.today and ctx.rng.random() >= CHECKIN_MISSED_SHARE
        risk = held and ctx.rng.random() < CHECKIN_RISK_SHARE
        rows.append(
            CheckIn(
                enrolment=plan.enrolment,
                day=day,
                due_on=due,
                held_on=due if held else None,
                with_leerbedrijf=held,
                with_candidate=held,
                risk=risk,
                note=(
                    "Kandidaat mist vaak de schooldag; afspraak gemaakt (demo)."
                    if risk
                    else "Gaat goed (demo)."
                    if held
                    else ""
                ),
                recorded_by=plan.school.user if held else None,
            )
        )
    CheckIn.objects.bulk_create(rows)


def results_create(ctx: DemoContext, plan: Started) -> None:
    """A lesson passed a month after the start, on the certificaat and diploma routes."""
    day = plan.start + dt.timedelta(days=30)
    if plan.enrolment.route == Route.PRAKTIJKVERKLARING or day >= ctx.today:
        return
    if plan.school.user is None:
        return
    Result.objects.create(
        enrolment=plan.enrolment,
        kind=ResultKind.LES,
        name="Beroepsgerichte lessen, blok 1 (demo)",
        passed=True,
        result_date=day,
        created_by=plan.school.user,
    )
