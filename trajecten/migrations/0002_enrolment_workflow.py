"""The enrolment's own table, workflow and transition log; today's rows mapped, losing nothing.

- The table ``candidates_enrolment`` becomes ``trajecten_enrolment``; its content type moves
  with it, so the audit log's entries keep pointing at their rows.
- Status: aangevraagd, geaccepteerd, afgewezen, afgerond stay; uitgevallen → gestopt. A declined
  or stopped enrolment gets reason ``niet_vastgelegd``; an accepted or completed one without a
  start date gets its leerbaan's start date (else its creation date), which its log row says.
- Each enrolment is linked to the accepted voordracht of its candidate and leerbaan, if any.
  An accepted voordracht without an enrolment gets one when its candidate has no running
  enrolment: a request without an instelling, the consultant's to-do (acceptance starts the
  enrolment).
- At most one running enrolment per candidate: when there were more, the newest stays and the
  others are stopped (reason ``niet_vastgelegd``), said in their log row.
"""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models

STATUS_MAP = {"uitgevallen": "gestopt"}
LIVE = ("aangevraagd", "geaccepteerd", "gestart")
BEFORE = "Overgenomen bij de invoering van de workflow (oude status: {old})."
STATUSES = [
    ("aangevraagd", "Aangevraagd"),
    ("geaccepteerd", "Geaccepteerd"),
    ("gestart", "Gestart"),
    ("afgerond", "Afgerond"),
    ("afgewezen", "Afgewezen"),
    ("gestopt", "Gestopt"),
]


def content_type_move(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="trajecten", model="enrolment").exists():
        ContentType.objects.filter(app_label="candidates", model="enrolment").update(
            app_label="trajecten"
        )


def content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="trajecten", model="enrolment").update(
        app_label="candidates"
    )


def _map_one(enrolment, accepted: dict, Enrolment) -> str:
    """Map one enrolment's fields; returns the log reason."""
    old = enrolment.status
    new = STATUS_MAP.get(old, old)
    reason = BEFORE.format(old=old)
    fields = {"status": new}
    if new in ("afgewezen", "gestopt"):
        fields["end_reason"] = "niet_vastgelegd"
    if new in ("geaccepteerd", "afgerond") and enrolment.start_date is None:
        start = enrolment.leerbaan.start_date if enrolment.leerbaan_id else None
        fields["start_date"] = start or enrolment.created_at.date()
        reason += f" Startdatum {fields['start_date'].isoformat()} aangevuld."
    voordracht_id = accepted.pop((enrolment.candidate_id, enrolment.leerbaan_id), None)
    if voordracht_id:
        fields["voordracht_id"] = voordracht_id
    Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    return reason


def forwards(apps, schema_editor):
    Enrolment = apps.get_model("trajecten", "Enrolment")
    Log = apps.get_model("trajecten", "EnrolmentTransition")
    Voordracht = apps.get_model("candidates", "Voordracht")
    accepted = {
        (v.candidate_id, v.leerbaan_id): v.pk
        for v in Voordracht.objects.filter(status="aangenomen").only("candidate_id", "leerbaan_id")
    }
    logs = []
    for enrolment in Enrolment.objects.select_related("leerbaan").order_by("pk"):
        reason = _map_one(enrolment, accepted, Enrolment)
        logs.append((enrolment.pk, reason, enrolment.created_at))
    for (candidate_id, leerbaan_id), voordracht_id in accepted.items():
        if Enrolment.objects.filter(candidate_id=candidate_id, status__in=LIVE).exists():
            continue  # the candidate's running enrolment stays the one
        voordracht = Voordracht.objects.select_related("leerbaan", "candidate").get(pk=voordracht_id)
        created = Enrolment.objects.create(
            candidate_id=candidate_id,
            voordracht_id=voordracht_id,
            leerbaan_id=leerbaan_id,
            kwalificatie_id=voordracht.leerbaan.kwalificatie_id,
            route=voordracht.candidate.route,
            instelling=None,
            status="aangevraagd",
        )
        reason = "Aangevraagd bij de invoering van de workflow: de plaatsing had nog geen inschrijving."
        logs.append((created.pk, reason, created.created_at))
    stopped = _one_live_per_candidate(Enrolment)
    Log.objects.bulk_create(
        Log(
            enrolment_id=pk,
            transition="migrate",
            from_state="",
            to_state=Enrolment.objects.values_list("status", flat=True).get(pk=pk),
            reason=reason + (stopped.get(pk, "")),
            at=at,
        )
        for pk, reason, at in logs
    )


def _one_live_per_candidate(Enrolment) -> dict[int, str]:
    """Stop all but the newest running enrolment of each candidate; returns the stopped ids
    with the sentence their log row gets."""
    seen: dict[int, int] = {}
    stopped: dict[int, str] = {}
    for pk, candidate_id in Enrolment.objects.filter(status__in=LIVE).order_by(
        "-created_at", "-pk"
    ).values_list("pk", "candidate_id"):
        if candidate_id in seen:
            stopped[pk] = f" Gestopt: de kandidaat had een nieuwere inschrijving ({seen[candidate_id]})."
        else:
            seen[candidate_id] = pk
    Enrolment.objects.filter(pk__in=stopped).update(status="gestopt", end_reason="niet_vastgelegd")
    return stopped


def backwards(apps, schema_editor):
    Enrolment = apps.get_model("trajecten", "Enrolment")
    apps.get_model("trajecten", "EnrolmentTransition").objects.all().delete()
    Enrolment.objects.filter(instelling__isnull=True).delete()
    Enrolment.objects.filter(status="gestopt").update(status="uitgevallen")
    Enrolment.objects.filter(status="gestart").update(status="geaccepteerd")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("candidates", "0003_map_states"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("trajecten", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="enrolment", table=None),
        migrations.RunPython(content_type_move, content_type_back),
        migrations.RemoveConstraint(model_name="enrolment", name="enrolment_unique"),
        migrations.AlterField(
            model_name="enrolment",
            name="status",
            field=django_fsm.FSMField(
                choices=STATUSES,
                default="aangevraagd",
                max_length=15,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="candidate",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="candidates.candidate",
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="instelling",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="opleidingen.mboinstelling",
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="voordracht",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolment",
                to="candidates.voordracht",
            ),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="distance_km",
            field=models.FloatField(blank=True, null=True, verbose_name="afstand (km)"),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="end_reason",
            field=models.CharField(blank=True, max_length=30, verbose_name="reden"),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="gewijzigd op"),
        ),
        migrations.CreateModel(
            name="EnrolmentTransition",
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
                ("enrolment", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="transitions", to="trajecten.enrolment")),
            ],
            options={
                "verbose_name": "overgang van een inschrijving",
                "verbose_name_plural": "overgangen van inschrijvingen",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
