"""Building, rendering and finalizing semiannual reports: work that spans many models."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from allies.models import Agreement, Ally
from institutions.models import Institution
from observance.escalation import EscalationOutcome, Ladder
from observance.models import (
    Evaluation,
    Meeting,
    ObservatoryProfile,
    ProcessStep,
    Publication,
    Recommendation,
    Step,
)
from oppms.unchanged import copied
from oppms.views import list_urls

from . import charts
from .builder import report_figures
from .counted import store_counted_records
from .method import HEADLINE_LABELS, METHOD_NOTE, SCOPE_LABELS
from .models import SemiannualReport
from .pdf import html_to_pdf
from .sections import NARRATIVE_MISSING, SECTIONS, narrative_missing


class ReportIsFinal(Exception):
    """The report was finalized already: it cannot change or be finalized again."""


def report_for(period):
    """The saved report of ``period``, or a new unsaved draft for it."""
    report = SemiannualReport.objects.filter(year=period.year, half=period.half).first()
    return report or SemiannualReport(year=period.year, half=period.half)


def report_current_figures(*, report, today=None):
    """The frozen figures of a final report; those of the current records otherwise."""
    if report.is_final:
        return report.figures
    return report_figures(period=report.period, today=today)


def semester_filters(period, cutoff):
    """The list filters that select a semester's records as its figures count them."""
    start, cutoff = period.start.isoformat(), str(cutoff)
    held = {"held_after": start, "held_before": cutoff}
    return {
        "held": held,
        "with_institutions": {**held, "counterpart": "institution"},
        "sent": {"sent_after": start, "sent_before": cutoff, "as_of": cutoff},
        "in_mapping": {"as_of": cutoff},
        "met": {"as_of": cutoff, "met_after": start, "met_before": cutoff},
    }


def figure_links(figures, period, enabled=True):
    """Links from each figure of the preview to the list of exactly the records it counts.

    Every list is filtered as the figure counts: within the semester up to its cut-off, and
    with the records as they stood on the cut-off (the lists' ``as_of`` and ``signed_by``
    filters). ``tests/reports/test_figure_walk.py`` follows every link and compares the list's
    count with the figure.

    Returns ``(links, figures)``: a dict of links, and a copy of the figures whose rows carry
    their own ``url``. With ``enabled`` false (the PDF) every link is None.
    """
    figures = copied(figures)
    list_url = list_urls() if enabled else lambda *args, **params: None
    start = period.start.isoformat()
    cutoff = figures["period"]["cutoff"]
    cutoff_day = datetime.date.fromisoformat(cutoff)
    filters = semester_filters(period, cutoff)
    held, with_institutions, sent, in_mapping = (
        filters[key] for key in ("held", "with_institutions", "sent", "in_mapping")
    )
    academia = {**held, "ally_kind": "academia", "as_of": cutoff}
    allies = {"as_of": cutoff}
    signed = {"signed_by": cutoff}
    end = period.end.isoformat()
    evaluated = {"evaluated_after": start, "evaluated_before": end}
    published = {"published_after": start, "published_before": end}
    proposed = {"proposed_after": start, "proposed_before": end, "as_of": cutoff}
    institutions = "institutions:institution-list"
    meetings = "observance:meeting-list"
    requests = "observance:request-list"
    evaluations = "observance:evaluation-list"
    publications = "observance:publication-list"
    recommendations = "observance:recommendation-list"
    commitments = "observance:commitment-list"
    made = {"made_after": start, "made_before": cutoff}
    links = {
        "mapped": list_url(institutions, **in_mapping),
        "newly_mapped": list_url(institutions, **in_mapping, mapped_after=start),
        "met": list_url(institutions, **filters["met"]),
        "meetings": list_url(meetings, **with_institutions),
        "all_meetings": list_url(meetings, **held),
        "virtual": list_url(meetings, **with_institutions, modality="virtual"),
        "in_person": list_url(meetings, **with_institutions, modality="in_person"),
        "cpccs": list_url(meetings, **with_institutions, cpccs=1),
        "academia_meetings": list_url(meetings, **academia),
        "academia_virtual": list_url(meetings, **academia, modality="virtual"),
        "academia_in_person": list_url(meetings, **academia, modality="in_person"),
        "universities": list_url("allies:ally-list", **allies, kind="academia"),
        "border": list_url("allies:ally-list", **allies, kind="academia", border_region="true"),
        "allies": list_url("allies:ally-list", **allies),
        "agreements": list_url("allies:agreement-list", **signed),
        "agreements_academia": list_url("allies:agreement-list", **signed, ally_kind="academia"),
        "in_execution": list_url("allies:agreement-list", **signed, status="in_execution"),
        "agenda_items": list_url("allies:agendaitem-list", as_of=cutoff),
        "agenda_done": list_url("allies:agendaitem-list", as_of=cutoff, done_as_of=cutoff),
        "requests": list_url(requests, **sent),
        "evaluations": list_url(evaluations, **evaluated),
        "publications": list_url(publications, **published),
        "recommendations": list_url(recommendations, **proposed),
        "complied": list_url(recommendations, **proposed, compliance="complied"),
        "processes": list_url(
            "observance:process-list", under_way_after=start, under_way_before=period.end
        ),
        "commitments": list_url(commitments, **made),
        "commitments_observatory": list_url(commitments, **made, who="observatory"),
        "commitments_closed": list_url(commitments, **made, as_of=cutoff, state="closed"),
        "commitments_done": list_url(
            commitments, **made, as_of=cutoff, state="closed", status="done"
        ),
        "commitments_overdue": list_url(commitments, **made, as_of=cutoff, state="overdue"),
    }
    for state in ("answered", "on_time", "late", "overdue", "open"):
        links[f"requests_{state}"] = list_url(requests, **sent, state=state)
    for row in figures["meetings"]["by_month"]:
        month = datetime.date.fromisoformat(row["month"])
        month_end = min((month + datetime.timedelta(days=31)).replace(day=1), period.next_start)
        month_held = {
            "held_after": row["month"],
            "held_before": min(month_end - datetime.timedelta(days=1), cutoff_day).isoformat(),
        }
        row["urls"] = {
            modality: list_url(meetings, **month_held, modality=modality)
            for modality in ("virtual", "in_person")
        }
    for role in figures["mapping"]["roles"]:
        role["url"] = list_url(institutions, **in_mapping, role=role["role"])
    for row in figures["institutions_met"]["rows"]:
        row["url"] = list_url(meetings, **held, institution=row["institution"])
    for kind in figures["allies"]["kinds"]:
        kind["url"] = list_url("allies:ally-list", **allies, kind=kind["kind"])
        kind["meetings_url"] = list_url(meetings, **held, ally_kind=kind["kind"], as_of=cutoff)
    for row in figures["academia"]["agreements"]["rows"]:
        row["url"] = list_url("allies:agreement-detail", row["id"])
    for row in figures["requests"]["institutions"]["rows"]:
        row["url"] = list_url(requests, **sent, institution=row["institution"])
        row["urls"] = {
            state: list_url(requests, **sent, institution=row["institution"], state=state)
            for state in ("on_time", "late", "overdue", "open")
        }
    escalated = {"escalated_after": start, "escalated_before": cutoff, "as_of": cutoff}
    for row in figures.get("escalations", {}).get("steps", []):
        row["url"] = list_url(requests, **escalated, escalation=row["step"])
        row["cells"] = [
            {
                "outcome": outcome,
                "count": count,
                "url": list_url(
                    requests, **escalated, escalation=row["step"], escalation_outcome=outcome
                ),
            }
            for outcome, count in row["outcomes"].items()
        ]
    for row in figures["academia"]["universities"]["rows"]:
        row["meetings_url"] = list_url(meetings, **held, ally=row["id"])
    for row in figures["evaluations"]["by_rating"]:
        row["url"] = list_url(evaluations, **evaluated, rating=row["rating"])
    for row in figures["publications"]["by_kind"]:
        row["url"] = list_url(publications, **published, kind=row["kind"])
    for row in figures["recommendations"]["by_compliance"]:
        row["url"] = list_url(recommendations, **proposed, compliance=row["compliance"])
    for row in figures["processes"]["rows"]:
        row["url"] = list_url("observance:process-detail", row["id"])
    for row in figures.get("headline", {}).get("rows", []):
        row["url"] = links.get(row["key"])
    return links, figures


def labels():
    """Display names of the coded values the figures hold."""
    return {
        "role": dict(Institution.Role.choices),
        "ally_kind": dict(Ally.Kind.choices),
        "agreement": dict(Agreement.Status.choices),
        "modality": dict(Meeting.Modality.choices),
        "rating": dict(Evaluation.Rating.choices),
        "publication": dict(Publication.Kind.choices),
        "compliance": dict(Recommendation.Compliance.choices),
        "step_status": dict(ProcessStep.Status.choices),
        "ladder": dict(Ladder.choices),
        "escalation_outcome": dict(EscalationOutcome.choices),
        "request_state": {
            "on_time": _("Answered on time"),
            "late": _("Answered late"),
            "overdue": _("Overdue"),
            "open": _("Open, within the deadline"),
        },
    }


def report_context(*, report, figures, preview, issued_on=None):
    names = labels()
    links, figures = figure_links(figures, report.period, enabled=preview)
    # The observatory's own wording of each step, from its profile (one line per step).
    scheme = (figures["profile"] or {}).get("observance_scheme") or []
    steps = [
        {
            "number": number,
            "label": Step(number).label,
            "description": scheme[number - 1] if number <= len(scheme) else "",
        }
        for number in figures["steps"]
    ]
    by_step = [{**row, "label": Step(row["step"]).label} for row in figures["processes"]["by_step"]]
    return {
        "report": report,
        "period": report.period,
        "figures": figures,
        "links": links,
        "labels": names,
        "method": {"note": METHOD_NOTE, "headline": HEADLINE_LABELS, "scope": SCOPE_LABELS},
        "preview": preview,
        "sections": [{"id": key, "title": title} for key, title in SECTIONS],
        "titles": dict(SECTIONS),
        "steps": steps,
        "steps_by_status": by_step,
        "charts": {
            "meetings": charts.meetings_per_month(figures["meetings"]["by_month"]),
            "requests": charts.requests_by_status(
                figures["requests"],
                {state: links[f"requests_{state}"] for state in names["request_state"]},
            ),
            "steps": charts.steps_per_process(figures["processes"]["rows"], names["step_status"]),
        },
        "has_steps_chart": bool(figures["processes"]["rows"]),
        "issued_on": issued_on or report_issued_on(report),
    }


def report_issued_on(report):
    if report.finalized_at is None:
        return None
    return timezone.localdate(report.finalized_at).isoformat()


def report_html(*, report, figures, preview=False, issued_on=None, request=None):
    """The report as a standalone HTML document, the one WeasyPrint turns into the PDF."""
    context = report_context(report=report, figures=figures, preview=preview, issued_on=issued_on)
    return render_to_string("reports/report_document.html", context, request=request)


def report_pdf(*, report, today=None):
    """The PDF of a report: exactly the stored file when final, rendered now otherwise."""
    if report.is_final:
        with report.pdf.open("rb") as handle:
            return handle.read()
    figures = report_figures(period=report.period, today=today)
    return html_to_pdf(report_html(report=report, figures=figures))


def report_save_narrative(*, report):
    """Save the narrative of a draft; a final report refuses."""
    with transaction.atomic():
        if (
            report.pk
            and (
                SemiannualReport.objects.select_for_update().filter(pk=report.pk, status="final")
            ).exists()
        ):
            raise ReportIsFinal
        report.full_clean()
        report.save()
    return report


def report_finalize(*, period, user, today=None):
    """Freeze the report of ``period``: render its PDF once and store it with its SHA-256.

    Refused while the semester runs or while a text the report needs is not written
    (``sections.narrative_missing``): the error lists each one.

    From then on the report, its figures and its file no longer change, whatever happens to
    the records of the semester; and it stores the identity of every record it counted, which
    can then be edited but never deleted nor made to stop counting (``reports.counted``).
    """
    if period.end >= (today or timezone.localdate()):
        raise ValidationError(
            _("The semester has not ended yet: its report can be finalized from %(date)s.")
            % {"date": date_format(period.next_start, "SHORT_DATE_FORMAT")},
            code="not_ended",
        )
    with transaction.atomic():
        report, _created = SemiannualReport.objects.get_or_create(
            year=period.year, half=period.half
        )
        report = SemiannualReport.objects.select_for_update().get(pk=report.pk)
        if report.is_final:
            raise ReportIsFinal
        missing = narrative_missing(report, ObservatoryProfile.load())
        if missing:
            raise ValidationError(
                [ValidationError(NARRATIVE_MISSING, code="narrative_missing")]
                + [ValidationError(item["message"], code="narrative_missing") for item in missing]
            )
        figures = report_figures(period=period, today=today)
        now = timezone.now()
        issued_on = timezone.localdate(now).isoformat()
        pdf = html_to_pdf(report_html(report=report, figures=figures, issued_on=issued_on))
        report.figures = figures
        report.sha256 = hashlib.sha256(pdf).hexdigest()
        report.pdf.save(f"{period.code}.pdf", ContentFile(pdf), save=False)
        report.status = SemiannualReport.Status.FINAL
        report.finalized_at = now
        report.finalized_by = user
        try:
            report.save()
            store_counted_records(report)
        except Exception:
            report.pdf.delete(save=False)
            raise
    return report
