"""Work on the observance records that spans more than one row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from oppms.bulk_history import bulk_update_with_history

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


@transaction.atomic
def request_event_record(*, request, kind, occurred_on, notes="", user=None):
    """Add an event to a request's timeline and bring the request's state in line with it.

    An extension moves the LOTAIP deadline; an answer or a refusal closes the request.
    """
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
