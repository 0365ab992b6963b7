"""The notification pages: the centre and its unread count, opening and marking read, the
preferences, and the organisation administrator's webhook settings and delivery log."""

import pytest
from django.urls import reverse

from praktijkleren.notifications import webhooks
from praktijkleren.notifications.constants import Channel, Mode, OutboxStatus
from praktijkleren.notifications.delivery import outbox_deliver
from praktijkleren.notifications.events import EVENTS
from praktijkleren.notifications.models import Notification, OutboxMessage, Preference
from praktijkleren.notifications.models import WebhookEndpoint as Endpoint
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.notifications.factories import EventFactory, NotificationFactory, OutboxMessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    """A logged-in administrator of a werkgever organisation."""
    user = UserFactory(organisation=OrganisationFactory(werkgever=True), is_organisation_admin=True)
    client.force_login(user)
    return user


@pytest.fixture
def member(client):
    """A logged-in user of a gemeente who administers nothing."""
    user = UserFactory()
    client.force_login(user)
    return user


def _endpoint(organisation, **fields):
    return Endpoint.objects.create(
        organisation=organisation,
        url="https://ontvanger.example/hook",
        secret=webhooks.secret_generate(),
        **fields,
    )


# --- the notification centre ------------------------------------------------------------------


def test_centre_lists_own_notifications_newest_first_and_header_counts_unread(client, member):
    NotificationFactory(user=member, title="Eerste melding")
    NotificationFactory(user=member, title="Tweede melding")
    NotificationFactory(user=member, title="Al gelezen", read_at="2026-11-01T10:00Z")
    NotificationFactory(title="Van een ander")

    html = client.get(reverse("notifications:list")).content.decode()

    assert html.index("Tweede melding") < html.index("Eerste melding")
    assert "Van een ander" not in html
    assert html.count(">Nieuw<") == 2
    assert 'id="unread-count">2<' in html


def test_opening_marks_read_and_goes_to_the_object(client, member):
    notification = NotificationFactory(user=member, event=EventFactory(path="/voordrachten/7/"))

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/voordrachten/7/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_not_found_and_stays_unread(client, member):
    foreign = NotificationFactory()

    for url in (
        reverse("notifications:open", args=[foreign.pk]),
        reverse("notifications:mark_read", args=[foreign.pk]),
    ):
        assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_mark_read_returns_to_the_page_it_came_from(client, member):
    notification = NotificationFactory(user=member)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "/meldingen/?page=2"},
    )

    assert response["Location"] == "/meldingen/?page=2"
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_mark_all_read_touches_only_own_unread(client, member):
    NotificationFactory.create_batch(3, user=member)
    foreign = NotificationFactory()

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert "3 meldingen gemarkeerd als gelezen" in response.content.decode()
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_centre_links_administrators_to_the_organisation_settings(client, admin):
    html = client.get(reverse("notifications:list")).content.decode()

    assert reverse("notifications:organisation_settings") in html


def test_centre_hides_organisation_settings_from_members(client, member):
    html = client.get(reverse("notifications:list")).content.decode()

    assert reverse("notifications:organisation_settings") not in html


# --- preferences ------------------------------------------------------------------------------


def test_preferences_offer_the_roles_events_and_no_off_for_must_act(client, admin):
    form = client.get(reverse("notifications:preferences")).context["form"]

    offered = {event.name for event in form.events.values()}
    assert offered == {name for name, event in EVENTS.items() if "employer" in event.recipients}
    for code, event in form.events.items():
        modes = {value for value, _label in form.fields[code].choices}
        assert (Mode.OFF in modes) == ("employer" not in event.must_act), event.name


def test_preferences_are_saved_and_shown_again(client, admin):
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = dict.fromkeys(form.fields, Mode.IMMEDIATE)
    optional = next(c for c, e in form.events.items() if "employer" not in e.must_act)
    data[optional] = Mode.OFF

    response = client.post(reverse("notifications:preferences"), data, follow=True)

    assert "Uw voorkeuren zijn bewaard" in response.content.decode()
    stored = Preference.objects.get(user=admin, event_type=form.events[optional].name)
    assert stored.mode == Mode.OFF
    assert response.context["form"].fields[optional].initial == Mode.OFF


def test_off_for_an_event_to_act_on_is_refused_at_its_field(client, admin):
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = dict.fromkeys(form.fields, Mode.IMMEDIATE)
    must = next(c for c, e in form.events.items() if "employer" in e.must_act)
    data[must] = Mode.OFF

    response = client.post(reverse("notifications:preferences"), data)

    assert response.status_code == 200
    assert must in response.context["form"].errors
    assert f"id_{must}_error" in response.content.decode()
    assert not Preference.objects.filter(user=admin).exists()


# --- organisation settings --------------------------------------------------------------------


ADMIN_PAGES = [
    ("get", "notifications:organisation_settings"),
    ("get", "notifications:delivery_log"),
    ("post", "notifications:webhook_test"),
    ("post", "notifications:webhook_secret"),
    ("post", "notifications:webhook_enable"),
]


@pytest.mark.parametrize(("method", "name"), ADMIN_PAGES)
def test_organisation_pages_are_for_its_administrator_only(client, member, method, name):
    _endpoint(member.organisation)

    response = getattr(client, method)(reverse(name))

    assert response.status_code == 403


def test_saving_a_webhook_gives_it_a_secret(client, admin, dns):
    response = client.post(
        reverse("notifications:organisation_settings"),
        {"url": "https://ontvanger.example/hook"},
        follow=True,
    )

    endpoint = Endpoint.objects.get(organisation=admin.organisation)
    assert endpoint.url == "https://ontvanger.example/hook"
    assert endpoint.secret.startswith("whsec_")
    assert endpoint.secret in response.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://ontvanger.example/hook", "https-adres"),
        ("https://127.0.0.1/hook", "intern of gereserveerd adres"),
        ("https://localhost/hook", "intern of gereserveerd adres"),
        ("geen adres", "geldige URL"),
        ("https://bestaat-niet.example/hook", "niet te vinden"),
    ],
)
def test_a_bad_webhook_address_is_refused_at_its_field(client, admin, dns, url, message, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False

    response = client.post(reverse("notifications:organisation_settings"), {"url": url})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["url"])
    assert message in errors
    assert 'aria-describedby="id_url_helptext id_url_error"' in response.content.decode()
    assert not Endpoint.objects.exists()


def test_a_long_address_is_refused_with_its_length_and_not_cut_by_the_page(client, admin, dns):
    page = client.get(reverse("notifications:organisation_settings")).content.decode()
    assert "maxlength" not in page

    url = "https://ontvanger.example/" + "a" * 600
    response = client.post(reverse("notifications:organisation_settings"), {"url": url})

    assert "hoogstens 500 tekens lang zijn (dit zijn er 626)" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_the_webhook_can_be_turned_off_and_waiting_rows_then_fail(client, admin, queued):
    endpoint = _endpoint(admin.organisation)
    waiting = OutboxMessageFactory(
        organisation=admin.organisation, endpoint=endpoint, channel=Channel.WEBHOOK, payload={}
    )

    response = client.post(reverse("notifications:webhook_disable"), follow=True)

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "Uitgezet door" in endpoint.disabled_reason
    assert "De webhook staat uit" in response.content.decode()
    assert outbox_deliver(message_id=waiting.pk) is False
    waiting.refresh_from_db()
    assert waiting.status == OutboxStatus.FAILED
    log = client.get(reverse("notifications:delivery_log")).content.decode()
    assert "De webhook stond uit of was verwijderd" in log


def test_a_new_secret_replaces_the_old_one(client, admin):
    endpoint = _endpoint(admin.organisation)
    old = endpoint.secret

    client.post(reverse("notifications:webhook_secret"))

    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret.startswith("whsec_")


def test_the_test_button_says_how_the_call_went(client, admin, monkeypatch):
    _endpoint(admin.organisation)
    outcomes = iter([204, webhooks.WebhookRejected("HTTP 400")])

    def send(*, endpoint):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(webhooks, "webhook_test_send", send)
    url = reverse("notifications:webhook_test")

    assert "De test is aangekomen (HTTP 204)" in client.post(url, follow=True).content.decode()
    refused = client.post(url, follow=True).content.decode()
    assert "De test is niet aangekomen. De ontvanger weigerde het bericht (HTTP 400)." in refused


def test_a_disabled_webhook_is_shown_and_can_be_turned_on(client, admin):
    endpoint = _endpoint(admin.organisation, is_active=False, disabled_reason="HTTP 410")

    html = client.get(reverse("notifications:organisation_settings")).content.decode()
    assert "De webhook staat uit" in html
    assert "HTTP 410" in html

    client.post(reverse("notifications:webhook_enable"))
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert not endpoint.disabled_reason


# --- delivery log -----------------------------------------------------------------------------


def test_delivery_log_shows_own_messages_filtered_by_channel_and_status(client, admin):
    organisation = admin.organisation
    OutboxMessageFactory(organisation=organisation, subject="Onderwerp Alfa", sent=True)
    OutboxMessageFactory(organisation=organisation, subject="Onderwerp Bravo", failed=True)
    OutboxMessageFactory(subject="Onderwerp Charlie", failed=True)

    url = reverse("notifications:delivery_log")
    everything = client.get(url).content.decode()
    failed = client.get(url, {"status": OutboxStatus.FAILED}).content.decode()
    webhooks_only = client.get(url, {"channel": Channel.WEBHOOK}).content.decode()

    assert "Onderwerp Alfa" in everything
    assert "Onderwerp Bravo" in everything
    assert "Onderwerp Charlie" not in everything
    assert "Onderwerp Bravo" in failed
    assert "Onderwerp Alfa" not in failed
    assert "Onderwerp Bravo" not in webhooks_only


def test_delivery_log_explains_each_row_in_dutch(client, admin):
    organisation = admin.organisation
    endpoint = _endpoint(organisation)
    OutboxMessageFactory(
        organisation=organisation,
        endpoint=endpoint,
        channel=Channel.WEBHOOK,
        kind="voordracht.invited",
        subject="",
        to_email="",
        payload={},
        status=OutboxStatus.PENDING,
        attempts=2,
        last_error="praktijkleren.notifications.webhooks.WebhookRetry: ConnectError",
    )
    OutboxMessageFactory(organisation=organisation, to_email="hr@leerbedrijf.example", sent=True)

    html = client.get(reverse("notifications:delivery_log")).content.decode()

    assert "Kandidaat uitgenodigd" in html  # the event's name, not voordracht.invited
    assert "voordracht.invited" not in html
    assert "webhook naar ontvanger.example" in html
    assert "e-mailadres van de organisatie (hr@leerbedrijf.example)" in html
    assert "volgende poging" in html
    assert "Geen verbinding met het adres van de ontvanger." in html
    assert "WebhookRetry" not in html
    assert 'value="portal"' not in html  # portal notifications are not delivered


def test_resend_gives_a_failed_message_new_attempts(client, admin, queued):
    message = OutboxMessageFactory(organisation=admin.organisation, failed=True)

    with_callbacks = client.post(reverse("notifications:delivery_resend", args=[message.pk]))

    assert with_callbacks.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_resend_refuses_a_message_that_did_not_fail(client, admin):
    message = OutboxMessageFactory(organisation=admin.organisation, sent=True)

    response = client.post(reverse("notifications:delivery_resend", args=[message.pk]), follow=True)

    assert "Alleen een mislukte melding" in response.content.decode()
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.SENT


def test_resend_of_another_organisations_message_is_not_found(client, admin):
    foreign = OutboxMessageFactory(failed=True)

    response = client.post(reverse("notifications:delivery_resend", args=[foreign.pk]))

    assert response.status_code == 404
    assert OutboxMessage.objects.get(pk=foreign.pk).status == OutboxStatus.FAILED
