"""The BSN encrypted at rest: a Fernet token (``bsn_encrypted``) and a blind index
(``bsn_index``) replace the plain-text column; existing rows are encrypted in batches
(docs/bsn.md). Reversible: going back decrypts into the plain column again."""

from django.db import migrations, models

from candidates import bsn as bsn_crypto

BATCH = 500


def encrypt_existing(apps, schema_editor):
    """Every candidate's plain BSN → its token and blind index, under the current keys."""
    Candidate = apps.get_model("candidates", "Candidate")
    rows = Candidate.objects.exclude(bsn="").only("pk", "bsn").order_by("pk")
    batch = []
    for candidate in rows.iterator(chunk_size=BATCH):
        candidate.bsn_encrypted = bsn_crypto.encrypt(candidate.bsn)
        candidate.bsn_index = bsn_crypto.index(candidate.bsn)
        batch.append(candidate)
        if len(batch) == BATCH:
            Candidate.objects.bulk_update(batch, ["bsn_encrypted", "bsn_index"])
            batch = []
    Candidate.objects.bulk_update(batch, ["bsn_encrypted", "bsn_index"])


def decrypt_existing(apps, schema_editor):
    """Back to the plain column: every token decrypted (with any configured key)."""
    Candidate = apps.get_model("candidates", "Candidate")
    rows = Candidate.objects.exclude(bsn_encrypted="").only("pk", "bsn_encrypted").order_by("pk")
    batch = []
    for candidate in rows.iterator(chunk_size=BATCH):
        candidate.bsn = bsn_crypto.decrypt(candidate.bsn_encrypted)
        batch.append(candidate)
        if len(batch) == BATCH:
            Candidate.objects.bulk_update(batch, ["bsn"])
            batch = []
    Candidate.objects.bulk_update(batch, ["bsn"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_candidate_anonymised"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="bsn_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="BSN (versleuteld)"),
        ),
        migrations.AddField(
            model_name="candidate",
            name="bsn_index",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64, verbose_name="BSN-index"
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.RemoveConstraint(model_name="candidate", name="candidate_bsn_format"),
        migrations.RemoveField(model_name="candidate", name="bsn"),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("bsn_encrypted", ""), ("bsn_index", "")),
                    models.Q(
                        ("bsn_encrypted__startswith", "gAAAAA"),
                        ("bsn_index__regex", "^[0-9a-f]{64}$"),
                    ),
                    _connector="OR",
                ),
                name="candidate_bsn_encrypted_and_indexed",
            ),
        ),
        # Fails when an organisation registered one BSN twice before: merge those first.
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("bsn_index", ""), _negated=True),
                fields=("organisation", "bsn_index"),
                name="candidate_bsn_once_per_organisation",
                violation_error_message="Uw organisatie heeft al een kandidaat met dit BSN.",
            ),
        ),
    ]
