"""Free-text commitments written before they were items become items, one per line or bullet,
and the demo creates items instead of text."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from observance.models import Commitment

BEFORE = [("observance", "0006_commitments")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def newest():
    """Every app's newest migration: the test must leave the schema the next tests expect
    (a fixed target here once left out a later migration, for every test after it)."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_each_line_of_a_meetings_commitments_text_becomes_a_pending_item():
    old = migrate(BEFORE)
    try:
        institution = old.get_model("institutions", "Institution").objects.create(
            name="Ministerio del Interior", acronym="MDI", mapped_on=datetime.date(2021, 1, 20)
        )
        meetings = old.get_model("observance", "Meeting").objects
        listed = meetings.create(
            held_at=datetime.datetime(2021, 3, 1, 15, tzinfo=datetime.UTC),
            modality="virtual",
            institution=institution,
            purpose="Vinculación",
            commitments="- Designar un punto focal\n\n2) Compartir la normativa vigente\n• Revisar",
        )
        meetings.create(
            held_at=datetime.datetime(2021, 3, 2, 15, tzinfo=datetime.UTC),
            modality="virtual",
            institution=institution,
            purpose="Sin compromisos",
            commitments="",
        )
    finally:
        migrate(newest())

    items = Commitment.objects.order_by("pk")
    assert [(c.meeting_id, c.text, c.who, c.status, c.due_on) for c in items] == [
        (listed.pk, "Designar un punto focal", "counterpart", "pending", None),
        (listed.pk, "Compartir la normativa vigente", "counterpart", "pending", None),
        (listed.pk, "Revisar", "counterpart", "pending", None),
    ]
    assert Commitment.history.filter(history_type="+").count() == 3


@pytest.mark.django_db
def test_the_demo_creates_commitment_items_and_a_rerun_adds_none():
    call_command("seed_demo", stdout=io.StringIO())
    first = list(Commitment.objects.values_list("pk", "text", "status").order_by("pk"))
    history = Commitment.history.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert list(Commitment.objects.values_list("pk", "text", "status").order_by("pk")) == first
    assert Commitment.history.count() == history
    texts = {text for _pk, text, _status in first}
    assert "Designar un punto focal institucional." in texts
    assert {status for _pk, _text, status in first} == {"done", "pending"}
    assert Commitment.objects.filter(who="observatory").exists()
    closed = Commitment.objects.exclude(status="pending")
    assert all(c.closed_on and c.closing_note for c in closed)
