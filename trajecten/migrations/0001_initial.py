"""The enrolment moves from ``candidates`` to this app without touching the database: this
migration only takes over the model state on the existing table ``candidates_enrolment``;
``0002`` renames the table and gives the enrolment its workflow."""

import django.db.models.deletion
from django.db import migrations, models

ROUTES = [
    ("praktijkverklaring", "Praktijkverklaring"),
    ("certificaat", "mbo-certificaat"),
    ("diploma", "mbo-diploma"),
]
OLD_STATUSES = [
    ("aangevraagd", "Aangevraagd"),
    ("geaccepteerd", "Geaccepteerd"),
    ("afgewezen", "Afgewezen"),
    ("afgerond", "Afgerond"),
    ("uitgevallen", "Uitgevallen"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("candidates", "0001_initial"),
        ("leerbedrijven", "0002_leerbaan_vestiging_restrict"),
        ("opleidingen", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Enrolment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("route", models.CharField(choices=ROUTES, max_length=20, verbose_name="route")),
                        ("status", models.CharField(choices=OLD_STATUSES, default="aangevraagd", max_length=15, verbose_name="status")),
                        ("start_date", models.DateField(blank=True, null=True, verbose_name="startdatum")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op")),
                        ("candidate", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="enrolments", to="candidates.candidate")),
                        ("instelling", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="enrolments", to="opleidingen.mboinstelling")),
                        ("kwalificatie", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="enrolments", to="opleidingen.kwalificatie")),
                        ("leerbaan", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="enrolments", to="leerbedrijven.leerbaan")),
                    ],
                    options={
                        "verbose_name": "inschrijving",
                        "verbose_name_plural": "inschrijvingen",
                        "ordering": ["-created_at"],
                        "db_table": "candidates_enrolment",
                    },
                ),
                migrations.AddConstraint(
                    model_name="enrolment",
                    constraint=models.UniqueConstraint(
                        fields=("candidate", "instelling", "kwalificatie", "route"),
                        name="enrolment_unique",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
