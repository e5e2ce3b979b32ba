"""How the portal's answers may be cached: by anyone, since they are the same for everyone.

A portal page never shows who is asking, so a proxy may keep it and hand it to the next
visitor. The one exception is the session cookie: a logged-in user's session is renewed by a
response now and then (oppms.middleware.SessionMiddleware), and a shared cache must never keep
a response carrying someone's Set-Cookie. Whoever sends a session cookie gets the same page
marked private.
"""

import functools

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

PUBLIC_MAX_AGE = 5 * 60


def mark_shareable(request, response, etag=None):
    """Cache-Control (public unless a session rides along) and an ETag; 304 when it matches."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if etag is not None:
        response.headers["ETag"] = f'"{etag}"'
    elif not response.streaming:
        set_response_etag(response)
    if not response.has_header("ETag"):
        return response
    conditional = get_conditional_response(request, etag=response["ETag"], response=response)
    if conditional is not response:
        response.close()  # a file's handle, which the 304 that replaces it does not send
    return conditional


def shareable(view):
    """A portal page that renders the same for everyone (see mark_shareable)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        return mark_shareable(request, response)

    return wrapper
