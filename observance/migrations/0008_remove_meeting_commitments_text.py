from django.db import migrations


class Migration(migrations.Migration):
    """The text is now items (0007); a separate migration, since PostgreSQL cannot alter a
    table in the transaction that just wrote rows pointing at it."""

    dependencies = [("observance", "0007_commitments_from_text")]

    operations = [
        migrations.RemoveField(model_name="historicalmeeting", name="commitments"),
        migrations.RemoveField(model_name="meeting", name="commitments"),
    ]
