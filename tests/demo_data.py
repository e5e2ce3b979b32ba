"""The demo data for tests that only read it: ``seed_demo``'s rows, copied after the first time.

``manage.py seed_demo`` saves its records one by one with their history, some ten thousand
queries: seven to ten seconds on PostgreSQL, and about twenty test modules seed it, on each
database. ``load_demo()`` runs the real command the first time it meets a database as it is (just
migrated; emptied by a flush, its roles gone) in a test process and notes every row it added;
later, on a database that holds exactly what it held then, it inserts the same rows again in one
statement a table, and moves the id sequences past them.

The content types and permissions are known by what they name, not by their ids: a transactional
test's flush keeps the id sequences, so ``post_migrate`` writes those rows again with new ids each
time, and a copy made on one flushed database fits the next, its links to them moved to the new ids.

Where the database holds anything else (another test's records), or the command changed a row it
did not add, ``load_demo()`` runs the command itself. ``tests/observance/test_demo_copy.py``
holds the copy equal to the command's own rows, table by table, on both databases; the tests of
the command itself call it directly.
"""

import io

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone


def _models():
    return apps.get_models(include_auto_created=True)


def _columns(model):
    return [field.attname for field in model._meta.concrete_fields]


def _rows(model):
    pk = model._meta.pk.attname
    return {row[pk]: row for row in model._base_manager.order_by().values(*_columns(model))}


def database_rows():
    """Every row of every table, by model and then by primary key."""
    return database_rows_of(_models())


def database_rows_of(models):
    """Every row of the tables of ``models``, by model and then by primary key."""
    return {model: _rows(model) for model in models}


# (the day, the rows before) -> when the command ran, the rows it added, by model, and the names
# of the rows they link to by id (_names); None where it changed a row it had not added, or
# added rows known by name, which a copy would not bring back.
_ADDED = {}

_NAMED = (ContentType, Permission)


def _names(rows):
    """Each content type's and permission's id -> what it names, as its natural key does."""
    types = {pk: (row["app_label"], row["model"]) for pk, row in rows[ContentType].items()}
    permissions = {
        pk: (row["codename"], *types[row["content_type_id"]])
        for pk, row in rows[Permission].items()
    }
    return {ContentType: types, Permission: permissions}


def _links_by_name(model):
    """Each column of ``model`` holding the id of a row known by name, with that row's model."""
    return [
        (field.attname, field.related_model)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model in _NAMED
    ]


def _state_key(rows):
    """The day and every row, as text (some values, JSON, cannot be hashed), with what each
    content type or permission names in place of its id."""
    names = _names(rows)

    def named(model, by_pk):
        links = _links_by_name(model)
        for pk, row in by_pk.items():
            row = {**row, **{name: names[to][row[name]] for name, to in links}}
            if model in _NAMED:
                yield repr(names[model][pk]), {**row, model._meta.pk.attname: None}
            else:
                yield repr(pk), row

    return repr(
        (
            timezone.localdate(),
            [(model._meta.label, sorted(named(model, by_pk))) for model, by_pk in rows.items()],
        )
    )


def load_demo():
    """What ``call_command("seed_demo")`` does to this database, copied when it can be."""
    before = database_rows()
    key = _state_key(before)
    if _ADDED.get(key) is not None:
        _insert(*_ADDED[key])
        return
    started = timezone.now()
    call_command("seed_demo", stdout=io.StringIO())
    after = database_rows()
    changed = any(
        after[model].get(pk) != row for model in before for pk, row in before[model].items()
    )
    added = {
        model: [row for pk, row in after[model].items() if pk not in before[model]]
        for model in after
    }
    kept = not changed and not any(added[model] for model in _NAMED)
    _ADDED.setdefault(key, (started, added, _names(after)) if kept else None)


def _insert(started, added, names):
    """Insert the rows ``added`` by a seeding that began at ``started``.

    What that seeding stamped with its own time (each history entry's date, each user's joining)
    is moved by as long as has passed since: the copy is written now, as the command's rows are.
    A link to a content type or a permission goes to the row of this database that names what
    the linked row named then (``names``).
    """
    later = timezone.now() - started
    ids_now = {
        model: {name: pk for pk, name in by_pk.items()}
        for model, by_pk in _names(database_rows_of(_NAMED)).items()
    }
    with transaction.atomic():  # foreign keys are checked at its end, whatever the order
        for model, rows in added.items():
            links = _links_by_name(model)
            stamped = [
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(field, DateTimeField)
            ]
            copies = []
            for row in rows:
                row = dict(row)
                for name, to in links:
                    if row[name] is not None:
                        row[name] = ids_now[to][names[to][row[name]]]
                for name in stamped:
                    if row[name] is not None and row[name] >= started:
                        row[name] += later
                copies.append(model(**row))
            model._base_manager.bulk_create(copies, batch_size=1000)
        restart_id_sequences(list(added))


def restart_id_sequences(models):
    """Each model's next id just past its rows (PostgreSQL's sequences; SQLite needs nothing)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
