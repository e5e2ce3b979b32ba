"""The language of the pages: Spanish unless the user asks for English with the switch.

The observatory works in Spanish, so the browser's Accept-Language is never consulted: an
English-speaking browser still gets Spanish until its user presses *English*. The choice is
kept in a cookie for this browser, in the session, and, for a logged-in user, in their account
(``ReminderPreferences.language``), which every later login brings back on any browser.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from oppms.models import ReminderPreferences

SESSION_KEY = "oppms_language"


def known(language):
    return language if language in dict(settings.LANGUAGES) else None


def session_language(request):
    session = getattr(request, "session", None)
    if session is None:
        return None
    try:
        return session.get(SESSION_KEY)
    except (OperationalError, InterfaceError):
        # The database is down: the page in the cookie's language, and the outage is answered
        # by DatabaseUnavailableMiddleware further on, with its clean 503.
        return None


def chosen_language(request):
    """The session's language (a logged-in user's), then this browser's cookie, then Spanish."""
    return (
        known(session_language(request))
        or known(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        or settings.LANGUAGE_CODE
    )


class LanguageMiddleware:
    """Django's LocaleMiddleware, without the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # A shared cache must keep one copy per language cookie, not hand English to everyone.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def _csrf_passes(request):
    return CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {}) is None


# The portal's pages render the same for everyone so that proxies may cache them: they carry no
# CSRF token, and their switch posts without one. For this browser's language that is harmless
# (it is no more than the Accept-Language header a page could not set either); the account's
# language, a stored change, is saved only from a post that passes the CSRF check.
@csrf_exempt
@require_POST
def set_language(request):
    """Django's set_language (cookie, safe ``next``), plus the session and the account."""
    response = django_set_language(request)
    language = known(request.POST.get("language"))
    if language is None:
        return response
    if request.user.is_authenticated:
        request.session[SESSION_KEY] = language
        if _csrf_passes(request):
            preferences = ReminderPreferences.of(request.user)
            preferences.language = language
            preferences.save()
    return response


@receiver(user_logged_in, dispatch_uid="oppms.language.restore")
def restore_language(sender, request, user, **kwargs):
    """Bring back the language the user chose on any browser."""
    if request is None or not hasattr(request, "session"):
        return
    language = known(
        ReminderPreferences.objects.filter(user=user).values_list("language", flat=True).first()
    )
    if language:
        request.session[SESSION_KEY] = language
