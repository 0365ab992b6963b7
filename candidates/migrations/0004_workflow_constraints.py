"""The database rules that tie state to fields, once ``0003`` has mapped the rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("candidates", "0003_map_states")]

    operations = [
        migrations.AddConstraint(
            model_name="voordracht",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("voorgedragen", "uitgenodigd"))),
                fields=("candidate", "leerbaan"),
                name="voordracht_one_open_per_pair",
            ),
        ),
        migrations.AddConstraint(
            model_name="voordracht",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "aangenomen")),
                fields=("candidate",),
                name="voordracht_one_placement_per_candidate",
            ),
        ),
        migrations.AddConstraint(
            model_name="voordracht",
            constraint=models.CheckConstraint(
                condition=models.Q(("score__gte", 0), ("score__lte", 100)),
                name="voordracht_score_0_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="voordracht",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "afgewezen"), _negated=True),
                    models.Q(("decline_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="voordracht_declined_has_reason",
            ),
        ),
        migrations.AddIndex(
            model_name="voordracht",
            index=models.Index(fields=["status", "updated_at"], name="voordracht_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["afgemeld", "uitgevallen"]), _negated=True),
                    models.Q(("end_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="candidate_ended_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["actief", "voorgedragen"]), _negated=True),
                    ("consent_given_at__isnull", False),
                    _connector="OR",
                ),
                name="candidate_searching_has_consent",
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(fields=["organisation", "status"], name="candidate_org_status_idx"),
        ),
    ]
