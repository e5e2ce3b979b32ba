"""Panels that apps above observance add to its dashboard.

The dashboard belongs to observance, and observance imports no app built on it. A panel made
from another app's figures (the reports' semester trend) reaches it through this registry, as
reminders do (``oppms.reminders``): the app registers a function at ready time, and the
dashboard renders what each returns.

A panel function takes the request and returns ``None`` (nothing to show this user) or a
``Panel``: a template and its context. It must read with a fixed number of queries.
"""

from dataclasses import dataclass, field

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
    return [panel for function in _panels if (panel := function(request)) is not None]
