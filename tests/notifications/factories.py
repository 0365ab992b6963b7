import factory
from django.utils import timezone

from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import Event, Notification, OutboxMessage
from tests.accounts.factories import OrganisationFactory, UserFactory


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A pending e-mail to an organisation; traits ``sent`` and ``failed``."""

    class Meta:
        model = OutboxMessage

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "voordracht.made"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    to_email = factory.SelfAttribute("organisation.email")
    subject = "Nieuwe match"
    body = factory.Faker("paragraph", locale="nl_NL")
    status = OutboxStatus.PENDING

    class Params:
        sent = factory.Trait(
            status=OutboxStatus.SENT, attempts=1, sent_at=factory.LazyFunction(timezone.now)
        )
        failed = factory.Trait(status=OutboxStatus.FAILED, attempts=8, last_error="x: y")


class EventFactory(factory.django.DjangoModelFactory):
    """A voordracht.made event of a made-up object."""

    class Meta:
        model = Event

    type = "voordracht.made"
    subject_type = "voordracht"
    subject_id = factory.Sequence(lambda n: n + 1)
    version = 1
    path = "/voordrachten/1/"


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread notification of a user."""

    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    event = factory.SubFactory(EventFactory)
    title = "Nieuwe voordracht"
