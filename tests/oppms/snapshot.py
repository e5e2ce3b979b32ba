"""Everything a backup promises to keep, read straight from a database and MEDIA_ROOT.

Independent of the backup's own serialization, so that a fault in it cannot hide itself: every
model's row count, every record's fields as the database returns them, every many-to-many link,
every file's SHA-256 and every finalized report's hash. References to content types and
permissions, which each database numbers itself, are compared by natural key.

Run as a module it prints the snapshot (or with --digest, the digest) of the database of
DATABASE_URL as JSON:

    DATABASE_URL=… MEDIA_ROOT=… python -m tests.oppms.snapshot [--digest]
"""

import hashlib
import json
import os
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings

NUMBERED_PER_DATABASE = {"contenttypes.contenttype", "auth.permission"}


def snapshot():
    """Every record in full: what a test compares, and shows the difference of."""
    records = {}
    for model in _models():
        rows = [_normalized(row) for row in _rows(model)]
        records[model._meta.label] = {"count": len(rows), "rows": rows}
    return {"records": records, **_files_and_reports()}


def digest():
    """The same as ``snapshot``, with each model's rows as one SHA-256: for large databases."""
    records = {}
    for model in _models():
        count, hashed = 0, hashlib.sha256()
        for row in _rows(model):
            count += 1
            hashed.update(json.dumps(row, default=str, sort_keys=True).encode())
        records[model._meta.label] = {"count": count, "sha256": hashed.hexdigest()}
    return {"records": records, **_files_and_reports()}


def _models():
    from oppms.backup import backed_up_models

    return backed_up_models()


def _files_and_reports():
    reports = apps.get_model("reports", "SemiannualReport")
    media = Path(settings.MEDIA_ROOT)
    return _normalized(
        {
            "files": {
                path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in sorted(media.rglob("*"))
                if path.is_file()
            },
            "finalized reports": {
                str(report.pk): {
                    "sha256": report.sha256,
                    "pdf sha256": hashlib.sha256(report.pdf.read()).hexdigest(),
                }
                for report in reports.objects.filter(status="final")
            },
        }
    )


def _rows(model):
    meta = model._meta
    numbered = [
        field.name
        for field in meta.concrete_fields
        if field.is_relation and field.related_model._meta.label_lower in NUMBERED_PER_DATABASE
    ]
    records = (
        model._base_manager.order_by("pk")
        .select_related(*numbered)
        .prefetch_related(*(field.name for field in meta.many_to_many))
    )
    for record in records.iterator(chunk_size=2000):
        yield _row(model, record)


def _row(model, record):
    row = {}
    for field in model._meta.concrete_fields:
        value = getattr(record, field.attname)
        if field.is_relation and field.related_model._meta.label_lower in NUMBERED_PER_DATABASE:
            related = getattr(record, field.name)
            value = related.natural_key() if related else None
        row[field.attname] = value
    for field in model._meta.many_to_many:
        related = getattr(record, field.name).all()
        if field.related_model._meta.label_lower in NUMBERED_PER_DATABASE:
            row[field.name] = sorted(item.natural_key() for item in related)
        else:
            row[field.name] = sorted(item.pk for item in related)
    return row


def _normalized(value):
    """The snapshot as JSON gives it back, so one taken here equals one read from a process."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
    django.setup()
    print(json.dumps(digest() if "--digest" in sys.argv else snapshot()))
