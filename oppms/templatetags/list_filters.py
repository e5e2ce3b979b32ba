"""``{{ filter|active_filter_count }}``: how many of a list's filters the request has set.

A list's filters are folded on a phone (templates/partials/list_page.html); the count in their
summary says the rows shown are not all the rows. The order (``sort``) is not counted: it hides
no row.
"""

from django import template

from oppms.sorting import SORT_PARAM

register = template.Library()


def is_set(value):
    # A date range or a multiple choice reads as a list of the values of its parts.
    if isinstance(value, list | tuple):
        return any(is_set(part) for part in value)
    return value not in (None, "")


@register.filter
def active_filter_count(filterset):
    form = filterset.form
    if not form.is_bound:
        return 0
    return sum(1 for name in form.fields if name != SORT_PARAM and is_set(form[name].data))
