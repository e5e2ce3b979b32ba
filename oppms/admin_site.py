"""The admin site of OPPMS: Django's, with every view refusing an unusable address with 400,
and every search finding text as the application's search does.

The admin reads ids, filters, orders and dates straight from the address, and some of its
views (and those of the libraries registered in it: simple-history, import-export, axes) put
them in a query unchecked: a year past any calendar, a related id past the column's range, a
filter the export page takes for a field. Those raised, and answered 500. Each is the visitor's
mistake, not the server's: every admin view answers it with 400 here, naming no internals.

Django's admin searches text with ``icontains``: "educacion" missed "Educación", and on SQLite
"EDUCACIÓN" missed it too. Every model admin registered here, ours and the libraries', searches
its text columns by their plain form (oppms.plain), in the list's search box and in the
searchable selects, which ask the same ``get_search_results``.
"""

import functools
import logging

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, FieldDoesNotExist, FieldError, ValidationError
from django.db import DataError, transaction
from django.db.models import CharField, TextField
from django.db.models.constants import LOOKUP_SEP

logger = logging.getLogger(__name__)

# What a value from the address raises when no query can use it: a conversion (ValueError,
# OverflowError, ValidationError), a lookup no field has (FieldError, IncorrectLookupParameters),
# a value the database refuses (DataError: out of range).
UNUSABLE_ADDRESS = (
    IncorrectLookupParameters,
    FieldError,
    ValidationError,
    ValueError,
    OverflowError,
    DataError,
)


def refusing_unusable_addresses(view):
    """``view``, answering 400 when a GET's address holds a value no query can use.

    Only reading: a form posted with bad values gets its errors from the form, and anything a
    POST raises is a fault to see as one.
    """

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        try:
            # Atomic: after a value the database refused (PostgreSQL: "abc" for an address,
            # NUL in JSON), the transaction is rolled back and the 400 page can still query.
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                # A changelist runs its query while its template renders: render it here,
                # where the error can still be answered.
                if callable(getattr(response, "render", None)) and not response.is_rendered:
                    response.render()
        except UNUSABLE_ADDRESS as error:
            logger.warning("Unusable admin address %s: %r", request.get_full_path(), error)
            raise BadRequest(str(error)) from error
        return response

    return guarded


def plain_search_field(model, name):
    """The search field ``name`` of ``model``'s admin, on its plain text where it names a text
    column as is; a name with a prefix (``^``, ``=``, ``@``) or a lookup of its own as written."""
    if name[:1] in ("^", "=", "@"):
        return name
    field = None
    for part in name.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return name
        model = field.related_model or model
    if isinstance(field, CharField | TextField):
        return f"{name}{LOOKUP_SEP}plain{LOOKUP_SEP}contains"
    return name


class PlainSearch:
    """A model admin whose search finds text by its plain form (``plain_search_field``)."""

    def get_search_fields(self, request):
        names = super().get_search_fields(request)
        return [plain_search_field(self.model, name) for name in names]


class OppmsAdminSite(AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, PlainSearch):
            admin_class = type(
                admin_class.__name__,
                (PlainSearch, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        return super().admin_view(refusing_unusable_addresses(view), cacheable)
