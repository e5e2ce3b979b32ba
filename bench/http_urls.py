"""The application's URLs plus the benchmark's bare anchor view (bench/http_pages.py).

The anchor is the floor every page is compared with: it goes through the project's whole
middleware stack with a logged-in session, runs one query of its own and renders no template.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path

from observance.models import Meeting


@login_required
def anchor(request):
    latest = Meeting.objects.order_by("-held_at").values_list("pk", flat=True).first()
    return HttpResponse(f"<!doctype html><title>anchor</title><p>{latest}</p>")


urlpatterns = [
    path("bench-anchor/", anchor, name="bench-anchor"),
    path("", include("oppms.urls")),
]
