"""``{% frame_part "partials/navbar.html" %}``: the parts of every page's frame that show only who
reads it and where, rendered once per reader and section instead of on every request.

The navigation bar and the language switch were a third of the time of a kept page (a kept page
is its frame and little else). They are rendered from ``frame_inputs`` alone: the reader's name,
role flags and permissions, the page's section, the language and the script prefix. The
template is given those and nothing else, neither the request nor the user, so the same inputs
give the same HTML, and each process keeps it under them (``functools.lru_cache``). The reader's
CSRF token and the page's address go in afterwards, in place of marks. Under DEBUG every request
renders, as templates change while developing.
"""

import functools
import secrets
from typing import NamedTuple

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from oppms.templatetags.navigation import section_of

register = template.Library()

# Random, so that no name a user types can hold one.
_MARK = secrets.token_hex(16)
CSRF_TOKEN_MARK = f"frame-csrf-{_MARK}"
PATH_MARK = f"frame-path-{_MARK}"


class Reader(NamedTuple):
    """What a frame part may show of its reader."""

    is_authenticated: bool
    is_staff: bool
    is_superuser: bool
    username: str
    first_name: str


class Permissions:
    """``perms.app.codename`` in a template, as Django's PermWrapper, from a set of permissions."""

    def __init__(self, codes):
        self.codes = codes

    def __getitem__(self, app_label):
        return AppPermissions(self.codes, app_label)


class AppPermissions:
    def __init__(self, codes, app_label):
        self.codes = codes
        self.app_label = app_label

    def __getitem__(self, codename):
        return f"{self.app_label}.{codename}" in self.codes

    def __bool__(self):
        return any(code.startswith(f"{self.app_label}.") for code in self.codes)


class Page(NamedTuple):
    """``request.get_full_path`` in a template: the mark the page's address replaces."""

    get_full_path: str


def frame_inputs(request):
    # A request refused before the user is read (a Host the site does not serve) is anyone's.
    user = getattr(request, "user", None) or AnonymousUser()
    reader = Reader(
        user.is_authenticated,
        user.is_staff,
        user.is_superuser,
        user.get_username(),
        getattr(user, "first_name", ""),
    )
    permissions = frozenset(user.get_all_permissions()) if user.is_authenticated else frozenset()
    return (
        reader,
        permissions,
        section_of(request),
        translation.get_language(),
        get_script_prefix(),
    )


@functools.lru_cache(maxsize=256)
def rendered(template_name, with_token, reader, permissions, section, language, _script_prefix):
    """The part as ``template_name`` renders it from these inputs (and the prefix its links
    are reversed with), with marks for the CSRF token and the page's address."""
    context = {
        "user": reader,
        "perms": Permissions(permissions),
        "nav_section": section,
        "csrf_token": CSRF_TOKEN_MARK,
        "request": Page(PATH_MARK),
        "with_token": with_token,
    }
    with translation.override(language):
        return get_template(template_name).render(context)


@register.simple_tag(takes_context=True)
def frame_part(context, template_name, with_token=True):
    request = context.get("request")
    if request is None:  # a page rendered outside a request: the template as it is
        return get_template(template_name).render(context.flatten())
    render = rendered.__wrapped__ if settings.DEBUG else rendered
    html = render(template_name, with_token, *frame_inputs(request))
    if CSRF_TOKEN_MARK in html:
        html = html.replace(CSRF_TOKEN_MARK, get_token(request))
    # Safe: the template's own output, with the address escaped as the template would have.
    return mark_safe(html.replace(PATH_MARK, escape(request.get_full_path())))  # noqa: S308  # nosec B308 B703
