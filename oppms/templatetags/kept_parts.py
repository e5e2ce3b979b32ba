"""``{% kept_part "name" %}…{% endkept_part %}``: the parts of base.html a kept page reuses.

base.html wraps its title, head, content and scripts blocks in it. Rendered normally, it only
renders what it wraps; while a page is being kept (oppms.views.KeptPageMixin puts a dict under
``kept_parts`` in the context), it also writes each part's HTML there, so that the next request
for the same page rebuilds it around a new frame (navbar, messages, CSRF token) without
rendering the parts again.
"""

from django import template
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from oppms.unchanged import while_unchanged

register = template.Library()


class KeptPartNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        html = self.nodelist.render(context)
        parts = context.get("kept_parts")
        if parts is not None:
            parts[self.name] = html
        return html


@register.tag
def kept_part(parser, token):
    tag, name = token.split_contents()
    if not (name[0] == name[-1] and name[0] in "'\""):
        raise template.TemplateSyntaxError(f"{tag} takes a quoted name")
    nodelist = parser.parse(("endkept_part",))
    parser.delete_first_token()
    return KeptPartNode(name[1:-1], nodelist)


class KeptRowsNode(template.Node):
    """A list's table rows, kept by the statement that selects them (oppms.unchanged).

    A list page is made again after any write that changes it, and the record count at its top
    changes with every record added or removed, on any page; its rows, often, do not (a
    meeting of 2021 logged, the newest meetings shown). The rows are rendered from the page's
    ``object_list`` (a query not yet run), the reader's permissions, the minute and the
    variables named in the tag, and from nothing else: the template sees only those. So they
    are kept under that query's SQL and those values, and made again only when the statements
    they ran return other rows.
    """

    def __init__(self, names, nodelist):
        self.names = names
        self.nodelist = nodelist

    def render(self, context):
        rows = context.get("object_list")
        user = context.get("user")
        if (
            context.get("kept_parts") is None  # the page itself is not being kept
            or not isinstance(rows, QuerySet)
            or rows._result_cache is not None  # run already: its rows are not in the key
            or user is None
        ):
            return self.nodelist.render(context)
        values = {name: context.get(name) for name in self.names}
        try:
            sql, params = rows.query.sql_with_params()
        except EmptyResultSet:  # no statement to key on (``none()``): nothing to keep
            return self.nodelist.render(context)
        key = (
            "rows",
            context.template.origin.name,
            sql,
            params,
            frozenset(user.get_all_permissions()),
            timezone.now().replace(second=0, microsecond=0),
            *values.items(),
        )
        try:
            hash(key)
        except TypeError:  # a parameter such as a JSON value: no key, no keeping
            return self.nodelist.render(context)
        shown = {"object_list": rows, "perms": context.get("perms"), **values}
        html = while_unchanged(key, lambda: str(self.nodelist.render(context.new(shown))))
        # Safe to mark: this template's own rendering, escaped by it.
        return mark_safe(html)  # noqa: S308  # nosec B308 B703


@register.tag
def kept_rows(parser, token):
    """``{% kept_rows name … %}…{% endkept_rows %}``: see KeptRowsNode."""
    names = token.split_contents()[1:]
    nodelist = parser.parse(("endkept_rows",))
    parser.delete_first_token()
    return KeptRowsNode(names, nodelist)


class _Address:
    """What a kept filter form may read of the request: its path and its query, both keys."""

    def __init__(self, request):
        self.path = request.path
        self.GET = request.GET


class KeptFiltersNode(template.Node):
    """A list's filter form, kept by what it is rendered from (oppms.unchanged).

    The form is the same for every reader of a list with the same query: its values and errors
    come from the query, its choices of records from statements, and nothing else is in the
    template's sight (the filter set and the request's path and query). A list made again after
    a write that changes its rows or its count (most writes, for the meetings list: its count)
    reuses the form until its choices change.
    """

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        filterset = context.get("filter")
        request = context.get("request")
        if context.get("kept_parts") is None or filterset is None or request is None:
            return self.nodelist.render(context)
        key = (
            "filters",
            context.template.origin.name,
            type(filterset),
            request.path,
            tuple(sorted((name, tuple(values)) for name, values in request.GET.lists())),
        )
        shown = {"filter": filterset, "request": _Address(request)}
        html = while_unchanged(key, lambda: str(self.nodelist.render(context.new(shown))))
        # Safe to mark: this template's own rendering, escaped by it.
        return mark_safe(html)  # noqa: S308  # nosec B308 B703


@register.tag
def kept_filters(parser, token):
    """``{% kept_filters %}…{% endkept_filters %}``: see KeptFiltersNode."""
    nodelist = parser.parse(("endkept_filters",))
    parser.delete_first_token()
    return KeptFiltersNode(nodelist)
