import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The text is now items (0007); a separate migration, since PostgreSQL cannot alter a
    table in the transaction that just wrote rows pointing at it."""

    dependencies = [("observance", "0007_commitments_from_text")]

    operations = [
        migrations.RemoveField(model_name="historicalmeeting", name="commitments"),
        migrations.RemoveField(model_name="meeting", name="commitments"),
        migrations.AlterField(
            model_name="commitment",
            name="meeting",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="observance.meeting",
                verbose_name="meeting",
            ),
        ),
    ]
