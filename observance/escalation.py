"""The escalation ladder after a tacit denial, and the days each step gives for an answer.

When an institution leaves a request unanswered past its LOTAIP deadline (a tacit denial), or
refuses it or answers it only in part, the requester climbs a ladder, one step at a time:

1. an insistence, or a request to correct the answer, sent to the institution itself;
2. a complaint to the Defensoría del Pueblo, which oversees LOTAIP;
3. the judicial *acción de acceso a la información pública* (Constitution art. 91; LOGJCC).

Each step taken is an event of the request's timeline (``RequestEvent`` with a ladder kind),
with its document, its due date and its outcome. The days each step gives for an answer are
not set by law (only the first request's 10 + 5 days are): the observatory sets them in
``observance.models.EscalationTerm``, one row per step, which an administrator edits in the
Django admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

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


# The defaults the migration writes into the table (README.md, "The escalation ladder", says
# where they come from); a step whose row an administrator deleted falls back on its default.
DEFAULT_TERMS = {
    Ladder.INSISTENCE: {"days": 10, "counting": lotaip.CALENDAR},
    Ladder.DEFENSORIA: {"days": 30, "counting": lotaip.CALENDAR},
    Ladder.JUDICIAL: {"days": None, "counting": lotaip.CALENDAR},
}
