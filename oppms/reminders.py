"""Reminders: the morning e-mail digest and the private calendar feed, fed by "sources".

oppms knows nothing of meetings or requests: the apps above it register sources at ready time
(observance.reminders). A digest source is a function ``(user, digest_day) -> [DigestItem]``
that returns what concerns that user on that day, only what they may view; a calendar source is
a function ``(user, start, end) -> [CalendarEvent]`` for the feed's window and must read with a
fixed number of queries. A new kind of dated record (a commitment, an escalation step) joins
both with one function each.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

import icalendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oppms.models import DigestSent, ReminderPreferences

logger = logging.getLogger(__name__)

# How far the calendar feed reaches: a bounded window keeps it fast whatever the history.
CALENDAR_DAYS_BEFORE = 90
CALENDAR_DAYS_AFTER = 366


@dataclass(frozen=True)
class DigestDay:
    """The day a digest is made for, and what the user chose."""

    today: datetime.date
    since: datetime.date
    """The day of the user's previous digest (yesterday when there was none)."""
    days_ahead: int

    @property
    def horizon(self):
        return self.today + datetime.timedelta(days=self.days_ahead)


@dataclass(frozen=True)
class DigestItem:
    text: str
    path: str

    @property
    def url(self):
        return absolute_url(self.path)


@dataclass(frozen=True)
class DigestSection:
    heading: str
    items: list


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    start: datetime.datetime | datetime.date
    path: str
    description: str = ""
    duration: datetime.timedelta | None = None


@dataclass
class SourceRegistry:
    digest: list = field(default_factory=list)
    calendar: list = field(default_factory=list)


sources = SourceRegistry()


def digest_source(heading):
    """Register ``function(user, digest_day)`` as a digest section titled ``heading`` (lazy)."""

    def register(function):
        if all(registered is not function for _heading, registered in sources.digest):
            sources.digest.append((heading, function))
        return function

    return register


def calendar_source(function):
    """Register ``function(user, start, end)`` as a source of the calendar feed."""
    if function not in sources.calendar:
        sources.calendar.append(function)
    return function


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def digest_sections(user, digest_day):
    sections = []
    for heading, function in sources.digest:
        items = list(function(user, digest_day))
        if items:
            sections.append(DigestSection(str(heading), items))
    return sections


def preferences_by_user(users):
    found = ReminderPreferences.objects.filter(user__in=users).in_bulk(field_name="user_id")
    return {user.pk: found.get(user.pk) or ReminderPreferences(user=user) for user in users}


def digest_recipients():
    """Active users with an address who have not turned the digest off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(reminder_preferences__digest_enabled=False)
        .order_by("pk")
    )


def item_count(sections):
    return sum(len(section.items) for section in sections)


def digest_message(user, sections, today):
    subject = _("OPPMS: your reminders for %(day)s (%(count)d)") % {
        "day": today.strftime("%d/%m/%Y"),
        "count": item_count(sections),
    }
    body = render_to_string(
        "oppms/reminders/digest.txt",
        {
            "user": user,
            "sections": sections,
            "today": today,
            "preferences_url": absolute_url(reverse("reminder-preferences")),
        },
    )
    return EmailMessage(subject=subject, body=body, to=[user.email])


@dataclass
class DigestRun:
    sent: int = 0
    failed: list = field(default_factory=list)
    """The users whose digest the mail server refused or could not take: retried next run."""


def send_digests(today=None):
    """E-mail each recipient the day's digest once; returns what was sent and what failed.

    The row saying a user's digest went out is written in the same transaction as the sending,
    so a second run the same day (or a concurrent one, stopped by the unique constraint) sends
    nothing new, and a failed sending leaves no row and is tried again by the next run. One
    user's failure does not keep the others from getting theirs.
    """
    today = today or timezone.localdate()
    users = list(digest_recipients())
    preferences = preferences_by_user(users)
    sent_today = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    last_days = dict(
        DigestSent.objects.filter(day__lt=today)
        .order_by("user_id", "day")
        .values_list("user_id", "day")
    )
    yesterday = today - datetime.timedelta(days=1)
    run = DigestRun()
    for user in users:
        if user.pk in sent_today:
            continue
        digest_day = DigestDay(
            today=today,
            since=last_days.get(user.pk, yesterday),
            days_ahead=preferences[user.pk].days_ahead,
        )
        with translation.override(settings.LANGUAGE_CODE):
            sections = digest_sections(user, digest_day)
            if not sections:
                continue
            message = digest_message(user, sections, today)
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, day=today, item_count=item_count(sections))
                message.send()
        except IntegrityError:
            continue  # another run sent it meanwhile
        except (smtplib.SMTPException, OSError) as error:
            logger.error("Reminder digest for %s not sent: %r", user.email, error)
            run.failed.append(user)
            continue
        run.sent += 1
    return run


def calendar_window(today=None):
    today = today or timezone.localdate()
    return (
        today - datetime.timedelta(days=CALENDAR_DAYS_BEFORE),
        today + datetime.timedelta(days=CALENDAR_DAYS_AFTER),
    )


def calendar_feed(user, today=None):
    """The user's calendar as ICS bytes: every registered source's events in the window."""
    start, end = calendar_window(today)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//OPPMS//Recordatorios//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "OPPMS")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        for function in sources.calendar:
            for event in function(user, start, end):
                calendar.add_component(ics_event(event, stamp))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_event(event, stamp):
    component = icalendar.Event()
    component.add("uid", f"{event.uid}@oppms")
    component.add("dtstamp", stamp)
    component.add("summary", event.summary)
    if isinstance(event.start, datetime.datetime):
        local_start = timezone.localtime(event.start)
        component.add("dtstart", local_start)
        component.add("dtend", local_start + (event.duration or datetime.timedelta(hours=1)))
    else:
        component.add("dtstart", event.start)
        component.add("dtend", event.start + datetime.timedelta(days=1))
    url = absolute_url(event.path)
    component.add("url", url)
    component.add("description", f"{event.description}\n{url}".strip())
    return component
