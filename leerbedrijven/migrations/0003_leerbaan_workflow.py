"""The leerbaan's workflow: status values concept → gepubliceerd → vervuld / gesloten / verlopen
(``open`` becomes ``gepubliceerd``), the places-taken counter, and the transition log. The
counter is filled by ``candidates.0003`` from the accepted voordrachten."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models

REASON = "Overgenomen bij de invoering van de workflow (oude status: {old})."


def map_states(apps, schema_editor):
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    Log = apps.get_model("leerbedrijven", "LeerbaanTransition")
    Leerbaan.objects.filter(status="open").update(status="gepubliceerd")
    logs = []
    for pk, status, created_at in Leerbaan.objects.values_list("pk", "status", "created_at"):
        old = "open" if status == "gepubliceerd" else status
        logs.append(
            Log(
                leerbaan_id=pk,
                transition="migrate",
                from_state="",
                to_state=status,
                reason=REASON.format(old=old),
                at=created_at,
            )
        )
    Log.objects.bulk_create(logs, batch_size=1000)


def unmap_states(apps, schema_editor):
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    Leerbaan.objects.filter(status="gepubliceerd").update(status="open")
    Leerbaan.objects.filter(status="verlopen").update(status="gesloten")
    apps.get_model("leerbedrijven", "LeerbaanTransition").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("leerbedrijven", "0002_leerbaan_vestiging_restrict"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="leerbaan",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("concept", "Concept"),
                    ("gepubliceerd", "Gepubliceerd"),
                    ("vervuld", "Vervuld"),
                    ("gesloten", "Gesloten"),
                    ("verlopen", "Verlopen"),
                ],
                default="concept",
                max_length=12,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="leerbaan",
            name="places_taken",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="plaatsen bezet"),
        ),
        migrations.CreateModel(
            name="LeerbaanTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("transition", models.CharField(max_length=40, verbose_name="overgang")),
                ("from_state", models.CharField(blank=True, max_length=30, verbose_name="van")),
                ("to_state", models.CharField(max_length=30, verbose_name="naar")),
                ("reason_code", models.CharField(blank=True, max_length=40, verbose_name="reden")),
                ("reason", models.TextField(blank=True, max_length=1000, verbose_name="toelichting")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="tijdstip")),
                ("by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="door")),
                ("organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", verbose_name="organisatie")),
                ("leerbaan", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="transitions", to="leerbedrijven.leerbaan")),
            ],
            options={
                "verbose_name": "overgang van een leerbaan",
                "verbose_name_plural": "overgangen van leerbanen",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(map_states, unmap_states),
    ]
