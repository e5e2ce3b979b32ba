"""The deadline an institution has to answer an information request, under Ecuador's LOTAIP.

The Ley Orgánica de Transparencia y Acceso a la Información Pública gives an institution
10 days to answer a request, extendable once by 5 more days when the institution notifies the
extension to the requester. A request left unanswered past its deadline is a tacit denial.
Days are counted from the day after the request was sent. Whether they are calendar days or
business days (Monday to Friday, skipping Ecuador's holidays and those an administrator adds)
is the setting ``LOTAIP_DAY_COUNTING``.
"""

import datetime
from dataclasses import dataclass, field

import holidays as holiday_calendars
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ANSWER_DAYS = 10
EXTENSION_DAYS = 5

CALENDAR = "calendar"
BUSINESS = "business"


@dataclass(frozen=True)
class Deadline:
    """A due date with the reasons for it, in the order a person would check them."""

    due_on: datetime.date
    counting: str
    skipped: list = field(default_factory=list)  # (date, reason) pairs not counted
    extended: bool = False

    def explanation(self, sent_on):
        days = ANSWER_DAYS + (EXTENSION_DAYS if self.extended else 0)
        kind = _("business days") if self.counting == BUSINESS else _("calendar days")
        lines = [
            _("Sent on %(date)s; counting starts the next day.")
            % {"date": date_format(sent_on, "SHORT_DATE_FORMAT")},
            _("%(answer)d %(kind)s to answer under LOTAIP.")
            % {"answer": ANSWER_DAYS, "kind": kind},
        ]
        if self.extended:
            lines.append(
                _("The institution notified an extension: %(extra)d more %(kind)s.")
                % {"extra": EXTENSION_DAYS, "kind": kind}
            )
        if self.counting == BUSINESS:
            weekend = sum(1 for _day, reason in self.skipped if reason is None)
            lines.append(_("Weekend days not counted: %(count)d.") % {"count": weekend})
            for day, reason in self.skipped:
                if reason is not None:
                    lines.append(
                        _("Holiday not counted: %(date)s, %(name)s.")
                        % {"date": date_format(day, "SHORT_DATE_FORMAT"), "name": reason}
                    )
        lines.append(
            _("%(days)d days in all: due on %(date)s.")
            % {"days": days, "date": date_format(self.due_on, "SHORT_DATE_FORMAT")}
        )
        return lines


def holiday_language():
    """The ``holidays`` package's language closest to the active one.

    Left to itself the package names holidays in the server's locale (LANG), so the same
    deadline would read differently on two machines.
    """
    language = (get_language() or settings.LANGUAGE_CODE).lower()
    return "es" if language.startswith("es") else "en_US"


def holiday_names(start, end, extra_holidays=None):
    """Ecuador's national holidays between two dates, plus the extra ones given as {date: name}."""
    names = {}
    calendar = holiday_calendars.country_holidays(
        "EC", years=range(start.year, end.year + 1), language=holiday_language()
    )
    for day, name in calendar.items():
        if start <= day <= end:
            names[day] = name
    for day, name in (extra_holidays or {}).items():
        if start <= day <= end:
            names[day] = name
    return names


def deadline(sent_on, *, extended=False, counting=None, extra_holidays=None):
    """Compute the due date of a request sent on ``sent_on``.

    ``extra_holidays`` maps dates to names: the holidays an administrator added, which count
    only in business-day mode, like the national ones.
    """
    counting = counting or settings.LOTAIP_DAY_COUNTING
    days = ANSWER_DAYS + (EXTENSION_DAYS if extended else 0)
    due_on, skipped = count_days(sent_on, days, counting=counting, extra_holidays=extra_holidays)
    return Deadline(due_on, counting, skipped, extended)


def count_days(start, days, *, counting, extra_holidays=None):
    """``(last day, skipped)``: ``days`` days counted from the day after ``start``.

    In business-day mode weekends and holidays are skipped and listed as (date, reason) pairs,
    the reason None for a weekend day.
    """
    if counting == CALENDAR:
        return start + datetime.timedelta(days=days), []
    # N business days never span more than 3N calendar days plus a long holiday.
    horizon = start + datetime.timedelta(days=days * 3 + 30)
    closed = holiday_names(start, horizon, extra_holidays)
    skipped = []
    day = start
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if day.weekday() >= 5:
            skipped.append((day, None))
        elif day in closed:
            skipped.append((day, closed[day]))
        else:
            counted += 1
    return day, skipped
