"""A finalized report keeps the escalation steps it counted in its semester, and on the ladder."""

import datetime

import pytest
from django.db import transaction
from django.db.models import ProtectedError

from observance.models import RequestEvent
from observance.services import request_escalate
from oppms.protection import KeptRecordError
from reports.models import CountedRecord
from tests.observance.page_data import make_request

from .conftest import finalize


@pytest.fixture
def insistence(db):
    request = make_request(sent_on=datetime.date(2021, 3, 1), subject="Retornados")
    return request_escalate(
        request=request,
        kind=RequestEvent.Kind.CORRECTION_ASKED,
        occurred_on=datetime.date(2021, 4, 5),
    )


def test_finalizing_stores_the_escalation_steps_the_report_counts(insistence):
    report = finalize()
    stored = CountedRecord.objects.filter(report=report, model="observance.requestevent")
    assert set(stored.values_list("basis", "object_id")) == {
        ("escalated", insistence.pk),
        ("ladder_step", insistence.pk),
    }
    assert report.figures["escalations"]["steps"][0]["filed"] == 1


def test_a_counted_step_cannot_move_out_of_the_semester_nor_be_deleted(insistence):
    finalize()
    insistence.occurred_on = datetime.date(2021, 7, 5)
    with pytest.raises(KeptRecordError), transaction.atomic():
        insistence.save()
    with pytest.raises(ProtectedError), transaction.atomic():
        RequestEvent.objects.get(pk=insistence.pk).delete()
    assert RequestEvent.objects.get(pk=insistence.pk).occurred_on == datetime.date(2021, 4, 5)


def test_a_counted_step_stays_a_step_of_the_ladder(insistence):
    finalize()
    with pytest.raises(KeptRecordError), transaction.atomic():
        RequestEvent.objects.filter(pk=insistence.pk).update(
            kind="extension", outcome="", due_on=None
        )


def test_its_outcome_can_still_be_recorded(insistence):
    finalize()
    insistence.refresh_from_db()
    insistence.outcome, insistence.outcome_on = "no_answer", datetime.date(2021, 8, 1)
    insistence.save()
    assert RequestEvent.objects.get(pk=insistence.pk).outcome == "no_answer"
