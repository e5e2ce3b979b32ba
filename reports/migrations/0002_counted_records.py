import django.db.models.deletion
from django.db import migrations, models


def store_counted_records_of_final_reports(apps, schema_editor):
    """Reports finalized before identities were stored keep the records they count now."""
    from reports.counted import store_counted_records

    reports = apps.get_model("reports", "SemiannualReport")
    for report in reports.objects.filter(status="final"):
        store_counted_records(report, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("allies", "0001_initial"),
        ("institutions", "0001_initial"),
        ("observance", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountedRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model", models.CharField(max_length=100, verbose_name="kind of record")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="record number")),
                ("basis", models.CharField(max_length=40, verbose_name="counted as")),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="counted_records",
                        to="reports.semiannualreport",
                        verbose_name="report",
                    ),
                ),
            ],
            options={
                "verbose_name": "record counted by a report",
                "verbose_name_plural": "records counted by reports",
                "ordering": ["report", "model", "object_id", "basis"],
                "default_permissions": (),
                "indexes": [
                    models.Index(fields=["model", "object_id"], name="reports_counted_record")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("report", "model", "object_id", "basis"),
                        name="reports_countedrecord_once_per_basis",
                    )
                ],
            },
        ),
        migrations.RunPython(store_counted_records_of_final_reports, migrations.RunPython.noop),
    ]
