"""The daily digest (``notifications.digest.digests_send``): a user's held e-mails (preference
"digest") become one e-mail to that user with every item in order, queued after the commit; the
held rows are marked sent, so a second run finds nothing."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from leerbedrijven.notify import leerbaan_notify
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus
from praktijkleren.notifications.delivery import outbox_deliver
from praktijkleren.notifications.digest import digests_send
from praktijkleren.notifications.models import OutboxMessage
from praktijkleren.notifications.services import preference_set
from praktijkleren.notifications.tasks import digests_send_task
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.leerbedrijven.factories import LeerbaanFactory
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def _held(user, *subjects):
    """Held e-mails to ``user``, one per subject, created in that order."""
    return [
        OutboxMessageFactory(
            organisation=user.organisation,
            user=user,
            to_email=user.email,
            subject=subject,
            status=OutboxStatus.HELD,
        )
        for subject in subjects
    ]


def _digest_of(user):
    return OutboxMessage.objects.get(user=user, kind="digest")


def _in_order(text, parts):
    positions = [text.index(part) for part in parts]
    return positions == sorted(positions)


def test_events_a_user_reads_daily_are_held_and_sent_as_one_digest(
    queued, mailoutbox, django_capture_on_commit_callbacks
):
    """The real path: a werkgever user who chose the digest for published leerbanen."""
    user = UserFactory(organisation=OrganisationFactory(werkgever=True))
    preference_set(user=user, event_type_name="leerbaan.published", mode=Mode.DIGEST)
    titles = ["Leerbaan Kok", "Leerbaan Bakker", "Leerbaan Monteur"]
    for titel in titles:
        leerbaan = LeerbaanFactory(titel=titel, leerbedrijf__organisation=user.organisation)
        with transaction.atomic():
            leerbaan_notify(leerbaan=leerbaan, type="leerbaan.published", version=1)
    held = OutboxMessage.objects.filter(user=user, channel=Channel.EMAIL)
    assert set(held.values_list("status", flat=True)) == {OutboxStatus.HELD}
    assert held.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1

    digest = _digest_of(user)
    subjects = [f"Gepubliceerd: {titel}" for titel in titles]
    assert digest.to_email == user.email
    assert digest.status == OutboxStatus.PENDING
    assert digest.subject.endswith("(3 meldingen)")
    assert _in_order(digest.body, subjects)
    assert _in_order(digest.body_html, subjects)
    assert queued == [digest.pk]
    for row in held.exclude(pk=digest.pk):
        assert (row.status, row.last_error) == (OutboxStatus.SENT, f"in digest {digest.pk}")
        assert row.sent_at is not None
    # The organisation's mailbox is not a person: its e-mails went out at once, not in a digest.
    mailbox = OutboxMessage.objects.filter(
        organisation=user.organisation, user__isnull=True, channel=Channel.EMAIL
    )
    assert set(mailbox.values_list("status", flat=True)) == {OutboxStatus.PENDING}

    assert outbox_deliver(message_id=digest.pk) is True
    assert [(m.to, m.subject) for m in mailoutbox] == [([user.email], digest.subject)]
    assert _in_order(mailoutbox[0].body, subjects)


def test_items_follow_the_order_they_were_held_in_not_their_ids(queued):
    user = UserFactory()
    first, second, third = _held(user, "Item A", "Item B", "Item C")
    now = timezone.now()
    for row, minutes_ago in [(first, 5), (second, 1), (third, 10)]:
        OutboxMessage.objects.filter(pk=row.pk).update(
            created_at=now - dt.timedelta(minutes=minutes_ago)
        )

    digests_send()

    assert _in_order(_digest_of(user).body, ["Item C", "Item A", "Item B"])


def test_a_second_run_finds_nothing(queued, django_capture_on_commit_callbacks):
    user = UserFactory()
    _held(user, "Item A")
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    count = OutboxMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send_task() == 0

    assert OutboxMessage.objects.count() == count
    assert len(queued) == 1


def test_users_without_held_emails_get_no_digest(queued):
    reader, other = UserFactory(), UserFactory()
    _held(reader, "Item A")
    # Pending, sent and failed e-mails are not held: no digest for their user.
    for trait in [{}, {"sent": True}, {"failed": True}]:
        OutboxMessageFactory(user=other, to_email=other.email, **trait)

    assert digests_send() == 1

    digests = OutboxMessage.objects.filter(kind="digest")
    assert list(digests.values_list("user", flat=True)) == [reader.pk]


def test_each_digest_holds_only_its_own_users_items(queued):
    anna, bram = UserFactory(), UserFactory()
    _held(anna, "Voor Anna 1", "Voor Anna 2")
    _held(bram, "Voor Bram 1")

    assert digests_send() == 2

    for user, own, foreign in [(anna, "Voor Anna", "Voor Bram"), (bram, "Voor Bram", "Voor Anna")]:
        digest = _digest_of(user)
        assert digest.to_email == user.email
        assert own in digest.body
        assert foreign not in digest.body + digest.body_html
    assert _digest_of(anna).subject.endswith("(2 meldingen)")


def test_the_digest_is_queued_only_after_the_commit(queued, django_capture_on_commit_callbacks):
    _held(UserFactory(), "Item A")

    with django_capture_on_commit_callbacks() as callbacks:
        digests_send()
        assert queued == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [OutboxMessage.objects.get(kind="digest").pk]
