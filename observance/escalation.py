"""The escalation ladder after a tacit denial, and the days each step gives for an answer.

When an institution leaves a request unanswered past its LOTAIP deadline (a tacit denial), or
refuses it or answers it only in part, the requester climbs a ladder, one step at a time:

1. an insistence, or a request to correct the answer, sent to the institution itself;
2. a complaint to the Defensoría del Pueblo, which oversees LOTAIP;
3. the judicial *acción de acceso a la información pública* (Constitution art. 91; LOGJCC).

Each step taken is an event of the request's timeline (``RequestEvent`` with a ladder kind),
with its document, its due date and its outcome. The days each step gives for an answer are
not set by law (only the first request's 10 + 5 days are): the observatory sets them in
``EscalationTerm``, one row per step, which an administrator edits in the Django admin.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oppms.models import GuardedModel

from . import lotaip


class Ladder(models.IntegerChoices):
    """The steps of the ladder, in the order they must be taken."""

    INSISTENCE = 1, _("Insistence or correction request")
    DEFENSORIA = 2, _("Complaint to the Defensoría del Pueblo")
    JUDICIAL = 3, _("Judicial action for access to public information")


class EscalationOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")
    DELIVERED = "delivered", _("Information delivered")
    PARTLY_DELIVERED = "partly_delivered", _("Partly delivered")
    REJECTED = "rejected", _("Rejected")
    NO_ANSWER = "no_answer", _("No answer")


# Outcomes after which the next step may be taken: the information is still missing.
OUTCOMES_LEADING_ON = {
    EscalationOutcome.PARTLY_DELIVERED,
    EscalationOutcome.REJECTED,
    EscalationOutcome.NO_ANSWER,
}


class EscalationTerm(GuardedModel):
    """How many days one step of the ladder gives for an answer, as the observatory sets them."""

    class Counting(models.TextChoices):
        CALENDAR = lotaip.CALENDAR, _("Calendar days")
        BUSINESS = lotaip.BUSINESS, _("Business days")

    step = models.PositiveSmallIntegerField(
        _("step"), choices=Ladder, unique=True, help_text=_("The step of the ladder.")
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        null=True,
        blank=True,
        help_text=_(
            "Days the step gives for an answer, counted from the day after it is filed. "
            "Empty: the step has no due date."
        ),
    )
    counting = models.CharField(
        _("counting"),
        max_length=20,
        choices=Counting,
        default=Counting.CALENDAR,
        help_text=_("Business days skip weekends, Ecuador's holidays and those added here."),
    )
    basis = models.TextField(
        _("basis"), blank=True, help_text=_("Where the number of days comes from.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["step"]
        verbose_name = _("escalation term")
        verbose_name_plural = _("escalation terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(step__gte=1, step__lte=3), name="observance_escalationterm_valid_step"
            ),
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(days__gte=1, days__lte=366),
                name="observance_escalationterm_days_in_range",
                violation_error_message=_("A term is from 1 to 366 days, or empty."),
            ),
        ]

    def __str__(self):
        if self.days is None:
            return _("%(step)s: no due date") % {"step": self.get_step_display()}
        return _("%(step)s: %(days)d %(counting)s") % {
            "step": self.get_step_display(),
            "days": self.days,
            "counting": self.get_counting_display().lower(),
        }

    def get_absolute_url(self):
        return "{}?{}".format(
            reverse("observance:request-list"),
            urlencode({"ladder_step": self.step}),
        )

    def due_on(self, filed_on, extra_holidays=None):
        """The day an answer to a step filed on ``filed_on`` is due; None without a term."""
        if self.days is None:
            return None
        if extra_holidays is None and self.counting == lotaip.BUSINESS:
            from .models import Holiday

            extra_holidays = dict(Holiday.objects.values_list("date", "name"))
        due_on, _skipped = lotaip.count_days(
            filed_on, self.days, counting=self.counting, extra_holidays=extra_holidays
        )
        return due_on


# The defaults the migration writes into the table (README.md, "The escalation ladder", says
# where they come from); a step whose row an administrator deleted falls back on its default.
DEFAULT_TERMS = {
    Ladder.INSISTENCE: {"days": 10, "counting": lotaip.CALENDAR},
    Ladder.DEFENSORIA: {"days": 30, "counting": lotaip.CALENDAR},
    Ladder.JUDICIAL: {"days": None, "counting": lotaip.CALENDAR},
}


def escalation_due_on(step, filed_on):
    """The due date of a step filed on ``filed_on`` under the terms table; None if no term."""
    term = EscalationTerm.objects.filter(step=step).first()
    term = term or EscalationTerm(step=step, **DEFAULT_TERMS[Ladder(step)])
    return term.due_on(filed_on)
