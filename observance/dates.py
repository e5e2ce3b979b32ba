"""Plausible dates: the one place that says which dates a record of the observatory can carry.

Nothing the observatory did is dated before it existed: the lower limit is the constitution
date of its profile (``ObservatoryProfile.constituted_on``) or, while the profile has none, the
``EARLIEST_RECORD_DATE`` setting. What records something that has happened (a request sent, an
answer, an evaluation...) is not dated after today; a meeting may be planned up to two years
ahead. Days are Guayaquil's (``TIME_ZONE``): a meeting at 23:30 on the 18th is on the 18th, even
though it is already the 19th in UTC.

The rules are checked wherever a record is validated (model forms, the admin's forms, inlines
and reverts, spreadsheet imports): ``date_refusals`` is registered as a change guard
(``oppms.protection``) from ``ObservanceConfig.ready``, which is how ``institutions`` and
``allies`` get the rule without importing ``observance``. Plain forms whose dates end up in
these fields (a request's events, a step's start or completion) ask ``date_refusal``
themselves. Saves made by code (the demo data, services) are not checked, as Django validates
nothing on ``save()``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allies.models import Agreement, Ally
from institutions.models import Institution

from .models import (
    Evaluation,
    FollowUp,
    InformationRequest,
    Meeting,
    ObservanceProcess,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    Recommendation,
    RequestEvent,
)

# How far ahead a date may lie.
TODAY = "today"
TWO_YEARS = "two_years"

# {model: {field: (after the constitution?, upper limit)}}. Dates that look ahead by nature
# (a recommendation's or an agenda item's expected date, an agreement's end, a team member's
# leaving) and the holiday table have no rule here beyond oppms.forms' 1900-2100.
RULES = {
    Meeting: {"held_at": (True, TWO_YEARS)},
    InformationRequest: {
        "sent_on": (True, TODAY),
        "extension_notified_on": (True, TODAY),
        "answered_on": (True, TODAY),
    },
    RequestEvent: {"occurred_on": (True, TODAY)},
    ObservanceProcess: {"started_on": (True, TODAY), "closed_on": (True, TODAY)},
    ProcessStep: {"started_on": (True, TODAY), "completed_on": (True, TODAY)},
    Evaluation: {"evaluated_on": (True, TODAY)},
    Publication: {"published_on": (True, TODAY)},
    Recommendation: {"proposed_on": (True, TODAY)},
    FollowUp: {"checked_on": (True, TODAY)},
    Institution: {"mapped_on": (True, TODAY)},
    Ally: {"allied_on": (True, TODAY)},
    Agreement: {"signed_on": (True, TODAY)},
    ObservatoryProfile: {"constituted_on": (False, TODAY)},
}

BEFORE_CONSTITUTION = _("The date cannot precede the observatory's constitution (%(limit)s).")
BEFORE_EARLIEST = _(
    "The date cannot precede %(limit)s; the observatory's constitution date is not recorded "
    "in its profile."
)
AFTER_TODAY = _("The date cannot be later than today (%(limit)s).")
TOO_FAR_AHEAD = _("The date cannot be more than two years ahead (later than %(limit)s).")


def shown(day):
    return day.strftime("%d/%m/%Y")


def local_day(value):
    """The day of a date, or of a datetime in the observatory's time zone."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            try:
                value = timezone.localtime(value)
            except OverflowError:  # within hours of year 1 or 9999: far outside any limit
                pass
        return value.date()
    return value


def two_years_after(day):
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def earliest_day():
    """(the first day a record can carry, whether it is the constitution's)."""
    constituted_on = (
        ObservatoryProfile.objects.filter(pk=1).values_list("constituted_on", flat=True).first()
    )
    if constituted_on is not None:
        return constituted_on, True
    return settings.EARLIEST_RECORD_DATE, False


def date_refusal(model, field, value, earliest=earliest_day):
    """The ValidationError that refuses ``value`` in ``model.field``, or None.

    ``earliest`` gives (the first day, whether it is the constitution's); it reads the profile
    only when the lower limit matters.
    """
    rule = RULES.get(model, {}).get(field)
    if rule is None or not isinstance(value, datetime.date):
        return None
    after_constitution, upper = rule
    day = local_day(value)
    today = timezone.localdate()
    latest = two_years_after(today) if upper == TWO_YEARS else today
    if day > latest:
        message, code = (
            (TOO_FAR_AHEAD, "too_far_ahead") if upper == TWO_YEARS else (AFTER_TODAY, "after_today")
        )
        return ValidationError(message, code=code, params={"limit": shown(latest)})
    if after_constitution:
        first_day, is_constitution = earliest()
        if day < first_day:
            message, code = (
                (BEFORE_CONSTITUTION, "before_constitution")
                if is_constitution
                else (BEFORE_EARLIEST, "before_earliest")
            )
            return ValidationError(message, code=code, params={"limit": shown(first_day)})
    return None


def date_refusals(record):
    """``{field: [ValidationError]}`` for the implausible dates ``record`` holds."""
    model = record._meta.concrete_model
    found = []

    def earliest():
        # The profile is read once per record, however many of its dates are checked.
        if not found:
            found.append(earliest_day())
        return found[0]

    refused = {}
    for field in RULES.get(model, {}):
        refusal = date_refusal(model, field, getattr(record, field), earliest)
        if refusal is not None:
            refused[field] = [refusal]
    return refused


def no_update_check(queryset, values):
    """A queryset's ``update()`` is not validated, as Django validates no ``save()``."""
    return None
