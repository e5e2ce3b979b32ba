"""Each user's own page ("Mi cuenta"): the digest on or off, its days ahead, the calendar feed.

Only the user themselves reaches their preferences, so the page needs a login and nothing more;
the calendar feed needs no login, only its secret, as calendar applications cannot log in.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oppms.models import ReminderPreferences
from oppms.reminders import absolute_url, calendar_feed


class ReminderPreferencesForm(forms.ModelForm):
    class Meta:
        model = ReminderPreferences
        fields = ["digest_enabled", "days_ahead"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser's bounds: the model field alone would give it 0 and no maximum.
        self.fields["days_ahead"].widget.attrs.update(min=1, max=ReminderPreferences.MAX_DAYS_AHEAD)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_preferences(request):
    preferences = ReminderPreferences.of(request.user)
    form = ReminderPreferencesForm(request.POST or None, instance=preferences)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences were saved."))
        return redirect("reminder-preferences")
    feed_path = reverse("calendar-feed", args=[preferences.calendar_secret])
    return render(
        request,
        "oppms/reminders/preferences.html",
        {"form": form, "preferences": preferences, "feed_url": absolute_url(feed_path)},
    )


@login_required
@require_POST
def renew_calendar_secret(request):
    ReminderPreferences.of(request.user).renew_calendar_secret()
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("reminder-preferences")


@require_GET
def calendar(request, secret):
    preferences = (
        ReminderPreferences.objects.select_related("user")
        .filter(calendar_secret=secret, user__is_active=True)
        .first()
    )
    if preferences is None:
        raise Http404
    response = HttpResponse(
        calendar_feed(preferences.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="oppms.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
