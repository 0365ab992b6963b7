"""The notification layer: events, channels (e-mail, portal, webhook), preferences and webhook
endpoints. The outbox's ``event`` text becomes ``kind`` (kept for every existing row); existing
rows get their own uuid and are due at their creation time."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATUSES = [
    ("pending", "Wacht op verzending"),
    ("sending", "Wordt verzonden"),
    ("sent", "Verzonden"),
    ("failed", "Mislukt"),
    ("held", "Wacht op de dagelijkse samenvatting"),
]
CHANNELS = [("email", "E-mail"), ("portal", "In het portaal"), ("webhook", "Webhook")]


def fill_uuids(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.only("pk", "created_at"):
        OutboxMessage.objects.filter(pk=message.pk).update(
            uuid=uuid.uuid4(), next_attempt_at=message.created_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_is_organisation_admin"),
        ("notifications", "0002_claim"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="outboxmessage", old_name="event", new_name="kind"),
        migrations.AlterField(
            model_name="outboxmessage",
            name="kind",
            field=models.CharField(max_length=60, verbose_name="gebeurtenis"),
        ),
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="id")),
                ("type", models.CharField(max_length=60, verbose_name="soort")),
                ("subject_type", models.CharField(max_length=40, verbose_name="soort object")),
                ("subject_id", models.PositiveBigIntegerField(verbose_name="object")),
                ("version", models.PositiveBigIntegerField(verbose_name="versie")),
                ("path", models.CharField(max_length=200, verbose_name="pagina")),
                ("occurred_at", models.DateTimeField(auto_now_add=True, verbose_name="tijdstip")),
            ],
            options={
                "verbose_name": "gebeurtenis",
                "verbose_name_plural": "gebeurtenissen",
                "ordering": ["-occurred_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("type", "subject_type", "subject_id", "version"), name="event_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WebhookEndpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.URLField(max_length=500, verbose_name="adres (URL)")),
                ("secret", models.CharField(max_length=100, verbose_name="geheim")),
                ("is_active", models.BooleanField(default=True, verbose_name="actief")),
                ("disabled_at", models.DateTimeField(blank=True, null=True, verbose_name="uitgezet op")),
                ("disabled_reason", models.CharField(blank=True, max_length=200, verbose_name="reden uitgezet")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="gewijzigd op")),
                ("organisation", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="webhook_endpoint", to="accounts.organisation")),
            ],
            options={"verbose_name": "webhook", "verbose_name_plural": "webhooks"},
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="titel")),
                ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="gelezen op")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op")),
                ("event", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="notifications", to="notifications.event")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "melding",
                "verbose_name_plural": "meldingen",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["user", "read_at"], name="notification_unread_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "event"), name="notification_once_per_user")
                ],
            },
        ),
        migrations.CreateModel(
            name="Preference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event_type", models.CharField(max_length=60, verbose_name="gebeurtenis")),
                ("mode", models.CharField(choices=[("immediate", "Direct"), ("digest", "In de dagelijkse samenvatting"), ("off", "Niet")], max_length=10, verbose_name="wanneer")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preferences", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "voorkeur voor meldingen",
                "verbose_name_plural": "voorkeuren voor meldingen",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "event_type"), name="preference_once")
                ],
            },
        ),
        migrations.RemoveIndex(model_name="outboxmessage", name="outbox_status_created_idx"),
        migrations.AddField(
            model_name="outboxmessage",
            name="channel",
            field=models.CharField(choices=CHANNELS, default="email", max_length=10, verbose_name="kanaal"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="event",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="outbox", to="notifications.event"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="user",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="outbox", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="endpoint",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="outbox", to="notifications.webhookendpoint"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="body_html",
            field=models.TextField(blank=True, verbose_name="HTML"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="payload",
            field=models.JSONField(blank=True, null=True, verbose_name="inhoud"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="volgende poging"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uuids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="body",
            field=models.TextField(blank=True, verbose_name="tekst"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="subject",
            field=models.CharField(blank=True, max_length=200, verbose_name="onderwerp"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="to_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="aan"),
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="status",
            field=models.CharField(choices=STATUSES, default="pending", max_length=10, verbose_name="status"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["organisation", "created_at"], name="outbox_org_log_idx"),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("channel", "email"), _negated=True), models.Q(("to_email", ""), _negated=True), _connector="OR"),
                name="outbox_email_has_address",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("channel", "webhook"), _negated=True), ("payload__isnull", False), _connector="OR"),
                name="outbox_webhook_has_payload",
            ),
        ),
    ]
