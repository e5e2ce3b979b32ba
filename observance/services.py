"""Work on the observance records that spans more than one row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Holiday, InformationRequest, RequestEvent

ANSWERING_EVENTS = {
    RequestEvent.Kind.ANSWERED_FULLY: InformationRequest.Outcome.ANSWERED_FULLY,
    RequestEvent.Kind.ANSWERED_PARTLY: InformationRequest.Outcome.ANSWERED_PARTLY,
    RequestEvent.Kind.REFUSED: InformationRequest.Outcome.REFUSED,
}


def information_requests_recompute_due_dates():
    """Recompute the due date of every unanswered request, after the holiday table changed.

    Answered requests keep the date they were held to. Returns how many dates moved.
    """
    extra_holidays = dict(Holiday.objects.values_list("date", "name"))
    moved = []
    for request in InformationRequest.objects.open().only(
        "pk", "sent_on", "extension_notified_on", "due_on"
    ):
        due_on = request.deadline(extra_holidays).due_on
        if due_on != request.due_on:
            request.due_on = due_on
            moved.append(request)
    InformationRequest.objects.bulk_update(moved, ["due_on"], batch_size=500)
    return len(moved)


def field_error(field, message, code):
    # ValidationError({field: message}, code=...) drops the code; forms need it to react.
    return ValidationError({field: ValidationError(message, code=code)})


@transaction.atomic
def request_event_record(*, request, kind, occurred_on, notes="", user=None):
    """Add an event to a request's timeline and bring the request's state in line with it.

    An extension moves the LOTAIP deadline; an answer or a refusal closes the request.
    """
    if occurred_on < request.sent_on:
        raise field_error(
            "occurred_on", _("An event cannot be dated before the request was sent."), "before_sent"
        )
    if kind == RequestEvent.Kind.EXTENSION:
        if request.extension_notified_on is not None:
            raise field_error(
                "kind", _("LOTAIP allows the extension only once."), "extension_twice"
            )
        if request.answered_on is not None:
            raise field_error("kind", _("The request is already answered."), "already_answered")
        request.extension_notified_on = occurred_on
    elif kind in ANSWERING_EVENTS:
        if request.answered_on is not None:
            raise field_error("kind", _("The request is already answered."), "already_answered")
        request.answered_on = occurred_on
        request.outcome = ANSWERING_EVENTS[kind]
    request.save()
    return RequestEvent.objects.create(
        request=request, kind=kind, occurred_on=occurred_on, notes=notes, recorded_by=user
    )
