from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search over every kind of record (the navbar's), and the database side of the plain
    text rule every search uses (oppms/plain.py): PostgreSQL's extensions, the function and
    the trigram indexes, created by this app's migrations."""

    name = "search"
    verbose_name = _("Search")
