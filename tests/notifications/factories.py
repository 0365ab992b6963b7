import factory
from django.utils import timezone

from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import OutboxMessage
from tests.accounts.factories import OrganisationFactory


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A pending e-mail to an organisation; traits ``sent`` and ``failed``."""

    class Meta:
        model = OutboxMessage

    organisation = factory.SubFactory(OrganisationFactory)
    event = "match.proposed"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    to_email = factory.SelfAttribute("organisation.email")
    subject = "Nieuwe match"
    body = factory.Faker("paragraph", locale="nl_NL")
    status = OutboxStatus.PENDING

    class Params:
        sent = factory.Trait(
            status=OutboxStatus.SENT, attempts=1, sent_at=factory.LazyFunction(timezone.now)
        )
        failed = factory.Trait(status=OutboxStatus.FAILED, attempts=5, last_error="x: y")
