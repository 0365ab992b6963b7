from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_organisation_admin",
            field=models.BooleanField(
                default=False,
                help_text="Stelt de webhook van de organisatie in en ziet haar logboek van meldingen.",
                verbose_name="beheerder van de organisatie",
            ),
        ),
    ]
