"""Semesters of the observatory's calendar, with their boundaries in its own time zone."""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

CODE_RE = re.compile(r"^(?P<year>\d{4})-S(?P<half>[12])$", re.IGNORECASE)

FIRST_YEAR = 2000
LAST_YEAR = 2100


def observatory_zone():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True, order=True)
class Period:
    """A semester: ``half`` 1 runs January to June, 2 July to December.

    Boundaries are midnights in the observatory's time zone (America/Guayaquil), so a meeting
    held on 30 June at 23:30 in Guayaquil belongs to the first semester even though it is
    already 1 July in UTC.
    """

    year: int
    half: int

    def __post_init__(self):
        if self.half not in (1, 2) or not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise ValueError(f"No such semester: {self.year}-S{self.half}")

    @classmethod
    def parse(cls, code):
        """``"2021-S1"`` -> Period(2021, 1); ValueError for anything else."""
        match = CODE_RE.match(code.strip())
        if not match:
            raise ValueError(f"A semester is written YYYY-S1 or YYYY-S2, not {code!r}")
        return cls(int(match["year"]), int(match["half"]))

    @property
    def code(self):
        return f"{self.year}-S{self.half}"

    @property
    def start(self):
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self):
        """The last day of the semester (inclusive)."""
        return (
            datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)
        )

    @property
    def next_start(self):
        return self.end + datetime.timedelta(days=1)

    @property
    def starts_at(self):
        return timezone.make_aware(
            datetime.datetime.combine(self.start, datetime.time.min), observatory_zone()
        )

    @property
    def ends_before(self):
        """The first instant after the semester: filter with ``__lt``."""
        return timezone.make_aware(
            datetime.datetime.combine(self.next_start, datetime.time.min), observatory_zone()
        )

    @property
    def previous(self):
        """The semester before this one, or None before the first year the app knows."""
        try:
            return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)
        except ValueError:
            return None

    @property
    def months(self):
        first = self.start.month
        return [datetime.date(self.year, month, 1) for month in range(first, first + 6)]

    @property
    def label(self):
        if self.half == 1:
            return _("January–June %(year)d") % {"year": self.year}
        return _("July–December %(year)d") % {"year": self.year}

    def cutoff(self, today=None):
        """The day the period's figures are judged on: its last day, or today if earlier."""
        return min(today or timezone.localdate(), self.end)

    def __str__(self):
        return self.code
