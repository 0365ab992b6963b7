"""Removing a previous demo region, so that seeding again yields the same data."""

from django.db.models import Q

from candidates.models import Candidate, Enrolment
from leerbedrijven.models import Leerbaan, Leerbedrijf
from opleidingen.models import MboInstelling, Opleidingsaanbod
from praktijkleren.accounts.models import Organisation, User
from praktijkleren.notifications.models import OutboxMessage


def demo_data_delete() -> dict[str, int]:
    """Delete every demo record and everything that hangs on a demo organisation or user.

    Beyond rows flagged ``is_demo`` this also removes what people made while trying the demo
    (a candidate registered by a demo consultant, a leerbaan of a demo leerbedrijf, outbox
    messages to demo organisations). Real mbo-instellingen stay; only their link to a demo
    organisation is cleared. Returns the number of deleted rows per model label. Call inside a
    transaction.
    """
    orgs = Organisation.objects.filter(is_demo=True)
    users = User.objects.filter(Q(is_demo=True) | Q(organisation__in=orgs))
    candidates = Candidate.objects.filter(
        Q(is_demo=True) | Q(organisation__in=orgs) | Q(consultant__in=users)
    )
    leerbedrijven = Leerbedrijf.objects.filter(Q(is_demo=True) | Q(organisation__in=orgs))
    deleted: dict[str, int] = {}
    for queryset in (
        Enrolment.objects.filter(
            Q(candidate__in=candidates) | Q(leerbaan__leerbedrijf__in=leerbedrijven)
        ),
        candidates,
        # Leerbaan.vestiging is PROTECT, so the leerbanen go before their leerbedrijf.
        Leerbaan.objects.filter(leerbedrijf__in=leerbedrijven),
        leerbedrijven,
        Opleidingsaanbod.objects.filter(is_demo=True),
        OutboxMessage.objects.filter(organisation__in=orgs),
    ):
        _, per_model = queryset.delete()
        for label, n in per_model.items():
            deleted[label] = deleted.get(label, 0) + n
    MboInstelling.objects.filter(organisation__in=orgs).update(organisation=None)
    for queryset in (users, orgs):
        _, per_model = queryset.delete()
        deleted.update(per_model)
    return deleted
