"""Work on the observance records that spans more than one row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from oppms.bulk_history import bulk_update_with_history

from .escalation import OUTCOMES_LEADING_ON, EscalationOutcome, Ladder
from .models import FollowUp, Holiday, InformationRequest, Recommendation, RequestEvent

ANSWERING_EVENTS = {
    RequestEvent.Kind.ANSWERED_FULLY: InformationRequest.Outcome.ANSWERED_FULLY,
    RequestEvent.Kind.ANSWERED_PARTLY: InformationRequest.Outcome.ANSWERED_PARTLY,
    RequestEvent.Kind.REFUSED: InformationRequest.Outcome.REFUSED,
}


# Stored in English with each version it explains; the history page shows it translated.
DUE_DATES_MOVED_REASON = gettext_noop("Due date recomputed: the holiday table changed.")


def information_requests_recompute_due_dates():
    """Recompute the due date of every unanswered request, after the holiday table changed.

    Answered requests keep the date they were held to. Returns how many dates moved.
    """
    extra_holidays = dict(Holiday.objects.values_list("date", "name"))
    moved = []
    # Whole rows, not only the dates: each moved request gets a complete version in its history.
    for request in InformationRequest.objects.open():
        due_on = request.deadline(extra_holidays).due_on
        if due_on != request.due_on:
            request.due_on = due_on
            moved.append(request)
    return bulk_update_with_history(
        moved, InformationRequest, ["due_on"], reason=DUE_DATES_MOVED_REASON
    )


# The LOTAIP rules an event can break, worded once for the app's pages and the admin.
BEFORE_SENT = _("An event cannot be dated before the request was sent.")
EXTENSION_TWICE = _("LOTAIP allows the extension only once.")
ALREADY_ANSWERED = _("The request is already answered.")
LADDER_STEP_BEFORE_PREVIOUS = _(
    "A step of the escalation ladder cannot be dated before the step that precedes it."
)

# The events that move a request's state: the extension moves the deadline, an answer closes it.
STATE_EVENTS = {RequestEvent.Kind.EXTENSION, *ANSWERING_EVENTS}


def timeline_errors(*, sent_on, events):
    """The LOTAIP rules a whole timeline breaks, as messages; ``events`` are (kind, date) pairs.

    The app adds one event at a time through ``request_event_record``; the admin edits a
    timeline as a table, so it checks the table as a whole here.
    """
    errors = []
    if sent_on is not None and any(day < sent_on for _kind, day in events):
        errors.append(BEFORE_SENT)
    extensions = sorted(day for kind, day in events if kind == RequestEvent.Kind.EXTENSION)
    answers = sorted(day for kind, day in events if kind in ANSWERING_EVENTS)
    if len(extensions) > 1:
        errors.append(EXTENSION_TWICE)
    if len(answers) > 1 or (extensions and answers and extensions[0] > answers[0]):
        errors.append(ALREADY_ANSWERED)
    # The ladder's steps in order of their dates; a step missing from old data is let be.
    steps = sorted(
        (RequestEvent.LADDER[kind], day) for kind, day in events if kind in RequestEvent.LADDER
    )
    if any(later[1] < earlier[1] for earlier, later in zip(steps, steps[1:], strict=False)):
        errors.append(LADDER_STEP_BEFORE_PREVIOUS)
    return errors


def request_follow_timeline(request):
    """Bring a request's extension and answer in line with its timeline, edited in the admin."""
    extension = answer = None
    for event in request.events.order_by("occurred_on", "pk"):
        if event.kind == RequestEvent.Kind.EXTENSION and extension is None:
            extension = event
        elif event.kind in ANSWERING_EVENTS and answer is None:
            answer = event
    request.extension_notified_on = extension.occurred_on if extension else None
    request.answered_on = answer.occurred_on if answer else None
    request.outcome = (
        ANSWERING_EVENTS[answer.kind] if answer else InformationRequest.Outcome.PENDING
    )
    request.save()


def field_error(field, message, code):
    # ValidationError({field: message}, code=...) drops the code; forms need it to react.
    return ValidationError({field: ValidationError(message, code=code)})


def day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def request_can_escalate(request, today=None):
    """Whether the information is still missing: a tacit denial (unanswered past the LOTAIP
    due date), a refusal or a partial answer."""
    if request.answered_on is None:
        return request.due_on < (today or timezone.localdate())
    return request.outcome in {
        InformationRequest.Outcome.REFUSED,
        InformationRequest.Outcome.ANSWERED_PARTLY,
    }


def ladder_steps(events):
    """``{Ladder step: event}`` of a request's events: the first event of each step."""
    steps = {}
    for event in sorted(events, key=lambda event: (event.occurred_on, event.pk or 0)):
        if event.is_ladder_step:
            steps.setdefault(event.step, event)
    return steps


def ladder_current(steps):
    """The highest step taken, or None."""
    return steps[max(steps)] if steps else None


def ladder_next_step(request, steps, today=None):
    """``(step, reason)``: the step the ladder offers now, or None and why not.

    A request climbs one step at a time: the first once the information is missing, each next
    one once the step before it has an outcome that still leaves it missing.
    """
    if not request_can_escalate(request, today):
        return None, NOT_ESCALABLE
    current = ladder_current(steps)
    if current is None:
        return Ladder.INSISTENCE, None
    if current.outcome == EscalationOutcome.PENDING:
        return None, _("Record what came of “%(step)s” first.") % {
            "step": current.get_kind_display()
        }
    if current.outcome not in OUTCOMES_LEADING_ON:
        return None, _("The information was delivered: the ladder ends here.")
    if current.step == Ladder.JUDICIAL:
        return None, _("The judicial action is the last step of the ladder.")
    return Ladder(current.step + 1), None


NOT_ESCALABLE = _(
    "Only a request left unanswered past its due date (a tacit denial), refused or answered in "
    "part can be escalated."
)


@transaction.atomic
def request_escalate(*, request, kind, occurred_on, document=None, notes="", user=None):
    """Take a request up the next step of the escalation ladder (observance.escalation).

    Steps are taken in order, each dated no earlier than the one before it, and the first no
    earlier than the denial it answers: the day after the LOTAIP due date for a request left
    unanswered, the answer's date for a refusal or a partial answer. The step's answer is due
    after the days the observatory gives it (``EscalationTerm``).
    """
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    step = RequestEvent.LADDER[kind]
    steps = ladder_steps(request.events.filter(kind__in=RequestEvent.LADDER))
    expected, reason = ladder_next_step(request, steps)
    if expected is None:
        raise field_error("kind", reason, "no_next_step")
    if step != expected:
        raise field_error(
            "kind",
            gettext("Steps are taken in order: the next one is “%(step)s”.")
            % {"step": expected.label},
            "out_of_order",
        )
    if occurred_on > timezone.localdate():
        raise field_error("occurred_on", gettext("A step cannot be dated in the future."), "future")
    previous = ladder_current(steps)
    if previous is not None and occurred_on < previous.occurred_on:
        raise field_error(
            "occurred_on",
            gettext("A step cannot be dated before the previous one (%(date)s).")
            % {"date": day(previous.occurred_on)},
            "before_previous",
        )
    if request.answered_on is None and occurred_on <= request.due_on:
        raise field_error(
            "occurred_on",
            gettext(
                "The tacit denial begins the day after the request's due date (%(date)s): "
                "date the step after it."
            )
            % {"date": day(request.due_on)},
            "before_denial",
        )
    if request.answered_on is not None and occurred_on < request.answered_on:
        raise field_error(
            "occurred_on",
            gettext("A step cannot be dated before the answer it contests (%(date)s).")
            % {"date": day(request.answered_on)},
            "before_answer",
        )
    return RequestEvent.objects.create(
        request=request,
        kind=kind,
        occurred_on=occurred_on,
        notes=notes,
        document=document or "",
        recorded_by=user,
    )


@transaction.atomic
def escalation_outcome_record(*, event, outcome, outcome_on, notes=""):
    """Record what came of a ladder step that awaited an answer, and when."""
    event = RequestEvent.objects.select_for_update().get(pk=event.pk)
    if not event.awaits_answer:
        raise field_error(
            "outcome", gettext("What came of this step is already recorded."), "recorded"
        )
    if outcome not in EscalationOutcome.values or outcome == EscalationOutcome.PENDING:
        raise field_error("outcome", gettext("Choose what came of the step."), "invalid")
    if outcome_on > timezone.localdate():
        raise field_error(
            "outcome_on", gettext("An outcome cannot be dated in the future."), "future"
        )
    if outcome_on < event.occurred_on:
        raise field_error(
            "outcome_on",
            gettext("An outcome cannot be dated before its step (%(date)s).")
            % {"date": day(event.occurred_on)},
            "before_step",
        )
    event.outcome = outcome
    event.outcome_on = outcome_on
    if notes:
        event.notes = f"{event.notes}\n{notes}".strip()
    event.save()
    return event


@transaction.atomic
def request_event_record(*, request, kind, occurred_on, notes="", user=None):
    """Add an event to a request's timeline and bring the request's state in line with it.

    An extension moves the LOTAIP deadline; an answer or a refusal closes the request. A step of
    the escalation ladder follows the ladder's rules (``request_escalate``).
    """
    if kind in RequestEvent.LADDER:
        return request_escalate(
            request=request, kind=kind, occurred_on=occurred_on, notes=notes, user=user
        )
    if occurred_on < request.sent_on:
        raise field_error("occurred_on", BEFORE_SENT, "before_sent")
    if kind == RequestEvent.Kind.EXTENSION:
        if request.extension_notified_on is not None:
            raise field_error("kind", EXTENSION_TWICE, "extension_twice")
        if request.answered_on is not None:
            raise field_error("kind", ALREADY_ANSWERED, "already_answered")
        request.extension_notified_on = occurred_on
    elif kind in ANSWERING_EVENTS:
        if request.answered_on is not None:
            raise field_error("kind", ALREADY_ANSWERED, "already_answered")
        request.answered_on = occurred_on
        request.outcome = ANSWERING_EVENTS[kind]
    request.save()
    return RequestEvent.objects.create(
        request=request, kind=kind, occurred_on=occurred_on, notes=notes, recorded_by=user
    )


# Stored in English with each version it explains; the history page shows it translated.
COMPLIANCE_FOLLOWED_REASON = gettext_noop("Compliance taken from the latest follow-up.")


def recommendations_follow_compliance(*, recommendation_ids):
    """Give each recommendation the compliance of its latest follow-up (pending without one).

    Called whenever follow-ups are saved, deleted or changed in bulk, inside that transaction.
    Only recommendations whose compliance moves get saved, each with a new version in its
    history. Returns how many moved.
    """
    ids = {pk for pk in recommendation_ids if pk is not None}
    if not ids:
        return 0
    latest = (
        FollowUp.objects.filter(recommendation=OuterRef("pk"))
        .order_by("-checked_on", "-pk")
        .values("compliance")[:1]
    )
    moved = []
    for recommendation in Recommendation.objects.filter(pk__in=ids).annotate(
        latest=Coalesce(Subquery(latest), Value(Recommendation.Compliance.PENDING))
    ):
        if recommendation.compliance != recommendation.latest:
            recommendation.compliance = recommendation.latest
            moved.append(recommendation)
    return bulk_update_with_history(
        moved, Recommendation, ["compliance"], reason=COMPLIANCE_FOLLOWED_REASON
    )
