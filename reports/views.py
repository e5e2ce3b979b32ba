"""Pages of the semiannual reports: list and semester picker, preview, narrative, PDF, finalize.

Who may do what: everyone with ``view_semiannualreport`` sees and downloads final reports;
drafts (their preview, their PDF rendered on the fly, their narrative) need
``change_semiannualreport``; finalizing needs ``finalize_semiannualreport``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from observance.models import ObservatoryProfile
from oppms.record_access import may_view
from oppms.unchanged import while_unchanged

from . import services
from .builder import meetings_read
from .forms import NarrativeForm, PeriodForm, SemesterChoiceForm
from .models import SemiannualReport
from .pdf import html_to_pdf
from .periods import Period
from .sections import narrative_missing
from .services import ReportIsFinal
from .trend import (
    cached_semester_trend,
    chart_series,
    first_semester,
    semester_of,
    semesters_between,
)

VIEW = "reports.view_semiannualreport"
CHANGE = "reports.change_semiannualreport"
FINALIZE = "reports.finalize_semiannualreport"


def _period(year, half):
    try:
        return Period(year, half)
    except ValueError:
        raise Http404 from None


def _report_or_deny(request, year, half):
    """The report of the semester; a draft only for those who may work on drafts."""
    report = services.report_for(_period(year, half))
    if not may_view(request.user, report):
        raise PermissionDenied
    return report


def _conflict(request, report, message):
    return render(
        request, "reports/report_conflict.html", {"report": report, "message": message}, status=409
    )


def semesters_to_open(user):
    """The semesters whose report ``user`` may open, newest first: every one since the
    observatory's first for those who work on drafts, the finalized ones for the others."""
    if user.has_perm(CHANGE):
        return semesters_between(first_semester(), semester_of(timezone.localdate()))[::-1]
    finals = SemiannualReport.objects.filter(status=SemiannualReport.Status.FINAL)
    return [Period(year, half) for year, half in finals.values_list("year", "half")]


@login_required
@permission_required(VIEW, raise_exception=True)
def report_list(request):
    if "semester" in request.GET:
        choice = SemesterChoiceForm(request.GET, semesters=semesters_to_open(request.user))
        if choice.is_valid():
            period = choice.cleaned_data["semester"]
            return redirect("reports:report-detail", period.year, period.half)
        messages.error(request, choice.errors["semester"][0])
    can_draft = request.user.has_perm(CHANGE)
    form = None
    if can_draft:
        form = PeriodForm(request.GET or None)
        if form.is_valid():
            return redirect(
                "reports:report-detail", form.cleaned_data["year"], form.cleaned_data["half"]
            )
    reports = SemiannualReport.objects.select_related("finalized_by")
    if not can_draft:
        reports = reports.filter(status=SemiannualReport.Status.FINAL)
    today = timezone.localdate()
    last_ended = Period(today.year - 1, 2) if today.month <= 6 else Period(today.year, 1)
    return render(
        request,
        "reports/report_list.html",
        {"form": form, "reports": reports, "can_draft": can_draft, "suggested": last_ended},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def report_detail(request, year, half):
    report = _report_or_deny(request, year, half)
    today = timezone.localdate()
    may_draft = request.user.has_perm(CHANGE)
    # The trend and the report itself are the same for everyone who may open the report (the
    # semesters offered differ only with drafting): rendered without the request and kept
    # while no record changes, so that reading a report again costs a page frame. Neither reads
    # a meeting held after the report's cut-off (the trend's semesters end by it).
    body = while_unchanged(
        ("report-preview", year, half, today, may_draft),
        lambda: _preview_body(report, today, request.user),
        within=meetings_read(report.period.cutoff(today)),
    )
    context = {
        "report": report,
        "period": report.period,
        "body": mark_safe(body),  # noqa: S308  # nosec B308 B703 - our own template's output
        "can_edit": not report.is_final and may_draft,
        "can_finalize": not report.is_final and request.user.has_perm(FINALIZE),
    }
    if not report.is_final:
        # The same check finalizing makes, shown before the button.
        context["missing"] = narrative_missing(report, _profile_to_read())
    return render(request, "reports/report_detail.html", context)


def _profile_to_read():
    """The observatory's profile, for the check above: kept while unchanged, so that a preview
    shown again reads no row but the report's. Only read, never changed (``shared``): the
    profile's form changes the row it loads itself."""
    return while_unchanged(
        ("observatory-profile",), ObservatoryProfile.load, per_language=False, shared=True
    )


def _preview_body(report, today, user):
    """The report preview's trend and body: a draft's figures are the current records' as of
    the cut-off; a final report's, those it froze."""
    if report.is_final:
        figures = report.figures
    else:
        figures = services.report_current_figures(report=report, today=today)
    context = services.report_context(report=report, figures=figures, preview=True)
    points = cached_semester_trend(period=report.period, today=today)
    context.update(
        trend_points=points,
        trend_charts=chart_series(points),
        semester_choice=SemesterChoiceForm(semesters=semesters_to_open(user)),
    )
    return render_to_string("reports/_report_preview.html", context)


@login_required
@permission_required(CHANGE, raise_exception=True)
def report_edit(request, year, half):
    report = services.report_for(_period(year, half))
    if report.is_final:
        message = _("This report is final: it can no longer be changed.")
        if request.method == "POST":
            return _conflict(request, report, message)
        messages.error(request, message)
        return redirect(report)
    form = NarrativeForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save_narrative(report=form.instance)
        except ReportIsFinal:
            return _conflict(
                request, report, _("This report is final: it can no longer be changed.")
            )
        messages.success(request, _("The report's narrative was saved."))
        return redirect(report)
    return render(request, "reports/report_form.html", {"form": form, "report": report})


# A draft is for the secretaria's eyes, and even a final one is handed out after a login: no
# proxy or shared cache may keep a copy.
@cache_control(private=True, no_store=True)
@login_required
@permission_required(VIEW, raise_exception=True)
def report_pdf(request, year, half):
    report = _report_or_deny(request, year, half)
    filename = f"informe-semestral-{report.period.code}.pdf"
    if report.is_final:
        try:
            handle = report.pdf.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type="application/pdf"
        )
    else:
        figures = services.report_current_figures(report=report)
        response = HttpResponse(
            html_to_pdf(services.report_html(report=report, figures=figures)),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@permission_required(FINALIZE, raise_exception=True)
@require_POST
def report_finalize(request, year, half):
    period = _period(year, half)
    report = services.report_for(period)
    try:
        report = services.report_finalize(period=period, user=request.user)
    except ReportIsFinal:
        return _conflict(request, report, _("This report was finalized already."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(report)
    messages.success(
        request, _("The report is final. Its PDF is stored and will no longer change.")
    )
    return redirect(report)
