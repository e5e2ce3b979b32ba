from django.db import migrations


def sync_roles(apps, schema_editor):
    from oppms.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    """Let Administración see and delete failed-login records and lockouts (django-axes)."""

    dependencies = [
        ("oppms", "0002_report_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
