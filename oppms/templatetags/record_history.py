from django import template

from oppms.history import history_url

register = template.Library()


@register.simple_tag(takes_context=True)
def record_history_url(context, record):
    """The record's "Historial" URL, for users who may see the record; "" otherwise."""
    url = history_url(record)
    if url is None:
        return ""
    opts = record._meta
    user = context.get("user")
    if user is None or not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return ""
    return url
