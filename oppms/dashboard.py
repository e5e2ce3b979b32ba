"""Panels that apps above observance add to its dashboard.

The dashboard belongs to observance, and observance imports no app built on it. A panel made
from another app's figures (the reports' semester trend) reaches it through this registry, as
reminders do (``oppms.reminders``): the app registers a function at ready time, and the
dashboard renders what each returns.

A panel function takes the request and returns ``None`` (nothing to show this user) or a
``Panel``: a template and its context. It must read with a fixed number of queries, and show
only what the dashboard's page may (``oppms.views.kept_page_response``): each panel is kept
apart, rendered (``oppms.views.kept_fragment``).
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string

from oppms.views import kept_fragment

_panels = []


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


def dashboard_panel(function):
    """Register ``function(request) -> Panel | None``; the order of registration is kept."""
    if function not in _panels:
        _panels.append(function)
    return function


def dashboard_panels(request):
    """The panels' HTML, each kept apart."""
    return [
        kept_fragment(
            request,
            f"panel {function.__module__}.{function.__qualname__}",
            lambda function=function: _rendered(function(request)),
        )
        for function in _panels
    ]


def _rendered(panel):
    return "" if panel is None else render_to_string(panel.template, {"panel": panel.context})
