"""Removing a demo region (``seed_demo --reset``), so that seeding again yields the same data."""

from django.db.models import Model, Q, QuerySet

from candidates.models import Candidate, CandidateTransition, Voordracht, VoordrachtTransition
from leerbedrijven.models import Leerbaan, LeerbaanTransition, Leerbedrijf, Praktijkopleider
from opleidingen.models import MboInstelling, Opleidingsaanbod
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.notifications.models import OutboxMessage
from trajecten.models import (
    CheckIn,
    Enrolment,
    EnrolmentTransition,
    Onderwijsovereenkomst,
    Praktijkovereenkomst,
    Praktijkverklaring,
    ProgrammeItem,
    Result,
    Vrijstelling,
)

# What hangs on an enrolment, each PROTECT (deleting an enrolment never takes its history): the
# demo's enrolments go after these.
_ENROLMENT_PARTS = (
    Praktijkovereenkomst,
    Onderwijsovereenkomst,
    ProgrammeItem,
    Vrijstelling,
    Result,
    CheckIn,
    Praktijkverklaring,
)


def _deleted(querysets: list[QuerySet], deleted: dict[str, int]) -> None:
    """Delete each queryset in order, adding the deleted rows per model label to
    ``deleted``."""
    for queryset in querysets:
        _, per_model = queryset.delete()
        for label, n in per_model.items():
            deleted[label] = deleted.get(label, 0) + n


def _logs(log_model: type[Model], field: str, objects: QuerySet, users, orgs) -> QuerySet:
    """The log rows of ``objects`` (via foreign key ``field``) and every row a demo user or
    demo organisation made (also on objects that stay)."""
    return log_model.objects.filter(
        Q(**{f"{field}__in": objects}) | Q(by__in=users) | Q(organisation__in=orgs)
    )


def demo_data_delete() -> dict[str, int]:
    """Delete every demo record and everything that hangs on a demo organisation or user.

    Beyond rows flagged ``is_demo`` this also removes what people made while trying the demo
    (a candidate registered by a demo consultant, a leerbaan of a demo leerbedrijf, voordrachten
    and enrolments for those, outbox messages to demo organisations). The transition logs go
    first: their foreign keys (object, ``by``, ``organisation``) are PROTECT; so do the rows
    demo users wrote in the logs of objects that stay. Real mbo-instellingen stay; only their
    link to a demo organisation is cleared. Returns the number of deleted rows per model label.
    Call inside a transaction.
    """
    orgs = Organisation.objects.filter(is_demo=True)
    users = User.objects.filter(Q(is_demo=True) | Q(organisation__in=orgs))
    candidates = Candidate.objects.filter(
        Q(is_demo=True) | Q(organisation__in=orgs) | Q(consultant__in=users)
    )
    leerbedrijven = Leerbedrijf.objects.filter(Q(is_demo=True) | Q(organisation__in=orgs))
    leerbanen = Leerbaan.objects.filter(leerbedrijf__in=leerbedrijven)
    voordrachten = Voordracht.objects.filter(
        Q(candidate__in=candidates) | Q(leerbaan__in=leerbanen)
    )
    enrolments = Enrolment.objects.filter(
        Q(candidate__in=candidates) | Q(leerbaan__in=leerbanen) | Q(voordracht__in=voordrachten)
    )
    deleted: dict[str, int] = {}
    _deleted(
        [
            _logs(EnrolmentTransition, "enrolment", enrolments, users, orgs),
            _logs(VoordrachtTransition, "voordracht", voordrachten, users, orgs),
            _logs(CandidateTransition, "candidate", candidates, users, orgs),
            _logs(LeerbaanTransition, "leerbaan", leerbanen, users, orgs),
            *(part.objects.filter(enrolment__in=enrolments) for part in _ENROLMENT_PARTS),
            enrolments,
            voordrachten,
            candidates,
            leerbanen,  # Leerbaan.vestiging is RESTRICT: the leerbanen go before their leerbedrijf
            # Praktijkopleider.vestiging is PROTECT: they go before their leerbedrijf too.
            Praktijkopleider.objects.filter(leerbedrijf__in=leerbedrijven),
            leerbedrijven,
            Opleidingsaanbod.objects.filter(is_demo=True),
            OutboxMessage.objects.filter(organisation__in=orgs),
        ],
        deleted,
    )
    MboInstelling.objects.filter(organisation__in=orgs).update(organisation=None)
    _deleted([users, orgs], deleted)
    return deleted
