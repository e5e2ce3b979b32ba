"""Back up and restore the whole observatory: every record and every uploaded file.

A backup is one .tar.gz holding

- ``manifest.json``: the schema it was taken on (the latest applied migration of every app),
  how many records of each model it holds and the SHA-256 of every uploaded file;
- ``database.json``: every record, in Django's JSON serialization with natural keys for the
  content types and permissions that migrations recreate under their own numbers, so it loads
  into SQLite or PostgreSQL alike. Times keep their microseconds (Django's own encoder cuts
  them to milliseconds), so the order of two changes made within one millisecond survives;
- ``media/``: the uploaded files (minutes, letters, agreements, finalized reports).

A restore checks the manifest against the database and the files before it touches anything,
replaces every record in one transaction, checks the counts again before committing, and only
then replaces the files.
"""

import datetime
import hashlib
import json
import shutil
import tarfile
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

MANIFEST_MEMBER = "manifest.json"
DATABASE_MEMBER = "database.json"
MEDIA_MEMBER = "media"
MANIFEST_FORMAT = 1
# Migrations recreate content types and permissions; sessions and login attempts belong to the
# database they were made on. A restore empties sessions and attempts all the same: a session
# must not outlive the user it names.
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes"]
KEPT_ON_RESTORE = ["contenttypes", "auth.permission"]
CHUNK = 2000


class BackupError(ValueError):
    """The backup cannot be restored here; nothing has been changed."""


@dataclass(frozen=True)
class BackupSummary:
    records: int
    files: int


def backup_write(*, path):
    """Write every record and uploaded file to the .tar.gz at ``path``."""
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        # One snapshot of the database even while the application keeps writing.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with dump.open("w", encoding="utf-8") as stream:
                counts = _dump_records(stream)
            schema = migration_state()
        media = Path(settings.MEDIA_ROOT)
        files = media_digests(media)
        manifest = {
            "format": MANIFEST_FORMAT,
            "taken_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "migrations": schema,
            "records": dict(sorted(counts.items())),
            "files": files,
        }
        with tarfile.open(path, "w:gz", compresslevel=6) as archive:
            manifest_file = Path(scratch) / MANIFEST_MEMBER
            manifest_file.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            archive.add(manifest_file, arcname=MANIFEST_MEMBER)
            archive.add(dump, arcname=DATABASE_MEMBER)
            for name in files:
                archive.add(media / name, arcname=f"{MEDIA_MEMBER}/{name}")
    return BackupSummary(records=sum(counts.values()), files=len(files))


def backup_restore(*, path):
    """Replace every record and uploaded file with those of the backup at ``path``.

    Raises ``BackupError``, having changed nothing, when the file is not a backup, was taken on
    another schema than this database's, or its contents do not match its manifest.
    """
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        with tarfile.open(path, "r:gz") as archive:
            # The "data" filter refuses absolute paths, links out of the folder and device files.
            archive.extractall(scratch, filter="data")
        manifest = _read_manifest(scratch, path)
        _check_schema(manifest["migrations"])
        restored_media = scratch / MEDIA_MEMBER
        if media_digests(restored_media) != manifest["files"]:
            raise BackupError(f"{path} is damaged: its files do not match its manifest.")

        try:
            with transaction.atomic():
                _empty_restored_tables()
                _load_records(scratch / DATABASE_MEMBER)
                restored = _record_counts()
                if restored != Counter(manifest["records"]):
                    raise BackupError(
                        f"{path} is damaged: the records loaded do not match its manifest "
                        f"({sum(restored.values())} loaded, "
                        f"{sum(manifest['records'].values())} listed)."
                    )
        except (DeserializationError, IntegrityError) as error:
            raise BackupError(f"{path} cannot be loaded into this database: {error}") from error
        _replace_media(restored_media, Path(settings.MEDIA_ROOT))
    return BackupSummary(records=sum(restored.values()), files=len(manifest["files"]))


def backed_up_models():
    """The models a backup holds, in an order that loads (natural keys' dependencies first)."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model for model in ordered if not model._meta.proxy and not _listed(model, NOT_BACKED_UP)
    ]


def migration_state():
    """The latest applied migration of every app, as ``{app: [name, …]}`` (one name per branch)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    latest = {}
    for app_label, name in sorted(applied):
        node = loader.graph.node_map.get((app_label, name))
        children = node.children if node else set()
        if not any(child in applied and child[0] == app_label for child in children):
            latest.setdefault(app_label, []).append(name)
    return latest


def media_digests(root):
    """The SHA-256 of every file under ``root``, by its path relative to ``root``."""
    root = Path(root)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): _sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, keeping the microseconds of times."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump_records(stream):
    counts = Counter()
    serializer = _Serializer()

    def records():
        for model in backed_up_models():
            counts[model._meta.label] += 0
            serializer.links = _many_to_many_links(model)
            natural_foreign = [
                field.name
                for field in model._meta.concrete_fields
                if field.many_to_one and _renumbered(field.related_model)
            ]
            rows = model._base_manager.order_by(model._meta.pk.name).select_related(
                *natural_foreign
            )
            for record in rows.iterator(chunk_size=CHUNK):
                counts[model._meta.label] += 1
                yield record

    serializer.serialize(records(), stream=stream, cls=_ExactJSONEncoder)
    return counts


class _Serializer(JSONSerializer):
    """Django's JSON serializer, naming by natural key only what each database numbers itself,
    and reading many-to-many links from ``links`` rather than with a query per record.

    Content types and permissions are recreated by migrations under new numbers, so the backup
    names them (``["observance", "meeting"]``); users and groups are in the backup and keep
    their numbers, which load without a lookup per history row.
    """

    def __init__(self):
        self.links = {}

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = _renumbered(field.related_model)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        if field.name in self.links:
            self._current[field.name] = self.links[field.name].get(obj.pk, [])

    def end_object(self, obj):
        # json.dumps encodes in C; json.dump, which Django's serializer calls, in Python.
        if not self.first:
            self.stream.write(", ")
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self._current = None


def _load_records(dump):
    """Insert the records of ``dump`` as they are, many at a time.

    Not ``loaddata``: it saves one record at a time (an UPDATE, then an INSERT) and sets each
    one's many-to-many links with more queries, minutes for 50,000 meetings; and it sends the
    m2m_changed signal, on which simple-history records the links as a change made now, beside
    the backup's own history. ``QuerySet._insert(raw=True)`` is the insert of ``loaddata``'s raw
    saves, for many rows at once: records reach the database with the backup's values, through
    no field's ``pre_save`` (which ``bulk_create`` would call: ``auto_now``) and no signal. The
    foreign keys are checked when the transaction commits (Django declares them deferrable).
    """
    batch = []

    def insert():
        if not batch:
            return
        model = type(batch[0].object)
        fields = model._meta.concrete_fields
        objects = [deserialized.object for deserialized in batch]
        size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
        for start in range(0, len(objects), size):
            model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
        for name in batch[0].m2m_data:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            through._base_manager.bulk_create(
                (
                    through(**{source: deserialized.object.pk, target: related})
                    for deserialized in batch
                    for related in deserialized.m2m_data[name]
                ),
                batch_size=CHUNK,
            )
        batch.clear()

    loaded = set()
    with dump.open(encoding="utf-8") as stream:
        for deserialized in serializers.deserialize("json", stream):
            model = type(deserialized.object)
            if batch and (type(batch[0].object) is not model or len(batch) == CHUNK):
                insert()
            batch.append(deserialized)
            loaded.add(model)
        insert()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)


def _many_to_many_links(model):
    """``{field name: {record pk: [related pk or natural key, …]}}`` for ``model``'s own
    many-to-many fields (not those with a through model of ours, which is backed up as such)."""
    links = {}
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        source = through._meta.get_field(field.m2m_field_name()).attname
        target = through._meta.get_field(field.m2m_reverse_field_name()).attname
        names = (
            {
                related.pk: related.natural_key()
                for related in field.related_model._base_manager.select_related()
            }
            if _renumbered(field.related_model)
            else None
        )
        by_record = defaultdict(list)
        pairs = through._base_manager.order_by("pk").values_list(source, target)
        for source_pk, target_pk in pairs.iterator(chunk_size=CHUNK):
            by_record[source_pk].append(target_pk if names is None else names[target_pk])
        links[field.name] = by_record
    return links


def _record_counts():
    return Counter({model._meta.label: model._base_manager.count() for model in backed_up_models()})


def _read_manifest(scratch, path):
    manifest_file = scratch / MANIFEST_MEMBER
    if not (scratch / DATABASE_MEMBER).exists():
        raise BackupError(f"{path} is not an OPPMS backup: it has no {DATABASE_MEMBER}.")
    if not manifest_file.exists():
        raise BackupError(
            f"{path} has no {MANIFEST_MEMBER}: it was written by an older OPPMS that did not "
            "record its schema, and cannot be checked against this database."
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(
            f"{path} is damaged: its {MANIFEST_MEMBER} is not JSON ({error})."
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{path} has a manifest this version of OPPMS does not read.")
    return manifest


def _check_schema(backed_up):
    here = migration_state()
    differing = [
        app for app in sorted(set(backed_up) | set(here)) if backed_up.get(app) != here.get(app)
    ]
    if not differing:
        return

    def describe(state):
        return "; ".join(
            f"{app} {', '.join(state[app]) if app in state else '(not migrated)'}"
            for app in differing
        )

    raise BackupError(
        "The backup was taken on another schema than this database's. "
        f"Backup: {describe(backed_up)}. This database: {describe(here)}. "
        "Restore it into a database migrated to the backup's schema "
        "(manage.py migrate APP MIGRATION), or with the OPPMS version that took it."
    )


def _empty_restored_tables():
    """Empty every table a restore fills, sessions and login attempts too, as ``flush`` would.

    Unlike ``flush``, this keeps the content types and permissions (the backup refers to them
    by natural key) and sends no post_migrate, which would recreate rows the backup brings.
    """
    kept = {model._meta.db_table for model in apps.get_models() if _listed(model, KEPT_ON_RESTORE)}
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True)
        if table not in kept
    ]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    connection.ops.execute_sql_flush(statements)


def _replace_media(restored, media):
    """Put the backup's files in ``media``'s place; ``media`` itself may be a mount point."""
    media.mkdir(parents=True, exist_ok=True)
    for child in media.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if restored.exists():
        shutil.copytree(restored, media, dirs_exist_ok=True)


def _renumbered(model):
    """Whether each database numbers ``model``'s rows itself (content types, permissions)."""
    return _listed(model, KEPT_ON_RESTORE)


def _listed(model, labels):
    return model._meta.app_label in labels or model._meta.label_lower in labels


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
