"""The method note that closes the report: for each figure, what it counts and on what base.

Kept next to the builder whose rules it states (see ``reports.builder``): a change to a rule
there is a change to its sentence here.
"""

from django.utils.translation import gettext_lazy as _

# (figure, base, what counts)
METHOD_NOTE = [
    (
        _("Institutions in the mapping"),
        _("The whole mapping (count to date)."),
        _(
            "Institutions whose mapping date is on or before the cut-off and that were active "
            "on it, with the role they had then."
        ),
    ),
    (
        _("Institutions newly mapped"),
        _("The institutions in the mapping (semester's count)."),
        _("Those of them whose mapping date falls within the semester."),
    ),
    (
        _("Linkage goal"),
        _("The institutions in the mapping on the cut-off."),
        _(
            "Those of them with at least one meeting in the semester up to the cut-off. A "
            "meeting with an institution mapped later, or inactive on the cut-off, counts as a "
            "meeting but not as linkage, so the share never exceeds 100 %."
        ),
    ),
    (
        _("Meetings"),
        _("The meetings of the semester (semester's count)."),
        _(
            "Meetings held from the semester's first day to the end of the cut-off day, in "
            "Ecuador's time; meetings with universities by the kind the ally had on the cut-off."
        ),
    ),
    (
        _("Strategic allies and universities"),
        _("Every ally (count to date)."),
        _(
            "Allies allied with the observatory by the cut-off: by their “allied since” date or, "
            "without it, recorded by then or with a meeting or a signed agreement by then; with "
            "the kind and border region they had on the cut-off."
        ),
    ),
    (
        _("Agreements and work agendas"),
        _("Every agreement (count to date)."),
        _(
            "Agreements signed on or before the cut-off that were signed, in execution or "
            "concluded on it; the agenda progress counts the activities of the agreements in "
            "execution, with the status each had on the cut-off."
        ),
    ),
    (
        _("Information requests"),
        _("The requests sent in the semester up to the cut-off (semester's count)."),
        _(
            "Each in its state on the cut-off: an answer dated after it counts as no answer "
            "(overdue if the due date had passed, open otherwise) and stays out of the average "
            "time to answer; an extension notified after it does not move the due date."
        ),
    ),
    (
        _("Evaluations, publications and recommendations"),
        _("Those of the semester (semester's count)."),
        _(
            "Records dated within the semester; recommendations with the level of their latest "
            "follow-up dated by the cut-off."
        ),
    ),
    (
        _("Observance processes"),
        _("The processes of the semester (semester's count)."),
        _("Processes started by the semester's end and not closed before its start."),
    ),
    (
        _("Change against the previous semester"),
        _("The previous semester's figure."),
        _(
            "The figure its finalized report froze, or the one its records give on its own "
            "cut-off when it was not finalized."
        ),
    ),
]

HEADLINE_LABELS = {
    "mapped": _("Institutions in the mapping"),
    "newly_mapped": _("Institutions newly mapped"),
    "met": _("Mapped institutions met"),
    "linkage": _("Linkage goal (%)"),
    "meetings": _("Meetings with institutions"),
    "academia_meetings": _("Meetings with universities"),
    # Not the sections' titles ("Strategic allies", "Information requests"): a title is found
    # by its words in the PDF, and the key figures come before the sections.
    "allies": _("Allies"),
    "universities": _("Universities"),
    "border": _("Universities in border regions"),
    "agreements": _("Agreements signed"),
    "in_execution": _("Agreements in execution"),
    "agenda_progress": _("Agenda activities done (%)"),
    "requests": _("Requests sent"),
    "requests_answered": _("Requests answered"),
    "requests_overdue": _("Requests overdue"),
}

SCOPE_LABELS = {"semester": _("Semester's count"), "to_date": _("Count to date")}
