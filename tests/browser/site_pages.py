"""Every page of the site, for every role that may see it: the visits of whole-site browser tests.

The list is built from the URL configuration (``get_resolver()``), so a page added to it is
visited without anyone having to remember to: a pattern this module cannot fill with a record
makes ``test_every_url_pattern_is_visited_or_excluded`` fail with its name, unless it is listed
in ``EXCLUDED`` with the reason it is not a page (POST-only, a download, a feed, JSON).

Who sees a page comes from the permission matrix (tests/permissions, the tested truth of who may
GET each URL of our namespaces) and from the roles' permissions (oppms.roles); URLs outside the
matrix say it in ``OTHER_PAGES``. The records come from the demo data (``seed_demo``), loaded
once per test module by the ``site`` fixture.

Use from a test module (tests/browser/test_accessibility.py does)::

    from tests.browser import site_pages
    from tests.browser.site_pages import page_visits, show

    _live_server_helper = site_pages._live_server_helper  # the fixtures, by name
    site = site_pages.site

    @pytest.fixture(scope="module")
    def role_page(chromium, live_server, site):
        yield from site_pages.open_role_pages(chromium, live_server, site)

    @pytest.mark.parametrize("visit", page_visits(), ids=str)
    def test_x(role_page, visit):
        page = role_page(visit.role)      # one logged-in context per role, for the module
        show(page, visit)                 # goes there (and submits the empty form, if asked)

``Visit.role`` is a demo username (``coordinacion``, ``secretaria``, ``admin``, ``consulta``) or
``None`` for an anonymous visitor.
"""

import functools
import importlib
import pkgutil
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import tests.permissions
from oppms import roles
from tests.browser.conftest import TIMEOUT_MS, log_in, record_traffic, wait_for_live_server_requests
from tests.demo_data import load_demo
from tests.permissions.matrix import PUBLIC

# Demo username -> its role (observance.demo.USERS); None is the anonymous visitor.
ROLE_GROUPS = {
    "coordinacion": roles.COORDINACION,
    "secretaria": roles.SECRETARIA,
    "admin": roles.ADMINISTRACION,
    "consulta": roles.CONSULTA,
}
STAFF_ROLES = {"admin"}  # is_staff: the only demo login that may open the admin
ANONYMOUS = None
LOGGED_IN = "logged in"  # any role: the page needs an account and no permission

# URL patterns that are not pages a person reads, with why. Keyed by URL name (or, for the
# admin's unnamed patterns, by route).
EXCLUDED = {
    "healthz": "plain-text health check for the load balancer, not a page",
    "calendar-feed": "an iCalendar feed for calendar programs",
    "set-language": "POST only: the navbar's language switch, visited on every page",
    "logout": "POST only (the navbar's button)",
    "renew-calendar-secret": "POST only",
    "protected-file": "a file download (the upload itself)",
    "institutions:institution-search": "JSON for the search boxes",
    "allies:ally-search": "JSON for the search boxes",
    "reports:report-pdf": "a PDF download",
    "reports:report-finalize": "POST only",
    "portal:publication-document": "a file download",
    "portal:report-pdf": "a PDF download",
    "admin:logout": "POST only",
    "admin:jsi18n": "JavaScript catalogue",
    "admin:autocomplete": "JSON for the admin's search boxes",
    "admin:view_on_site": "a redirect to the record's own page",
    "admin/(?P<url>.*)$": "the admin's catch-all: a redirect or a 404, visited as the 404 page",
    # Django's "<object_id>/" is a redirect to ".../change/", visited as such.
    "admin/<path:object_id>/": "a redirect to the record's change page",
    # POST only: the import form posts here to confirm what the preview showed.
    "admin:*_process_import": "POST only (django-import-export's confirmation)",
}

# Pages outside the permission matrix: URL name -> the permission a role needs to GET it
# (PUBLIC: visited anonymously; LOGGED_IN: any role). The admin's patterns are handled apart.
OTHER_PAGES = {
    "login": PUBLIC,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "password_change": LOGGED_IN,
    "password_change_done": LOGGED_IN,
    "reminder-preferences": LOGGED_IN,
    "record-history": "observance.view_meeting",
    "reports:report-list": "reports.view_semiannualreport",
    # A draft's preview is for those who write it; Consulta reads finalized reports only.
    "reports:report-detail": "reports.change_semiannualreport",
    "reports:report-edit": "reports.change_semiannualreport",
}

REPORT_PERIOD = {"year": 2021, "half": 1}


def first(model, **filters):
    record = model._default_manager.filter(**filters).order_by("pk").first()
    assert record is not None, f"the demo data has no {model._meta.label} ({filters or 'any'})"
    return record


def model_of(label):
    return apps.get_model(label)


def pk_of(label, **filters):
    return lambda: {"pk": first(model_of(label), **filters).pk}


def password_reset_kwargs():
    user = User.objects.get(username="consulta")
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


# URL name -> what fills its parameters, for the patterns whose view does not name its model.
FILLERS = {
    "institutions:contact-create": lambda: {
        "institution_pk": first(model_of("institutions.Institution")).pk
    },
    "institutions:area-create": lambda: {
        "institution_pk": first(model_of("institutions.Institution")).pk
    },
    "institutions:contact-update": pk_of("institutions.Contact"),
    "institutions:area-update": pk_of("institutions.ResponsibilityArea"),
    "allies:agendaitem-create": pk_of("allies.Agreement"),
    "observance:commitment-close": pk_of("observance.Commitment", closed_on__isnull=True),
    "record-history": lambda: {
        "app_label": "observance",
        "model_name": "meeting",
        "pk": first(model_of("observance.Meeting")).pk,
    },
    "password_reset_confirm": password_reset_kwargs,
    "admin:auth_user_password_change": lambda: {"id": User.objects.get(username="consulta").pk},
}


@dataclass(frozen=True)
class Visit:
    role: str | None
    name: str  # the URL name, or the admin route of an unnamed pattern
    variant: str = "page"  # "page", "filters" (the list's filters open), "errors" (form sent empty)
    path: str | None = None  # fixed path, for the visits that are not a pattern (403, 404)

    def __str__(self):
        variant = "" if self.variant == "page" else f" [{self.variant}]"
        return f"{self.name}{variant} as {self.role or 'anonymous'}"

    @property
    def label(self):
        return str(self)

    def url(self):
        """The path to visit: needs the database (the demo data) to fill the pattern."""
        if self.path is not None:
            return self.path
        kwargs = fill(self.name)
        if self.name.endswith("_simple_history"):  # its groups have no names
            path = reverse(self.name, args=[kwargs["object_id"], kwargs["history_id"]])
        else:
            path = reverse(self.name, kwargs=kwargs)
        if self.variant == "filters":
            return f"{path}?{first_filter(self.name)}="
        return path


@dataclass(frozen=True)
class Unfilled:
    """A pattern this module does not know how to visit: the check test fails with its name."""

    name: str
    route: str


def url_patterns(patterns=None, namespace=None, prefix=""):
    """(name, route, pattern) of every URL pattern, the admin's included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(
                pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern)
            )
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, prefix + str(pattern.pattern), pattern


def view_class(pattern):
    return getattr(pattern.callback, "view_class", None)


@functools.cache
def matrix_permissions():
    """URL name -> the permission to GET it, from the permission matrix modules."""
    found = {}
    for module_info in pkgutil.iter_modules(tests.permissions.__path__):
        if module_info.name.startswith("test_") and module_info.name.endswith("_matrix"):
            module = importlib.import_module(f"tests.permissions.{module_info.name}")
            for entry in module.MATRIX:
                found.setdefault(entry.name, entry.get)
    return found


@functools.cache
def role_permissions():
    """Demo username -> the "app.codename" permissions its role holds (from oppms.roles)."""
    pairs = set()
    for model in apps.get_models():
        opts = model._meta
        pairs |= {
            (opts.app_label, f"{action}_{opts.model_name}") for action in opts.default_permissions
        }
        pairs |= {(opts.app_label, codename) for codename, _name in opts.permissions}
    held = roles.role_permissions(pairs)
    return {
        username: {f"{app}.{codename}" for app, codename in held[group]}
        for username, group in ROLE_GROUPS.items()
    }


def roles_for(permission):
    if permission == PUBLIC:
        return [ANONYMOUS]
    if permission == LOGGED_IN:
        return list(ROLE_GROUPS)
    return [role for role, held in role_permissions().items() if permission in held]


# The admin's delete confirmation and its two history pages are one template each for every
# model, filled with the record's name and its past versions: they are visited for the meetings
# only (the changelist and the add and change forms, which differ with each model's fields and
# inlines, are visited for every model).
ADMIN_SAME_FOR_EVERY_MODEL = ("_delete", "_history", "_simple_history")
ADMIN_SAMPLE_MODEL = "admin:observance_meeting"


def excluded(name, route):
    if (
        name
        and name.startswith("admin:")
        and name.endswith(ADMIN_SAME_FOR_EVERY_MODEL)
        and not name.startswith(ADMIN_SAMPLE_MODEL + "_")
    ):
        return True
    if name in EXCLUDED or route.endswith("(?P<url>.*)$"):
        return True
    if name is None and route.startswith("admin/") and route.endswith("<path:object_id>/"):
        return True
    return bool(name and name.startswith("admin:") and name.endswith("_process_import"))


@functools.cache
def admin_models():
    """URL-name prefix ("admin:app_model_") -> the model, for every model in the admin."""
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_": model
        for model in admin.site._registry
    }


def admin_kwargs(name, pattern):
    """The record filling an admin pattern: the model's first record (its latest version)."""
    model = next(
        (model for prefix, model in admin_models().items() if name.startswith(prefix)), None
    )
    parameters = set(parameters_of(name, pattern))
    if not parameters:
        return {}
    if model is None or not parameters <= {"object_id", "history_id"}:
        return None
    record = first(model)
    kwargs = {"object_id": record.pk}
    if "history_id" in parameters:
        kwargs["history_id"] = record.history.order_by("-history_id").first().history_id
    return kwargs


def parameters_of(name, pattern):
    """The names of a pattern's parameters."""
    regex = pattern.pattern.regex
    found = list(pattern.pattern.converters) or list(regex.groupindex)
    if not found and regex.groups:
        # django-simple-history's re_path "([^/]+)/history/([^/]+)/$" names neither group.
        if name.endswith("_simple_history") and regex.groups == 2:
            return ["object_id", "history_id"]
        return [f"group {index}" for index in range(regex.groups)]
    return found


def first_filter(name):
    pattern = patterns_by_name()[name]
    return next(iter(view_class(pattern).filterset_class.base_filters))


@functools.cache
def patterns_by_name():
    return {name: pattern for name, _route, pattern in url_patterns() if name}


def fill(name):
    """The kwargs of the URL ``name``, from the demo records."""
    pattern = patterns_by_name()[name]
    parameters = parameters_of(name, pattern)
    if not parameters:
        return {}
    if name in FILLERS:
        return FILLERS[name]()
    if name.startswith("admin:"):
        if name == "admin:app_list":
            return {"app_label": "observance"}
        return admin_kwargs(name, pattern)
    if {"year", "half"} == set(parameters):
        return dict(REPORT_PERIOD)
    model = getattr(view_class(pattern), "model", None)
    if parameters == ["pk"] and model is not None:
        return {"pk": first(model).pk}
    raise LookupError(name)


def fillable(name, pattern):
    """Whether ``fill`` knows this pattern, without the database."""
    if name in FILLERS or name == "admin:app_list":
        return True
    parameters = parameters_of(name, pattern)
    if not parameters:
        return True
    if name.startswith("admin:"):
        return any(name.startswith(prefix) for prefix in admin_models()) and set(parameters) <= {
            "object_id",
            "history_id",
        }
    if set(parameters) == {"year", "half"}:
        return True
    return parameters == ["pk"] and getattr(view_class(pattern), "model", None) is not None


def is_create_form(name, pattern):
    """Our own "new record" forms: sent empty, they show every required field's error."""
    cls = view_class(pattern)
    return not name.startswith("admin:") and cls is not None and name.endswith("-create")


def visits_and_unfilled():
    visits, unfilled = [], []
    matrix = matrix_permissions()
    for name, route, pattern in url_patterns():
        if excluded(name, route):
            continue
        key = name or route
        if name and name.startswith("admin:"):
            who = sorted(STAFF_ROLES)
            if name == "admin:login":
                who = [ANONYMOUS]
        elif name in matrix:
            if matrix[name] is None:  # the URL answers POST only
                continue
            who = roles_for(matrix[name])
        elif name in OTHER_PAGES:
            who = roles_for(OTHER_PAGES[name])
        else:
            unfilled.append(Unfilled(key, route))
            continue
        if not name or not fillable(name, pattern):
            unfilled.append(Unfilled(key, route))
            continue
        cls = view_class(pattern)
        visits += [Visit(role, name) for role in who]
        # The open filters and a form's errors are the same for every role: seen by the first.
        if getattr(cls, "filterset_class", None) is not None:
            visits.append(Visit(who[0], name, "filters"))
        if is_create_form(name, pattern):
            visits.append(Visit(who[0], name, "errors"))
    # The error pages: a page the role may not see, and one that does not exist.
    visits += [
        Visit("consulta", "403", path="/reuniones/nueva/"),
        Visit("coordinacion", "404", path="/no-existe/"),
        Visit(ANONYMOUS, "404", path="/no-existe/"),
    ]
    return visits, unfilled


def page_visits():
    """Every visit: [Visit(role, name, variant)], in the URL configuration's order."""
    return visits_and_unfilled()[0]


def unfilled_patterns():
    return visits_and_unfilled()[1]


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _live_server_helper(request, live_server):
    """Replaces pytest-django's own, which makes each test transactional.

    A transactional test empties the database after itself: the demo data would be loaded
    again for each of the hundreds of visits. Here the ``site`` fixture loads it once per
    module and empties the database when the module ends, as a transactional test would.
    """
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def seed_what_the_demo_lacks():
    """One record of each model the admin lists that the demo data leaves empty."""
    import datetime

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from observance.escalation import DEFAULT_TERMS
    from observance.models import EscalationTerm, Holiday
    from oppms.models import DigestSent, ReminderPreferences
    from reports.models import SemiannualReport

    # A migration writes the ladder's terms; a module before this one may have emptied the
    # database (this fixture's own flush, or a transactional test's).
    for step, terms in DEFAULT_TERMS.items():
        EscalationTerm.objects.get_or_create(step=step, defaults=terms)
    user = User.objects.get(username="consulta")
    ReminderPreferences.objects.get_or_create(user=user)
    DigestSent.objects.create(user=user, day=datetime.date(2021, 6, 1), item_count=3)
    Holiday.objects.get_or_create(date=datetime.date(2021, 5, 24), defaults={"name": "Batalla"})
    SemiannualReport.objects.get_or_create(**REPORT_PERIOD)
    # A stranger's failed logins, from an address of the documentation range: ours still log in.
    stranger = {
        "username": "intruso",
        "ip_address": "203.0.113.9",
        "user_agent": "Mozilla/5.0",
        "path_info": "/cuentas/login/",
        "http_accept": "text/html",
    }
    AccessAttempt.objects.create(**stranger, failures_since_start=1, get_data="", post_data="")
    AccessFailureLog.objects.create(**stranger)
    AccessLog.objects.get_or_create(**stranger)


# The admin's own answer for what a role may do on each kind of admin page.
ADMIN_PERMISSION = {
    "_changelist": lambda admin_view, request, record: admin_view.has_view_or_change_permission(
        request
    ),
    "_add": lambda admin_view, request, record: admin_view.has_add_permission(request),
    "_change": lambda admin_view, request, record: admin_view.has_view_or_change_permission(
        request, record
    ),
    "_delete": lambda admin_view, request, record: admin_view.has_delete_permission(
        request, record
    ),
    "_import": lambda admin_view, request, record: admin_view.has_import_permission(request),
    "_export": lambda admin_view, request, record: admin_view.has_export_permission(request),
}


def expected_status(visit):
    """200, or 403 for an admin page the model's admin refuses to everyone (a read-only log's
    "add", the one profile's "delete"): that page is then the admin's 403 page."""
    if visit.name in ("403", "404"):
        return int(visit.name)
    if not visit.name.startswith("admin:") or visit.role is None:
        return 200
    model = next(
        (model for prefix, model in admin_models().items() if visit.name.startswith(prefix)), None
    )
    suffix = next((suffix for suffix in ADMIN_PERMISSION if visit.name.endswith(suffix)), None)
    if model is None or suffix is None:
        return 200
    from django.test import RequestFactory

    request = RequestFactory().get(visit.url())
    request.user = User.objects.get(username=visit.role)
    record = None if suffix in ("_changelist", "_add", "_import", "_export") else first(model)
    allowed = ADMIN_PERMISSION[suffix](admin.site._registry[model], request, record)
    return 200 if allowed else 403


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module; the database is emptied after it."""
    from observance.demo import DEFAULT_PASSWORD

    # The live server's threads and the tests read the database for the whole module.
    with django_db_blocker.unblock():
        load_demo()
        seed_what_the_demo_lacks()
        yield DEFAULT_PASSWORD
        wait_for_live_server_requests()
        call_command("flush", verbosity=0, interactive=False)


def open_role_pages(chromium, live_server, site, init_script=None, **context_options):
    """role -> a page in a browser context logged in as that demo user, one per role; the
    contexts close when the generator ends (a module-scoped fixture's ``yield from``).

    ``init_script``, if given, runs in every document of those contexts before its own scripts.
    """
    opened = {}

    def page_for(role):
        if role not in opened:
            context = chromium.new_context(
                locale="es-EC", base_url=live_server.url, reduced_motion="reduce", **context_options
            )
            if init_script is not None:
                context.add_init_script(script=init_script)
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            record_traffic(page)
            if role is not None:
                log_in(page, role, site)
            opened[role] = page
        return opened[role]

    yield page_for
    for page in opened.values():
        page.context.close()
    wait_for_live_server_requests()


def show(page, visit):
    """Open the visit's page; for "errors", send its form empty (the browser's own checks off)."""
    url = visit.url()
    response = page.goto(url)
    if visit.variant == "errors":
        form = page.locator("main form[method=post]").first
        form.evaluate("form => { form.noValidate = true; }")
        with page.expect_navigation():
            form.locator("[type=submit]").first.click()
        page.locator(".invalid-feedback, .errorlist, .alert-danger").first.wait_for()
    return response
