"""The public portal (step 6 of the cycle): what the observatory has made public, nothing else.

No page here needs a login or touches the session, and each shows the same to everyone, so
proxies may cache it (portal.caching). Only records marked public are read: publications with
is_public, final semiannual reports, recommendations with is_public.
"""

import mimetypes

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from observance.models import ObservatoryProfile, Publication, Recommendation, TeamMember
from reports.models import SemiannualReport

from .caching import mark_shareable, shareable
from .verification import Sha256UploadHandler, VerifyReportForm

PUBLICATIONS_PER_PAGE = 25
Compliance = Recommendation.Compliance
# How the public table groups compliance: "in progress" is still pending for the public.
COMPLIANCE_COLUMNS = {
    "complied": Q(compliance=Compliance.COMPLIED),
    "partly_complied": Q(compliance=Compliance.PARTLY_COMPLIED),
    "not_complied": Q(compliance=Compliance.NOT_COMPLIED),
    "pending": Q(compliance__in=[Compliance.PENDING, Compliance.IN_PROGRESS]),
}


def final_reports():
    return SemiannualReport.objects.filter(status=SemiannualReport.Status.FINAL).only(
        "year", "half", "finalized_at", "sha256", "pdf"
    )


@require_safe
@shareable
def home(request):
    today = timezone.localdate()
    team = TeamMember.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today)).only(
        "name", "role_title"
    )
    context = {"profile": ObservatoryProfile.load(), "team": team}
    return render(request, "portal/home.html", context)


@require_safe
@shareable
def results(request):
    publications = Publication.objects.filter(is_public=True).prefetch_related("institutions")
    page = Paginator(publications, PUBLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/results.html", {"page_obj": page})


@require_safe
def publication_document(request, pk):
    publication = get_object_or_404(Publication, pk=pk, is_public=True)
    if not publication.document:
        raise Http404
    try:
        handle = publication.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = publication.document.name
    extension = name[name.rfind(".") :] if "." in name else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"publicacion-{publication.pk}{extension}",
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
    )
    return mark_shareable(request, response)


@require_safe
@shareable
def reports(request):
    return render(request, "portal/reports.html", {"reports": final_reports()})


@require_safe
def report_pdf(request, year, half):
    report = get_object_or_404(final_reports(), year=year, half=half)
    try:
        handle = report.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"informe-semestral-{report.period.code}.pdf",
        content_type="application/pdf",
    )
    # The file never changes once final: its fingerprint is the best validator there is.
    return mark_shareable(request, response, etag=report.sha256)


# The upload handler must be in place before anything reads the body, and CSRF's check reads
# it: the check is therefore made inside, once the handler is set (Django's documented way).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    if request.method == "POST":
        request.upload_handlers = [Sha256UploadHandler(request)]
    return verify_with_csrf(request)


@csrf_protect
def verify_with_csrf(request):
    context = {}
    if request.method == "POST":
        form = VerifyReportForm(request.POST, request.FILES)
        if form.is_valid():
            context.update(checked=form.fingerprint(), report=form.issued_report())
            form = VerifyReportForm()
    else:
        form = VerifyReportForm()
    context["form"] = form
    return render(request, "portal/verify.html", context)


@require_safe
@shareable
def recommendations(request):
    counts = {name: Count("pk", filter=condition) for name, condition in COMPLIANCE_COLUMNS.items()}
    rows = list(
        Recommendation.objects.filter(is_public=True)
        .values("institution__name", "institution__acronym")
        .annotate(proposed=Count("pk"), **counts)
        .order_by("institution__name")
    )
    totals = {name: sum(row[name] for row in rows) for name in ["proposed", *COMPLIANCE_COLUMNS]}
    return render(request, "portal/recommendations.html", {"rows": rows, "totals": totals})
