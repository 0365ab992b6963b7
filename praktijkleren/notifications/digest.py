"""The daily digest: one e-mail per user with the events it chose to read once a day."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from praktijkleren.notifications.constants import Channel, OutboxStatus
from praktijkleren.notifications.delivery import delivery_queue_on_commit
from praktijkleren.notifications.models import OutboxMessage

logger = logging.getLogger(__name__)


def digests_send() -> int:
    """Bundle every user's held e-mails (``OutboxStatus.HELD``) into one digest e-mail each,
    queued for delivery; the held rows are marked sent (their content went out in the digest).
    One transaction per user; a second run the same day finds nothing left. Returns the number
    of digests."""
    held = OutboxMessage.objects.filter(status=OutboxStatus.HELD, user__isnull=False)
    by_user: dict[int, list[int]] = defaultdict(list)
    for message_id, user_id in held.order_by("created_at", "pk").values_list("pk", "user_id"):
        by_user[user_id].append(message_id)
    for user_id, ids in by_user.items():
        _digest_one(user_id, ids)
    return len(by_user)


def _digest_one(user_id: int, ids: list[int]) -> None:
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, status=OutboxStatus.HELD)
            .select_related("user", "organisation")
            .order_by("created_at", "pk")
        )
        if not rows:
            return
        first = rows[0]
        user = first.user
        assert user is not None  # held rows are e-mails to a person
        today = timezone.localdate()
        context = {
            "recipient_name": user.get_full_name() or user.username,
            "items": [(row.subject, row.body) for row in rows],
            "settings_url": settings.PORTAL_URL.rstrip("/") + reverse("notifications:preferences"),
            "date": today,
        }
        subject = ngettext(
            "Uw dagelijkse samenvatting van Praktijkleren (%(n)d melding)",
            "Uw dagelijkse samenvatting van Praktijkleren (%(n)d meldingen)",
            len(rows),
        ) % {"n": len(rows)}
        digest = OutboxMessage.objects.create(
            channel=Channel.EMAIL,
            organisation=first.organisation,
            user=user,
            kind="digest",
            idempotency_key=f"digest:user{user_id}:{today.isoformat()}:{rows[0].pk}",
            to_email=first.to_email,
            subject=subject,
            body=render_to_string("notifications/email/digest.txt", context),
            body_html=render_to_string("notifications/email/digest.html", context),
        )
        OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), last_error=f"in digest {digest.pk}"
        )
        delivery_queue_on_commit(digest.pk)
    logger.info("Digest %s for user %s with %d messages queued.", digest.pk, user_id, len(rows))
