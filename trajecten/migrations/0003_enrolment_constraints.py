"""The database rules of the enrolment, in a migration of their own: PostgreSQL refuses to change
a table in the transaction that just wrote its rows (``0002``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("trajecten", "0002_enrolment_workflow")]

    operations = [
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ("aangevraagd", "geaccepteerd", "gestart"))),
                fields=("candidate",),
                name="enrolment_one_live_per_candidate",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["geaccepteerd", "gestart", "afgerond"]), _negated=True),
                    ("start_date__isnull", False),
                    _connector="OR",
                ),
                name="enrolment_accepted_has_start_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["afgewezen", "gestopt"]), _negated=True),
                    models.Q(("end_reason", ""), _negated=True),
                    _connector="OR",
                ),
                name="enrolment_ended_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="enrolment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("instelling__isnull", False),
                    ("status__in", ["aangevraagd", "gestopt"]),
                    _connector="OR",
                ),
                name="enrolment_without_instelling_is_a_request",
            ),
        ),
    ]
