"""The database rules of the leerbaan, once ``candidates.0003`` has counted the places taken.

- places taken never exceed the places; a vervuld leerbaan has every place taken (``0004`` closed
  the leerbanen marked vervuld before the workflow with places still free);
- a leerbaan's vestiging belongs to its leerbedrijf: a composite foreign key
  ``(vestiging_id, leerbedrijf_id)`` → ``vestiging (id, leerbedrijf_id)`` on PostgreSQL, and
  triggers with the same effect on SQLite (the embedded default), which cannot add a foreign
  key to an existing table. A migration that later rebuilds ``leerbedrijven_leerbaan`` on
  SQLite must drop the triggers first and create them again (``_sqlite``).
"""

from django.db import migrations, models
from django.db.models import F

from leerbedrijven.migrations import _sqlite

FK_NAME = "leerbaan_vestiging_of_leerbedrijf"
PG_ADD = (
    f"ALTER TABLE leerbedrijven_leerbaan ADD CONSTRAINT {FK_NAME} "
    "FOREIGN KEY (vestiging_id, leerbedrijf_id) "
    "REFERENCES leerbedrijven_vestiging (id, leerbedrijf_id)"
)
PG_DROP = f"ALTER TABLE leerbedrijven_leerbaan DROP CONSTRAINT {FK_NAME}"
def composite_fk_add(apps, schema_editor):
    Leerbaan = apps.get_model("leerbedrijven", "Leerbaan")
    wrong = list(
        Leerbaan.objects.exclude(vestiging__leerbedrijf_id=F("leerbedrijf_id")).values_list(
            "pk", flat=True
        )
    )
    if wrong:
        raise RuntimeError(
            f"Leerbanen {wrong} have a vestiging of another leerbedrijf. Correct their "
            "vestiging or leerbedrijf in the admin, then migrate again; nothing was changed."
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_ADD)
    elif schema_editor.connection.vendor == "sqlite":
        _sqlite.triggers_create(schema_editor)


def composite_fk_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        _sqlite.triggers_drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("leerbedrijven", "0004_leerbaan_vervuld_with_free_places")]

    operations = [
        migrations.AddConstraint(
            model_name="leerbaan",
            constraint=models.CheckConstraint(
                condition=models.Q(("places_taken__lte", F("places"))),
                name="leerbaan_places_taken_within_places",
            ),
        ),
        migrations.AddConstraint(
            model_name="leerbaan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "vervuld"), _negated=True),
                    ("places_taken__gte", F("places")),
                    _connector="OR",
                ),
                name="leerbaan_vervuld_has_every_place_taken",
            ),
        ),
        migrations.AddConstraint(
            model_name="vestiging",
            constraint=models.UniqueConstraint(
                fields=("id", "leerbedrijf"), name="vestiging_id_leerbedrijf"
            ),
        ),
        migrations.RunPython(composite_fk_add, composite_fk_remove),
    ]
