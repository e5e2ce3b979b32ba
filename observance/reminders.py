"""What the reminders tell each user about observance records (registered in oppms.reminders).

Every source returns only records the user may view, and reads them in one query.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allies.models import AgendaItem
from observance.escalation import EscalationOutcome
from observance.models import Commitment, InformationRequest, Meeting, Recommendation, RequestEvent
from oppms.reminders import CalendarEvent, DigestItem, calendar_source, digest_source


def local_day_bounds(first_day, last_day):
    """The aware datetimes from the start of ``first_day`` to the end of ``last_day``, local."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def requests_visible_to(user):
    if not user.has_perm("observance.view_informationrequest"):
        return InformationRequest.objects.none()
    return InformationRequest.objects.select_related("institution")


def request_text(request, today):
    if request.due_on < today:
        text = _("%(subject)s (%(institution)s), was due %(day)s")
    else:
        text = _("%(subject)s (%(institution)s), due %(day)s")
    return text % {
        "subject": request.subject,
        "institution": request.institution,
        "day": request.due_on.strftime("%d/%m/%Y"),
    }


@digest_source(gettext_lazy("Requests that became overdue (tacit denial)"))
def newly_overdue_requests(user, digest_day):
    # Overdue since the day after their deadline: those whose deadline passed since the last
    # digest, which already told about the ones before.
    requests = (
        requests_visible_to(user).overdue(digest_day.today).filter(due_on__gte=digest_day.since)
    )
    return [DigestItem(request_text(r, digest_day.today), r.get_absolute_url()) for r in requests]


@digest_source(gettext_lazy("Requests falling due soon"))
def requests_due_soon(user, digest_day):
    requests = requests_visible_to(user).due_within(digest_day.days_ahead, digest_day.today)
    return [DigestItem(request_text(r, digest_day.today), r.get_absolute_url()) for r in requests]


@digest_source(gettext_lazy("Recommendations past their expected date"))
def overdue_recommendations(user, digest_day):
    if not user.has_perm("observance.view_recommendation"):
        return []
    recommendations = (
        Recommendation.objects.overdue(digest_day.today)
        .select_related("institution")
        .order_by("due_on", "pk")
    )
    return [
        DigestItem(
            _("%(text)s (%(institution)s), expected by %(day)s")
            % {
                "text": recommendation,
                "institution": recommendation.institution,
                "day": recommendation.due_on.strftime("%d/%m/%Y"),
            },
            recommendation.get_absolute_url(),
        )
        for recommendation in recommendations
    ]


@digest_source(gettext_lazy("Agreement work-agenda items due or overdue"))
def agenda_items_due(user, digest_day):
    if not user.has_perm("allies.view_agendaitem"):
        return []
    items = (
        AgendaItem.objects.select_related("agreement__ally")
        .filter(due_on__lte=digest_day.horizon)
        .exclude(status=AgendaItem.Status.DONE)
        .order_by("due_on", "pk")
    )
    return [
        DigestItem(
            _("%(activity)s (%(agreement)s, %(ally)s), due %(day)s")
            % {
                "activity": item.activity,
                "agreement": item.agreement,
                "ally": item.agreement.ally,
                "day": item.due_on.strftime("%d/%m/%Y"),
            },
            item.agreement.get_absolute_url(),
        )
        for item in items
    ]


def meetings_visible_to(user):
    if not user.has_perm("observance.view_meeting"):
        return Meeting.objects.none()
    return Meeting.objects.select_related("institution", "ally")


def meeting_summary(meeting):
    return _("Meeting with %(counterpart)s") % {"counterpart": meeting.institution or meeting.ally}


@digest_source(gettext_lazy("Meetings tomorrow"))
def meetings_tomorrow(user, digest_day):
    tomorrow = digest_day.today + datetime.timedelta(days=1)
    start, end = local_day_bounds(tomorrow, tomorrow)
    meetings = meetings_visible_to(user).filter(held_at__gte=start, held_at__lt=end)
    return [
        DigestItem(
            _("%(summary)s at %(time)s: %(purpose)s")
            % {
                "summary": meeting_summary(meeting),
                "time": timezone.localtime(meeting.held_at).strftime("%H:%M"),
                "purpose": meeting.purpose,
            },
            meeting.get_absolute_url(),
        )
        for meeting in meetings.order_by("held_at", "pk")
    ]


@calendar_source
def meeting_events(user, first_day, last_day):
    start, end = local_day_bounds(first_day, last_day)
    meetings = meetings_visible_to(user).filter(held_at__gte=start, held_at__lt=end)
    return [
        CalendarEvent(
            uid=f"meeting-{meeting.pk}",
            summary=meeting_summary(meeting),
            start=meeting.held_at,
            path=meeting.get_absolute_url(),
            description="\n".join(filter(None, [meeting.purpose, meeting.place, meeting.link])),
        )
        for meeting in meetings.order_by("held_at", "pk")
    ]


@calendar_source
def request_due_dates(user, first_day, last_day):
    requests = requests_visible_to(user).open().filter(due_on__gte=first_day, due_on__lte=last_day)
    return [
        CalendarEvent(
            uid=f"request-due-{request.pk}",
            summary=_("Request due: %(subject)s (%(institution)s)")
            % {"subject": request.subject, "institution": request.institution},
            start=request.due_on,
            path=request.get_absolute_url(),
        )
        for request in requests.order_by("due_on", "pk")
    ]


def observatory_commitments_visible_to(user):
    """The observatory's own pending commitments with a due date: what it must chase itself."""
    if not user.has_perm("observance.view_commitment"):
        return Commitment.objects.none()
    return (
        Commitment.objects.open()
        .filter(who=Commitment.Who.OBSERVATORY, due_on__isnull=False)
        .select_related("meeting__institution", "meeting__ally")
    )


def commitment_text(commitment, today):
    if commitment.due_on < today:
        text = _("%(text)s (meeting with %(counterpart)s), was due %(day)s")
    else:
        text = _("%(text)s (meeting with %(counterpart)s), due %(day)s")
    return text % {
        "text": commitment,
        "counterpart": commitment.counterpart,
        "day": commitment.due_on.strftime("%d/%m/%Y"),
    }


@digest_source(gettext_lazy("Commitments of the observatory due or overdue"))
def observatory_commitments_due(user, digest_day):
    commitments = observatory_commitments_visible_to(user).filter(due_on__lte=digest_day.horizon)
    return [
        DigestItem(commitment_text(commitment, digest_day.today), commitment.get_absolute_url())
        for commitment in commitments.order_by("due_on", "pk")
    ]


def escalations_visible_to(user):
    """Ladder steps awaiting an answer that have a due date, for a user who may see requests."""
    if not user.has_perm("observance.view_informationrequest"):
        return RequestEvent.objects.none()
    return RequestEvent.objects.filter(
        kind__in=RequestEvent.LADDER, outcome=EscalationOutcome.PENDING, due_on__isnull=False
    ).select_related("request__institution")


def escalation_text(event, today):
    if event.due_on < today:
        text = _("%(step)s on “%(subject)s” (%(institution)s), answer was due %(day)s")
    else:
        text = _("%(step)s on “%(subject)s” (%(institution)s), answer due %(day)s")
    return text % {
        "step": event.get_kind_display(),
        "subject": event.request.subject,
        "institution": event.request.institution,
        "day": event.due_on.strftime("%d/%m/%Y"),
    }


@digest_source(gettext_lazy("Escalations awaiting an answer"))
def escalations_due(user, digest_day):
    # Due within the user's days ahead, or gone past due since the previous digest (which told
    # about the ones before): each overdue step is told once, as requests are.
    events = (
        escalations_visible_to(user)
        .filter(due_on__gte=digest_day.since, due_on__lte=digest_day.horizon)
        .order_by("due_on", "pk")
    )
    return [
        DigestItem(escalation_text(event, digest_day.today), event.request.get_absolute_url())
        for event in events
    ]


@calendar_source
def commitment_due_dates(user, first_day, last_day):
    commitments = observatory_commitments_visible_to(user).filter(
        due_on__gte=first_day, due_on__lte=last_day
    )
    return [
        CalendarEvent(
            uid=f"commitment-due-{commitment.pk}",
            summary=_("Commitment due: %(text)s (meeting with %(counterpart)s)")
            % {"text": commitment, "counterpart": commitment.counterpart},
            start=commitment.due_on,
            path=commitment.get_absolute_url(),
            description=commitment.text,
        )
        for commitment in commitments.order_by("due_on", "pk")
    ]


@calendar_source
def escalation_due_dates(user, first_day, last_day):
    events = escalations_visible_to(user).filter(due_on__gte=first_day, due_on__lte=last_day)
    return [
        CalendarEvent(
            uid=f"escalation-due-{event.pk}",
            summary=_("Escalation answer due: %(step)s, %(subject)s (%(institution)s)")
            % {
                "step": event.get_kind_display(),
                "subject": event.request.subject,
                "institution": event.request.institution,
            },
            start=event.due_on,
            path=event.request.get_absolute_url(),
        )
        for event in events.order_by("due_on", "pk")
    ]
