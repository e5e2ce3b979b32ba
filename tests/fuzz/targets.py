"""Every form and every list of the app, found from the URL patterns, not listed by hand.

A class-based view with a form (create and update pages) and a list with a filterset are fuzzed
as soon as their URL exists. Function views hide their form inside their body: ``ACTIONS`` says
which form each POST view reads, and ``test_every_function_view_is_known`` fails, naming it,
while a function view of our namespaces is missing there.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import CreateView, FormMixin
from django_filters.views import FilterView

from observance.forms import (
    EscalationOutcomeForm,
    FollowUpForm,
    RequestEventForm,
    StepActionForm,
)
from observance.models import RequestEvent
from reports.forms import NarrativeForm, PeriodForm
from reports.services import report_for

NAMESPACES = ("institutions", "allies", "observance", "reports")
OUR_APPS = NAMESPACES
REPORT_KWARGS = {"year": 2021, "half": 1}


@dataclass(frozen=True)
class Target:
    name: str
    pattern: URLPattern = field(compare=False, repr=False)
    view_class: type | None = field(default=None, compare=False, repr=False)

    def __str__(self):
        return self.name

    @property
    def callback(self):
        return self.pattern.callback

    @property
    def kwarg_names(self):
        return [name for name in self.pattern.pattern.converters if name not in self.defaults]

    @property
    def defaults(self):
        return self.pattern.default_args


def patterns(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, entry.namespace or namespace)
        elif namespace in NAMESPACES and entry.name:
            yield Target(
                f"{namespace}:{entry.name}",
                entry,
                getattr(entry.callback, "view_class", None),
            )


def all_targets():
    return sorted(patterns(), key=str)


def form_targets():
    """Class-based create and edit pages, and the POST actions of ``ACTIONS`` with a form."""
    found = [t for t in all_targets() if t.view_class and issubclass(t.view_class, FormMixin)]
    found += [
        t
        for t in all_targets()
        if ACTIONS.get(t.name, {}).get("form") and ACTIONS[t.name].get("method") != "get"
    ]
    return found


def sweep_targets():
    """One target per form class: a create and an edit page that share a form are swept once."""
    seen, found = set(), []
    for target in form_targets():
        form_class = getattr(target.view_class, "form_class", None) or target.name
        if form_class not in seen:
            seen.add(form_class)
            found.append(target)
    return found


def list_targets():
    return [t for t in all_targets() if t.view_class and issubclass(t.view_class, FilterView)]


def search_targets():
    return [t for t in all_targets() if t.name.endswith("-search")]


def function_targets():
    return [t for t in all_targets() if t.view_class is None]


# ---------------------------------------------------------------------------------------------
# Function views: the record their ``pk`` names and the form they read from POST.


def request_event_form(world, draw, st):
    """The event form of a kind drawn at random, the kind also sent (or not, or a wrong one)."""
    kinds = [value for value in RequestEvent.Kind.values if value != RequestEvent.Kind.SENT]
    if draw is None:  # the boundary sweep: an answer, which closes the request
        return RequestEventForm(kind="answered_fully"), [("kind", "answered_fully")]
    kind = draw(st.sampled_from(kinds))
    sent_kind = draw(st.one_of(st.just([kind]), st.sampled_from([[], ["sent"], ["x"], [kind] * 2])))
    return RequestEventForm(kind=kind), [("kind", value) for value in sent_kind]


def escalation_outcome_form(world, draw, st):
    return EscalationOutcomeForm(event=world["requestevent"]), []


def step_form(world, draw, st):
    process = world["observanceprocess"]
    step = process.steps.get(step=1)
    return StepActionForm(step=step, action="start"), []


def follow_up_form(world, draw, st):
    return FollowUpForm(recommendation=world["recommendation"]), []


def narrative_form(world, draw, st):
    return NarrativeForm(instance=report_for_2021()), []


def period_form(world, draw, st):
    return PeriodForm(), []


def report_for_2021():
    from reports.periods import Period

    return report_for(Period(2021, 1))


ACTIONS = {
    "allies:agendaitem-done": {"model": "agendaitem"},
    "allies:ally-search": {"method": "get"},
    "institutions:institution-search": {"method": "get"},
    "observance:request-event": {"model": "informationrequest", "form": request_event_form},
    "observance:escalation-outcome": {
        "model": "informationrequest",
        "form": escalation_outcome_form,
    },
    "observance:process-step-start": {"model": "observanceprocess", "form": step_form},
    "observance:process-step-complete": {"model": "observanceprocess", "form": step_form},
    "observance:recommendation-follow-up": {"model": "recommendation", "form": follow_up_form},
    "reports:report-list": {"method": "get", "form": period_form},
    "reports:report-detail": {"method": "get"},
    "reports:report-pdf": {"method": "get"},
    "reports:report-edit": {"form": narrative_form},
    # Renders and stores the PDF: its own tests cover it; it reads nothing from the POST.
    "reports:report-finalize": {},
}


def model_of(target, kwarg):
    """The model a URL keyword names: ``institution_pk`` an institution, ``pk`` the view's."""
    if kwarg.endswith("_pk"):
        return kwarg[: -len("_pk")]
    if target.view_class is None:
        return ACTIONS[target.name]["model"]
    model = target.view_class.model
    if issubclass(target.view_class, CreateView):
        # A create page with a pk in its URL adds a part to a parent record: the one foreign
        # key the form does not ask for.
        asked = set(target.view_class.form_class._meta.fields)
        parents = [
            f.related_model
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.name not in asked
        ]
        (model,) = parents
    return model._meta.model_name


def url_kwargs(target, world):
    kwargs = {}
    for name in target.kwarg_names:
        if name in REPORT_KWARGS:
            kwargs[name] = REPORT_KWARGS[name]
        elif name == "step":
            kwargs[name] = 1
        else:
            kwargs[name] = world[model_of(target, name)].pk
    return kwargs


def url_of(target, world):
    return reverse(target.name, kwargs=url_kwargs(target, world))


def form_and_extra(target, world, draw, st, user):
    """The unbound form the target's POST is read by, and fixed pairs sent with it.

    ``draw`` is hypothesis's, for actions whose form depends on a drawn choice; None takes a
    fixed one."""
    action = ACTIONS.get(target.name)
    if action is not None:
        return action["form"](world, draw, st)
    view = target.view_class()
    request = RequestFactory().get("/")
    request.user = user
    view.setup(request, **url_kwargs(target, world))
    view.object = None
    if "pk" in view.kwargs and not issubclass(target.view_class, CreateView):
        view.object = view.get_object()
    elif hasattr(view, "get_object") and not issubclass(target.view_class, CreateView):
        view.object = view.get_object()  # the profile: a single record without pk
    return view.get_form(), []


def our_models():
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in our_models()}
