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


def section_of(request):
    """The section the page ``request`` asks for belongs to, or None."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    for section, view_names in SECTIONS.items():
        if match.view_name.startswith(view_names):
            return section
    return None


@register.simple_tag(takes_context=True)
def nav_active(context, section):
    """``active`` when the page shown belongs to ``section``, for the link's class: the
    navigation bar is given its page's section (oppms.templatetags.frame_parts)."""
    return "active" if context.get("nav_section") == section else ""
