from django.db import migrations


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Everyone reads the days each step of the escalation ladder gives; Administración edits them."""

    dependencies = [
        ("oppms", "0008_account_language"),
        ("observance", "0004_escalation_ladder"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
