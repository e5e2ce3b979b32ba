from django.db import migrations


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Secretaría no longer logs meetings: it keeps the minutes of those already logged."""

    dependencies = [("oppms", "0004_form_submissions")]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
