"""``{% sort_header "date" %}``: a list's column header that sorts by that column.

The header links to the same list, filters kept and back to page 1, sorted ascending by the
column, or descending when it already is; ``aria-sort`` tells screen readers the current order.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from oppms.sorting import SORT_PARAM

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, param):
    filterset = context.get("filter")
    sort = filterset.filters.get(SORT_PARAM) if filterset is not None else None
    if sort is None:
        raise template.TemplateSyntaxError("sort_header needs a list whose filter has `sort`.")
    label = sort.header_label(param)
    current = context["request"].GET.get(SORT_PARAM, "")
    query = context["request"].GET.copy()
    query.pop("page", None)
    if current == param:
        state, next_param, hint, arrow = "ascending", f"-{param}", _("sort descending"), "▲"
    elif current == f"-{param}":
        state, next_param, hint, arrow = "descending", param, _("sort ascending"), "▼"
    else:
        state, next_param, hint, arrow = None, param, _("sort ascending"), ""
    query[SORT_PARAM] = next_param
    return format_html(
        '<th scope="col"{}><a class="sort-link" href="?{}">{}<span class="sort-arrow" '
        'aria-hidden="true">{}</span><span class="visually-hidden"> ({})</span></a></th>',
        format_html(' aria-sort="{}"', state) if state else "",
        query.urlencode(),
        label,
        arrow,
        hint,
    )
