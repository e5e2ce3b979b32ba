from django.db import migrations


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Give the groups the reports' permissions, finalizing included."""

    dependencies = [
        ("oppms", "0001_roles"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
