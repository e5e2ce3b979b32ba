"""The demo copied by tests.demo_data.load_demo() is the demo ``seed_demo`` writes, row for row."""

import datetime
import io

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from institutions.models import Institution
from observance.demo import DEFAULT_PASSWORD
from observance.models import Meeting
from tests import demo_data


def rows_after(seed):
    """Every row once ``seed()`` ran on this database, which is then left as it was."""
    with transaction.atomic():
        # Each table's next id just past its rows: two seedings give their rows the same ids.
        demo_data.restart_id_sequences(demo_data._models())
        seed()
        rows = demo_data.database_rows()
        transaction.set_rollback(True)
    return rows


def comparable(model, rows, seeded_from):
    """The rows, without what differs each time the demo is written: the time of writing (a
    date at or after ``seeded_from`` stands as "when seeded"), each password's salt (a password
    stands as whether it is the demo's), and the ids of rows no other row refers to (a history
    entry's many-to-many links: the command reads them in no set order on PostgreSQL, so their
    ids differ from one run to the next; the rows themselves are compared)."""

    def value(name, value):
        if name == "password":
            return check_password(DEFAULT_PASSWORD, value)
        if isinstance(value, datetime.datetime) and value >= seeded_from:
            return "when seeded"
        return value

    shown = {pk: {name: value(name, v) for name, v in row.items()} for pk, row in rows.items()}
    if model._meta.related_objects:
        return shown
    pk = model._meta.pk.attname
    return sorted(repr({**row, pk: None}) for row in shown.values())


def test_the_copy_holds_every_row_seed_demo_writes_and_nothing_else(db, monkeypatch):
    monkeypatch.setattr(demo_data, "_ADDED", {})
    started = timezone.now()
    commanded = rows_after(lambda: call_command("seed_demo", stdout=io.StringIO()))
    rows_after(demo_data.load_demo)  # the first time in the process: the command itself
    copied_from = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        copied = rows_after(demo_data.load_demo)

    # The command makes some ten thousand queries; a copy, a few for each table.
    assert len(queries) < 1000, "the demo was seeded, not copied"
    assert sum(map(len, copied.values())) > 5000
    for model, rows in commanded.items():
        label = model._meta.label
        assert comparable(model, copied[model], started) == comparable(model, rows, started), label
    # What the copy stamps with the time it was written is stamped with the copy's own time.
    history = copied[Meeting.history.model].values()
    assert max(entry["history_date"] for entry in history) >= copied_from


def test_a_database_holding_other_records_gets_the_command_itself(db, monkeypatch):
    # A copy is at hand for the database as it is now...
    rows = demo_data.database_rows()
    monkeypatch.setattr(
        demo_data, "_ADDED", {demo_data._state_key(rows): (timezone.now(), {Institution: []}, {})}
    )
    commands, copies = [], []
    monkeypatch.setattr(demo_data, "call_command", lambda *args, **kw: commands.append(args))
    monkeypatch.setattr(demo_data, "_insert", lambda *copy: copies.append(copy))
    demo_data.load_demo()
    assert (commands, len(copies)) == ([], 1)

    # ...and not once it holds another record.
    Institution.objects.create(name="Registro Civil", mapped_on="2021-03-01")
    demo_data.load_demo()
    assert (commands, len(copies)) == ([("seed_demo",)], 1)


@pytest.fixture
def flush_keeping_sequences(db):
    """Empty every table as a transactional test's end does: the id sequences go on, so
    ``post_migrate`` writes the content types and permissions again with new ids."""

    def flush():
        connection.check_constraints()  # PostgreSQL truncates no table with checks pending
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False)

    yield flush
    ContentType.objects.clear_cache()  # its ids are rolled back with the test


def roles(rows):
    """Each group's name with the codenames of its permissions."""
    codenames = {pk: row["codename"] for pk, row in rows[Permission].items()}
    through = Group.permissions.through
    return {
        row["name"]: sorted(
            codenames[link["permission_id"]]
            for link in rows[through].values()
            if link["group_id"] == pk
        )
        for pk, row in rows[Group].items()
    }


def test_a_copy_fits_a_database_flushed_since(flush_keeping_sequences, monkeypatch):
    monkeypatch.setattr(demo_data, "_ADDED", {})
    flush_keeping_sequences()
    commanded = rows_after(demo_data.load_demo)
    flush_keeping_sequences()
    assert set(Permission.objects.values_list("pk", flat=True)).isdisjoint(commanded[Permission])

    with CaptureQueriesContext(connection) as queries:
        copied = rows_after(demo_data.load_demo)

    assert len(queries) < 1000, "the demo was seeded, not copied"
    # Each role links to the permissions of this database named as the command's were.
    assert roles(copied) == roles(commanded)
    assert any(roles(copied).values())
