"""The escalation ladder's rules: one step at a time, in order, dated after what it answers."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from observance.escalation import Ladder
from observance.models import EscalationTerm, RequestEvent
from observance.services import (
    escalation_outcome_record,
    ladder_next_step,
    ladder_steps,
    request_escalate,
    request_event_record,
    timeline_errors,
)

from .page_data import days_ago, make_request

INSIST = RequestEvent.Kind.CORRECTION_ASKED
DEFENSORIA = RequestEvent.Kind.DEFENSORIA
JUDICIAL = RequestEvent.Kind.JUDICIAL

pytestmark = pytest.mark.django_db


def overdue_request():
    """Sent 40 days ago: due 30 days ago under LOTAIP's 10 calendar days."""
    return make_request(sent_on=days_ago(40))


def refusal_code(error):
    return [e.code for errors in error.error_dict.values() for e in errors]


def escalate(request, kind, day, **extra):
    return request_escalate(request=request, kind=kind, occurred_on=day, **extra)


def test_the_migration_sets_the_documented_days_per_step():
    terms = {term.step: (term.days, term.counting) for term in EscalationTerm.objects.all()}
    # In case a transactional test emptied the table, the defaults the code falls back on.
    terms = terms or {1: (10, "calendar"), 2: (30, "calendar"), 3: (None, "calendar")}
    assert terms == {1: (10, "calendar"), 2: (30, "calendar"), 3: (None, "calendar")}


def test_an_insistence_on_an_overdue_request_is_due_after_its_term():
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": 10, "counting": "calendar"})
    step = escalate(overdue_request(), INSIST, days_ago(20))
    assert (step.outcome, step.due_on) == ("pending", days_ago(10))


def test_a_business_day_term_skips_the_weekend():
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": 5, "counting": "business"})
    request = make_request(sent_on=datetime.date(2021, 3, 1))  # due 11/03/2021
    step = escalate(request, INSIST, datetime.date(2021, 3, 19))  # a Friday
    assert step.due_on == datetime.date(2021, 3, 26)


def test_a_step_without_days_has_no_due_date():
    EscalationTerm.objects.update_or_create(step=1, defaults={"days": None})
    assert escalate(overdue_request(), INSIST, days_ago(20)).due_on is None


def test_a_request_still_within_its_deadline_cannot_be_escalated():
    with pytest.raises(ValidationError) as refused:
        escalate(make_request(sent_on=days_ago(2)), INSIST, days_ago(0))
    assert refusal_code(refused.value) == ["no_next_step"]
    assert not RequestEvent.objects.exists()


def test_the_defensoria_cannot_come_before_the_insistence():
    with pytest.raises(ValidationError) as refused:
        escalate(overdue_request(), DEFENSORIA, days_ago(20))
    assert refusal_code(refused.value) == ["out_of_order"]
    assert not RequestEvent.objects.exists()


def test_the_next_step_waits_for_the_outcome_of_the_previous_one():
    request = overdue_request()
    escalate(request, INSIST, days_ago(20))
    with pytest.raises(ValidationError) as refused:
        escalate(request, DEFENSORIA, days_ago(5))
    assert refusal_code(refused.value) == ["no_next_step"]


def test_a_step_cannot_be_dated_before_the_previous_one():
    request = overdue_request()
    insistence = escalate(request, INSIST, days_ago(20))
    escalation_outcome_record(event=insistence, outcome="no_answer", outcome_on=days_ago(8))
    with pytest.raises(ValidationError) as refused:
        escalate(request, DEFENSORIA, days_ago(21))
    assert refusal_code(refused.value) == ["before_previous"]
    assert list(refused.value.error_dict) == ["occurred_on"]


def test_a_step_cannot_be_dated_on_or_before_the_requests_due_date():
    request = overdue_request()
    with pytest.raises(ValidationError) as refused:
        escalate(request, INSIST, request.due_on)
    assert refusal_code(refused.value) == ["before_denial"]
    assert escalate(request, INSIST, request.due_on + datetime.timedelta(days=1))


def test_a_step_cannot_be_dated_in_the_future():
    with pytest.raises(ValidationError) as refused:
        escalate(overdue_request(), INSIST, days_ago(-1))
    assert refusal_code(refused.value) == ["future"]


def test_a_refused_request_is_escalated_from_the_day_of_the_refusal():
    request = make_request(sent_on=days_ago(8))
    request_event_record(request=request, kind="refused", occurred_on=days_ago(4))
    with pytest.raises(ValidationError) as refused:
        escalate(request, INSIST, days_ago(5))
    assert refusal_code(refused.value) == ["before_answer"]
    assert escalate(request, INSIST, days_ago(4)).step == Ladder.INSISTENCE


def test_a_request_answered_fully_is_not_escalated():
    request = make_request(sent_on=days_ago(40))
    request_event_record(request=request, kind="answered_fully", occurred_on=days_ago(20))
    assert ladder_next_step(request, {})[0] is None


def test_the_ladder_climbs_to_the_judicial_action_and_ends_there():
    request = overdue_request()
    for kind, filed, outcome_on in (
        (INSIST, 25, 20),
        (DEFENSORIA, 18, 10),
        (JUDICIAL, 5, 1),
    ):
        step = escalate(request, kind, days_ago(filed))
        escalation_outcome_record(event=step, outcome="rejected", outcome_on=days_ago(outcome_on))
    request.refresh_from_db()
    steps = ladder_steps(request.events.all())
    assert list(steps) == [1, 2, 3]
    assert ladder_next_step(request, steps)[0] is None


def test_information_delivered_ends_the_ladder():
    request = overdue_request()
    step = escalate(request, INSIST, days_ago(20))
    escalation_outcome_record(event=step, outcome="delivered", outcome_on=days_ago(15))
    assert ladder_next_step(request, ladder_steps(request.events.all())) == (
        None,
        "La información fue entregada: la escalera termina aquí.",
    )


def test_a_partly_delivered_outcome_leads_to_the_defensoria():
    request = overdue_request()
    step = escalate(request, INSIST, days_ago(20))
    escalation_outcome_record(event=step, outcome="partly_delivered", outcome_on=days_ago(15))
    assert ladder_next_step(request, ladder_steps(request.events.all()))[0] == Ladder.DEFENSORIA


def test_an_outcome_cannot_be_dated_before_its_step_and_is_kept_in_history():
    step = escalate(overdue_request(), INSIST, days_ago(20))
    with pytest.raises(ValidationError) as refused:
        escalation_outcome_record(event=step, outcome="no_answer", outcome_on=days_ago(21))
    assert list(refused.value.error_dict) == ["outcome_on"]
    escalation_outcome_record(event=step, outcome="no_answer", outcome_on=days_ago(5))
    assert [v.outcome for v in step.history.order_by("history_id")] == ["pending", "no_answer"]


def test_an_outcome_is_recorded_once():
    step = escalate(overdue_request(), INSIST, days_ago(20))
    escalation_outcome_record(event=step, outcome="no_answer", outcome_on=days_ago(5))
    with pytest.raises(ValidationError) as refused:
        escalation_outcome_record(event=step, outcome="delivered", outcome_on=days_ago(4))
    assert refusal_code(refused.value) == ["recorded"]


def test_the_database_refuses_an_outcome_without_its_date():
    step = escalate(overdue_request(), INSIST, days_ago(20))
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestEvent.objects.filter(pk=step.pk).update(outcome="rejected")


def test_the_database_refuses_an_outcome_on_an_event_off_the_ladder():
    request = make_request(sent_on=days_ago(3))
    event = request_event_record(request=request, kind="extension", occurred_on=days_ago(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        RequestEvent.objects.filter(pk=event.pk).update(outcome="pending")


def test_the_admins_timeline_check_refuses_a_step_dated_before_the_previous_one():
    events = [("sent", days_ago(40)), (INSIST, days_ago(10)), (DEFENSORIA, days_ago(20))]
    assert timeline_errors(sent_on=days_ago(40), events=events) == [
        "Un paso de la escalera de reclamo no puede tener fecha anterior al paso que lo precede."
    ]


def test_steps_recorded_before_the_ladder_take_the_answer_that_followed_as_their_outcome():
    """The migration's data step maps old events onto the ladder this way."""
    migration = importlib.import_module("observance.migrations.0004_escalation_ladder")
    answers = [(datetime.date(2021, 5, 26), "partly_delivered")]
    later = [(datetime.date(2021, 7, 12), "delivered")]
    assert migration.outcome_after(datetime.date(2021, 6, 2), answers) == ("pending", None)
    assert migration.outcome_after(datetime.date(2021, 6, 21), answers + later) == (
        "delivered",
        datetime.date(2021, 7, 12),
    )
