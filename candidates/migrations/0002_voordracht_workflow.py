"""Workflows for the candidate and the voordracht (the backbone issue).

``Match`` becomes ``Voordracht`` (same table rows, renamed), its status a protected FSM field
with the voordracht's states; the candidate gets a status and an end reason; both get a
transition log. The enrolment leaves this app (state only: ``trajecten.0001`` took it over).
``0003`` maps the rows to the new states; ``0004`` adds the constraints."""

import django.db.models.deletion
import django.utils.timezone
import django_fsm
from django.conf import settings
from django.db import migrations, models

VOORDRACHT_STATUSES = [
    ("voorgedragen", "Voorgedragen"),
    ("uitgenodigd", "Uitgenodigd"),
    ("aangenomen", "Aangenomen"),
    ("afgewezen", "Afgewezen"),
    ("ingetrokken", "Ingetrokken"),
    ("verlopen", "Verlopen"),
    ("elders_geplaatst", "Elders geplaatst"),
]
CANDIDATE_STATUSES = [
    ("aangemeld", "Aangemeld"),
    ("actief", "Actief, zoekt een leerbaan"),
    ("voorgedragen", "Voorgedragen"),
    ("geplaatst", "Geplaatst"),
    ("in_opleiding", "In opleiding"),
    ("afgerond", "Afgerond"),
    ("afgemeld", "Afgemeld"),
    ("uitgevallen", "Uitgevallen"),
]
END_REASONS = [
    ("werk_gevonden", "Werk gevonden buiten het portaal"),
    ("opleiding_elders", "Opleiding of traject elders"),
    ("geen_interesse", "Wil niet meer verder"),
    ("gezondheid", "Gezondheid"),
    ("persoonlijk", "Persoonlijke omstandigheden"),
    ("verhuisd", "Verhuisd"),
    ("werkgever_stopt", "Het leerbedrijf stopt"),
    ("opleiding_past_niet", "De opleiding past niet"),
    ("overig", "Andere reden (zie toelichting)"),
    ("niet_vastgelegd", "Niet vastgelegd (van vóór de workflow)"),
]
DECLINE_REASONS = [
    ("profiel_past_niet", "Het profiel past niet bij de leerbaan"),
    ("gesprek", "Na het gesprek: geen goede match"),
    ("niet_verschenen", "De kandidaat is niet op het gesprek gekomen"),
    ("kandidaat_ziet_af", "De kandidaat ziet af van de leerbaan"),
    ("andere_kandidaat", "Gekozen voor een andere kandidaat"),
    ("overig", "Andere reden (zie toelichting)"),
    ("niet_vastgelegd", "Niet vastgelegd (van vóór de workflow)"),
]


def log_fields(target: str) -> list:
    """The fields of a transition log (``praktijkleren.workflow.TransitionLogBase``) with the
    foreign key to ``target``."""
    name = target.split(".")[1]
    return [
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("transition", models.CharField(max_length=40, verbose_name="overgang")),
        ("from_state", models.CharField(blank=True, max_length=30, verbose_name="van")),
        ("to_state", models.CharField(max_length=30, verbose_name="naar")),
        ("reason_code", models.CharField(blank=True, max_length=40, verbose_name="reden")),
        ("reason", models.TextField(blank=True, max_length=1000, verbose_name="toelichting")),
        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="tijdstip")),
        ("by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="door")),
        ("organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.organisation", verbose_name="organisatie")),
        (name, models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="transitions", to=target)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("candidates", "0001_initial"),
        ("leerbedrijven", "0003_leerbaan_workflow"),
        ("trajecten", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Enrolment")],
            database_operations=[],
        ),
        migrations.RemoveConstraint(model_name="match", name="match_unique_pair"),
        migrations.RemoveConstraint(model_name="match", name="match_score_0_100"),
        migrations.RenameModel(old_name="Match", new_name="Voordracht"),
        migrations.AlterModelOptions(
            name="voordracht",
            options={
                "ordering": ["-score"],
                "verbose_name": "voordracht",
                "verbose_name_plural": "voordrachten",
            },
        ),
        migrations.AlterField(
            model_name="voordracht",
            name="status",
            field=django_fsm.FSMField(
                choices=VOORDRACHT_STATUSES,
                default="voorgedragen",
                max_length=20,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="voordracht",
            name="decline_reason",
            field=models.CharField(
                blank=True, choices=DECLINE_REASONS, max_length=30, verbose_name="reden van afwijzing"
            ),
        ),
        migrations.AlterField(
            model_name="voordracht",
            name="candidate",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voordrachten",
                to="candidates.candidate",
            ),
        ),
        migrations.AlterField(
            model_name="voordracht",
            name="leerbaan",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="voordrachten",
                to="leerbedrijven.leerbaan",
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="status",
            field=django_fsm.FSMField(
                choices=CANDIDATE_STATUSES,
                default="aangemeld",
                max_length=20,
                protected=True,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=END_REASONS,
                max_length=30,
                verbose_name="reden van afmelding of uitval",
            ),
        ),
        migrations.CreateModel(
            name="CandidateTransition",
            fields=log_fields("candidates.candidate"),
            options={
                "verbose_name": "overgang van een kandidaat",
                "verbose_name_plural": "overgangen van kandidaten",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="VoordrachtTransition",
            fields=log_fields("candidates.voordracht"),
            options={
                "verbose_name": "overgang van een voordracht",
                "verbose_name_plural": "overgangen van voordrachten",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
    ]
