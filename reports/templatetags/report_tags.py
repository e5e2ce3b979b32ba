"""Filters for rendering a report from its JSON figures."""

import datetime
import re
import unicodedata

from django import template
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import npgettext, pgettext

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


@register.filter
def with_acronym(name, acronym):
    """``name (ACRONYM)``, without doubling parentheses or repeating an acronym in the name.

    "Ministerio de Relaciones Exteriores (Cancillería)" with MREMH reads
    "Ministerio de Relaciones Exteriores (Cancillería, MREMH)".
    """
    name = (name or "").strip()
    acronym = (acronym or "").strip()
    if not acronym or re.search(rf"\b{re.escape(acronym)}\b", name):
        return name
    if name.endswith(")"):
        return f"{name[:-1]}, {acronym})"
    return f"{name} ({acronym})"


def _fill(text, **values):
    """A translated ``%(name)s`` text with its values put in, both escaped, as safe HTML."""
    # Safe to mark: the text and every value went through conditional_escape.
    return mark_safe(  # nosec B308 B703
        conditional_escape(text)
        % {name: conditional_escape(value) for name, value in values.items()}
    )


@register.simple_tag
def modalities(virtual, in_person, virtual_url=None, in_person_url=None):
    """How many meetings were virtual and how many in person, each in its grammatical number.

    "9 virtuales y 5 presenciales", "2 virtuales y 1 presencial"; when all share one modality,
    "todas virtuales" (or "virtual" for a single meeting).
    """
    if not in_person:
        return npgettext("meetings", "virtual", "all virtual", virtual)
    if not virtual:
        return npgettext("meetings", "in person", "all in person", in_person)
    return _fill(
        pgettext("meetings", "%(virtual)s and %(in_person)s"),
        virtual=_fill(
            npgettext("meetings", "%(count)s virtual", "%(count)s virtual", virtual),
            count=linked(virtual, virtual_url),
        ),
        in_person=_fill(
            npgettext("meetings", "%(count)s in person", "%(count)s in person", in_person),
            count=linked(in_person, in_person_url),
        ),
    )


@register.filter
def grouped_outcomes(outcomes):
    """The outcomes of the meetings, each line once, with the institutions that reached it.

    Meetings often record the same outcome word for word; the report states it once.
    """
    groups = {}
    for row in outcomes:
        for line in row["outcomes"].splitlines():
            text = line.strip().rstrip(".").strip()
            if not text:
                continue
            group = groups.setdefault(text.casefold(), {"text": text, "institutions": []})
            if row["institution"] not in group["institutions"]:
                group["institutions"].append(row["institution"])
    return list(groups.values())


def _sort_key(value):
    if isinstance(value, str):
        plain = unicodedata.normalize("NFKD", value.casefold())
        return (1, "".join(char for char in plain if not unicodedata.combining(char)))
    return (0, value if value is not None else 0)


@register.filter
def ordered(rows, keys):
    """``rows`` sorted by the columns a table shows, e.g. ``"-sent,acronym|name"``.

    A leading ``-`` sorts that column in descending order; ``a|b`` reads ``b`` where ``a`` is
    empty (an acronym, or the name when there is none). Text ignores case and accents.
    """
    rows = list(rows or [])
    for key in reversed(keys.split(",")):
        descending = key.startswith("-")
        names = key.lstrip("-").split("|")

        def value(row, names=names):
            shown = next((row[name] for name in names if row.get(name)), row.get(names[-1]))
            return _sort_key(shown)

        rows.sort(key=value, reverse=descending)
    return rows
