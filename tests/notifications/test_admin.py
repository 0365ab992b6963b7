import pytest
from django.urls import reverse

from praktijkleren.notifications.constants import OutboxStatus
from praktijkleren.notifications.models import OutboxMessage
from tests.notifications.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_outboxmessage_changelist"


def test_changelist_filters_by_status(admin_client):
    OutboxMessageFactory(failed=True, kind="voordracht.declined")
    OutboxMessageFactory(sent=True, kind="voordracht.accepted")

    response = admin_client.get(reverse(CHANGELIST), {"status__exact": OutboxStatus.FAILED})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(
        OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    )


def test_search_finds_by_idempotency_key(admin_client):
    wanted = OutboxMessageFactory(idempotency_key="match:99:voorgedragen")
    OutboxMessageFactory()
    response = admin_client.get(reverse(CHANGELIST), {"q": "match:99"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_messages_cannot_be_added_or_edited(admin_client):
    message = OutboxMessageFactory()
    assert admin_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    change_url = reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    assert admin_client.get(change_url).status_code == 200
    response = admin_client.post(change_url, {"subject": "Anders", "status": "sent"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.subject, message.status) == ("Nieuwe match", OutboxStatus.PENDING)


def test_action_resends_only_failed_messages(
    admin_client, django_capture_on_commit_callbacks, queued
):
    failed = OutboxMessageFactory(failed=True)
    sent = OutboxMessageFactory(sent=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "resend_failed", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert queued == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    assert OutboxMessage.objects.get(pk=sent.pk).status == OutboxStatus.SENT
    shown = [str(m) for m in response.context["messages"]]
    assert any("1 melding wordt opnieuw verstuurd" in m for m in shown)
    assert any("overgeslagen" in m for m in shown)
