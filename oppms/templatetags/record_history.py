from django import template

from oppms.history import history_url
from oppms.record_access import may_view

register = template.Library()


@register.simple_tag(takes_context=True)
def record_history_url(context, record):
    """The record's "Historial" URL, for users who may see the record; "" otherwise."""
    url = history_url(record)
    if url is None:
        return ""
    if not may_view(context.get("user"), record):
        return ""
    return url
