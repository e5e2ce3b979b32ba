from django.db import migrations


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Administración sees who gets the reminder digest and which digests went out."""

    dependencies = [("oppms", "0006_reminder_preferences")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
