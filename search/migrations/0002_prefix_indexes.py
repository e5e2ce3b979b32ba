"""Indexes for the navbar's search to find its best hits without reading every match
(search.kinds.Kind.ranked), on PostgreSQL; SQLite needs none of it.

- A btree on the first 100 characters of every searched field's plain text (search_<model>_
  <field>_start): it finds the records whose field is, or begins with, the search, which the
  trigram indexes can only narrow to those holding its letters anywhere ("bench" is in all
  50,000 "Bench reunión …"). 100 is search.kinds.INDEXED_PREFIX, the longest search; a btree
  entry has a size limit, and a meeting's outcomes have none.
- The trigram indexes of 0001 without their pending list ("fastupdate"): PostgreSQL lets new
  entries wait in a list that every search then reads whole (some 8 ms a search for the
  meetings' list of 4 MB) until a vacuum merges them. Each record saved updates the index at
  once instead, which costs a record's saving little more.
"""

from importlib import import_module

from django.db import migrations

# The searched fields and their trigram indexes: (index name, table, column).
INDEXES = import_module("search.migrations.0001_plain_text").INDEXES

INDEXED_PREFIX = 100


def start_index(name):
    return name.removesuffix("_plain") + "_start"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, table, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {start_index(name)} ON {table} "
                f"(left(oppms_plain({column}), {INDEXED_PREFIX}) text_pattern_ops)"
            )
            cursor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
        # The planner weighs "begins with" by the new indexes' statistics: without them it
        # would guess, and might read 50,000 records that begin with "bench" to sort them.
        for table in dict.fromkeys(table for _name, table, _column in INDEXES):
            cursor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {start_index(name)}")
            cursor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_plain_text")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
