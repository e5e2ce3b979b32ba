"""Filters for rendering a report from its JSON figures."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.filter
def linked(value, url):
    """``value`` as a link to ``url`` in the preview; plain text when there is no URL.

    A number is marked ``data-figure``: the list the link opens counts exactly that many records
    (``tests/reports/test_figure_walk.py`` checks every one).
    """
    if not url:
        return conditional_escape(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_html(
            '<a class="figure-link" href="{}" data-figure="{}">{}</a>', url, value, value
        )
    return format_html('<a class="figure-link" href="{}">{}</a>', url, value)


@register.filter
def signed(value):
    """A change as ``+3``, ``−2`` or ``0``; a dash when there is nothing to compare with."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return "0"


@register.filter
def isodate(value):
    """An ISO date from the figures, in the short local format (dd/mm/aaaa)."""
    if not value:
        return ""
    return date_format(datetime.date.fromisoformat(str(value)[:10]), "SHORT_DATE_FORMAT")


@register.filter
def longdate(value):
    if not value:
        return ""
    return date_format(datetime.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or the key itself when the mapping does not know it."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return key
