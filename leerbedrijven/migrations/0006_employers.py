"""The employer's side: contact persons, praktijkopleiders, the vestiging's full address, the
werkprocessen of an erkenning, a leerbaan's praktijkopleider and own reference.

On SQLite, adding a column with a constraint rebuilds ``leerbedrijven_leerbaan`` and
``leerbedrijven_vestiging``; the triggers of ``0005`` that keep a leerbaan's vestiging at its
leerbedrijf name both tables, so they are dropped first and created again at the end.
"""

import django.db.models.deletion
from django.db import migrations, models

from leerbedrijven.migrations import _sqlite


def _triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _sqlite.triggers_drop(schema_editor)


def _triggers_create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _sqlite.triggers_create(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('leerbedrijven', '0005_leerbaan_constraints'),
        ('opleidingen', '0002_mbo_locatie'),
    ]

    operations = [
        migrations.RunPython(_triggers_drop, _triggers_create),
        migrations.AddField(
            model_name='erkenning',
            name='werkprocessen',
            field=models.ManyToManyField(blank=True, help_text='De werkprocessen die de erkenning dekt, waar SBB ze kent.', related_name='erkenningen', to='opleidingen.werkproces', verbose_name='werkprocessen'),
        ),
        migrations.AddField(
            model_name='leerbaan',
            name='external_ref',
            field=models.CharField(blank=True, help_text='Uw eigen vaste kenmerk van de leerbaan; bij een bulkupload werkt het dezelfde leerbaan bij in plaats van een nieuwe te maken.', max_length=64, verbose_name='eigen kenmerk'),
        ),
        migrations.AddField(
            model_name='vestiging',
            name='plaats',
            field=models.CharField(blank=True, max_length=100, verbose_name='plaats'),
        ),
        migrations.AddField(
            model_name='vestiging',
            name='postcode_letters',
            field=models.CharField(blank=True, help_text='Bijvoorbeeld AB.', max_length=2, verbose_name='letters van de postcode'),
        ),
        migrations.CreateModel(
            name='ContactPerson',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('naam', models.CharField(max_length=200, verbose_name='naam')),
                ('functie', models.CharField(blank=True, max_length=100, verbose_name='functie')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mailadres')),
                ('telefoon', models.CharField(blank=True, max_length=20, verbose_name='telefoonnummer')),
                ('leerbedrijf', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contactpersonen', to='leerbedrijven.leerbedrijf')),
            ],
            options={
                'verbose_name': 'contactpersoon',
                'verbose_name_plural': 'contactpersonen',
                'ordering': ['leerbedrijf', 'naam'],
            },
        ),
        migrations.CreateModel(
            name='Praktijkopleider',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('naam', models.CharField(max_length=200, verbose_name='naam')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mailadres')),
                ('telefoon', models.CharField(blank=True, max_length=20, verbose_name='telefoonnummer')),
                ('capacity', models.PositiveSmallIntegerField(default=1, help_text='Hoeveel kandidaten tegelijk.', verbose_name='capaciteit')),
                ('is_active', models.BooleanField(default=True, verbose_name='actief')),
                ('kwalificaties', models.ManyToManyField(related_name='praktijkopleiders', to='opleidingen.kwalificatie', verbose_name='kwalificaties')),
                ('leerbedrijf', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='praktijkopleiders', to='leerbedrijven.leerbedrijf')),
                ('vestiging', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='praktijkopleiders', to='leerbedrijven.vestiging')),
            ],
            options={
                'verbose_name': 'praktijkopleider',
                'verbose_name_plural': 'praktijkopleiders',
                'ordering': ['leerbedrijf', 'naam'],
            },
        ),
        migrations.AddField(
            model_name='leerbaan',
            name='praktijkopleider',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='leerbanen', to='leerbedrijven.praktijkopleider', verbose_name='praktijkopleider'),
        ),
        migrations.AddConstraint(
            model_name='leerbaan',
            constraint=models.UniqueConstraint(condition=models.Q(('external_ref', ''), _negated=True), fields=('leerbedrijf', 'external_ref'), name='leerbaan_external_ref_unique'),
        ),
        migrations.AddConstraint(
            model_name='praktijkopleider',
            constraint=models.CheckConstraint(condition=models.Q(('capacity__gte', 1)), name='praktijkopleider_capacity_positive'),
        ),
        migrations.RunPython(_triggers_create, _triggers_drop),
    ]
