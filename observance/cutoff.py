"""Information requests in the state they were in on a given day (a report's cut-off).

On ``day`` a request sent by then was:

- answered on time or late when its answer is dated on or before ``day``, judged against its
  due date (a valid timeline notifies the extension before the answer, so the stored due date
  is the one that applied);
- otherwise unanswered: overdue (a tacit denial) when its due date on ``day`` had passed,
  open when it had not.

Its due date on ``day`` is the stored one, unless the extension was notified after ``day``:
then the extension had not moved it yet, and it is the base LOTAIP due date (10 days). The
extension of the timeline (the ``extension`` event) is mirrored in ``extension_notified_on``,
which the stored due date is computed from.

The report's figures and the request list's ``as_of`` filter both use these conditions.

A step of the escalation ladder counts by its filing date; its outcome on ``day`` is the one
recorded with an outcome date on or before ``day``, and it was still awaiting an answer before.
"""

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When
from django.utils import timezone

from . import lotaip
from .escalation import EscalationOutcome
from .models import Holiday, InformationRequest, RequestEvent

STATES = ["on_time", "late", "overdue", "open"]


def _extended_later(day):
    """``(overdue, open)``: pks of requests sent by ``day`` whose extension came after it,
    split by whether their base due date had passed on ``day``.

    A request is extended within days of being sent, so these are the few sent just before
    ``day``: computing their base due date here costs two queries at most, whatever the
    number of requests.
    """
    rows = InformationRequest.objects.filter(
        sent_on__lte=day, extension_notified_on__gt=day
    ).values_list("pk", "sent_on")
    extra_holidays = {}
    if settings.LOTAIP_DAY_COUNTING == lotaip.BUSINESS:
        extra_holidays = dict(Holiday.objects.values_list("date", "name"))
    overdue, still_open = [], []
    for pk, sent_on in rows:
        due_on = lotaip.deadline(sent_on, extended=False, extra_holidays=extra_holidays).due_on
        (overdue if due_on < day else still_open).append(pk)
    return overdue, still_open


def answered_on_time_by(day):
    """The requests answered on or before ``day`` and by their due date (no query)."""
    return Q(answered_on__lte=day) & Q(answered_on__lte=F("due_on"))


def request_states_on(day):
    """``{state: Q}`` selecting the requests in each state on ``day``."""
    overdue_ids, open_ids = _extended_later(day)
    answered = Q(answered_on__lte=day)
    unanswered = Q(answered_on__isnull=True) | Q(answered_on__gt=day)
    extension_applied = Q(extension_notified_on__isnull=True) | Q(extension_notified_on__lte=day)
    return {
        "on_time": answered_on_time_by(day),
        "late": answered & Q(answered_on__gt=F("due_on")),
        "overdue": unanswered & ((extension_applied & Q(due_on__lt=day)) | Q(pk__in=overdue_ids)),
        "open": unanswered & ((extension_applied & Q(due_on__gte=day)) | Q(pk__in=open_ids)),
    }


def state_on(states):
    """An expression naming each request's state, from ``request_states_on``'s conditions."""
    return Case(*(When(condition, then=Value(state)) for state, condition in states.items()))


def escalations_matching(
    *, step=None, filed_after=None, filed_before=None, outcome=None, overdue=False, day=None
):
    """The escalation steps (ladder events) filed in the range, of the step, with the outcome.

    With ``day``, the outcome is the one recorded by then (by its date); a later one was still
    awaited. ``overdue`` keeps the steps awaiting an answer past their due date (on ``day``,
    or today). The report's escalation figures count with these same conditions.
    """
    day_or_today = day or timezone.localdate()
    events = RequestEvent.objects.filter(kind__in=RequestEvent.LADDER).annotate(
        outcome_then=outcome_on_day(day_or_today) if day else F("outcome")
    )
    if step:
        events = events.filter(kind=RequestEvent.KIND_OF_STEP[int(step)])
    if filed_after:
        events = events.filter(occurred_on__gte=filed_after)
    if filed_before:
        events = events.filter(occurred_on__lte=filed_before)
    if outcome:
        events = events.filter(outcome_then=outcome)
    if overdue:
        events = events.filter(outcome_then=EscalationOutcome.PENDING, due_on__lt=day_or_today)
    return events


def outcome_on_day(day):
    """A ladder step's outcome as it stood on ``day``: awaiting until the outcome's date."""
    return Case(
        When(outcome_on__lte=day, then=F("outcome")),
        default=Value(EscalationOutcome.PENDING),
        output_field=CharField(),
    )
