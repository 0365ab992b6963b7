"""A leerbaan marked vervuld before the workflow while places were still free (counted by
``candidates.0003``) becomes gesloten, with a log row that says why: the workflow's vervuld means
every place is taken (``0005`` makes that a database rule)."""

from django.db import migrations
from django.db.models import F


def vervuld_with_free_places_close(apps, schema_editor):
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    Log = apps.get_model("leerbedrijven", "LeerbaanTransition")
    wrong = Leerbaan.objects.filter(status="vervuld", places_taken__lt=F("places"))
    Log.objects.bulk_create(
        Log(
            leerbaan_id=pk,
            transition="migrate",
            from_state="vervuld",
            to_state="gesloten",
            reason="Stond op vervuld terwijl er nog plaatsen vrij waren: gesloten bij de "
            "invoering van de workflow.",
        )
        for pk in wrong.values_list("pk", flat=True)
    )
    wrong.update(status="gesloten")



class Migration(migrations.Migration):
    dependencies = [
        ("leerbedrijven", "0003_leerbaan_workflow"),
        ("candidates", "0003_map_states"),
    ]

    operations = [migrations.RunPython(vervuld_with_free_places_close, migrations.RunPython.noop)]
