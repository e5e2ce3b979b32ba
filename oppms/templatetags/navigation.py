"""Which section of the navigation bar the current page belongs to."""

from django import template

register = template.Library()

# The view names (by prefix) each navigation bar section covers.
SECTIONS = {
    "dashboard": ("observance:dashboard",),
    "meetings": ("observance:meeting-", "observance:commitment-"),
    "requests": ("observance:request-",),
    "institutions": ("institutions:",),
    "allies": ("allies:",),
    "processes": (
        "observance:process-",
        "observance:policy-",
        "observance:evaluation-",
        "observance:publication-",
        "observance:recommendation-",
    ),
    "reports": ("reports:",),
    "observatory": ("observance:profile", "observance:team"),
}


@register.simple_tag(takes_context=True)
def nav_active(context, section):
    """``active`` when the page shown belongs to ``section``, for the link's class."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is not None and match.view_name.startswith(SECTIONS[section]):
        return "active"
    return ""
