"""Who may see a record: the one question every page showing a record asks.

The model's view permission is the rule. A model whose records are not all alike adds its own
condition with a ``viewable_by(user)`` method (reports: a draft is for those who may work on
drafts). The record's own page, its "Historial" page and its file downloads all ask through
``may_view``, so none of them lets in someone another keeps out. oppms cannot import the apps
above it: the method on the model is how they tell it.
"""


def view_permission(model):
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def may_view(user, record):
    """Whether ``user`` may see ``record`` (a live record, or a version rebuilt from history)."""
    if user is None or not user.has_perm(view_permission(type(record))):
        return False
    viewable_by = getattr(record, "viewable_by", None)
    return viewable_by is None or viewable_by(user)
