"""The admin site of OPPMS: Django's, with every view refusing an unusable address with 400.

The admin reads ids, filters, orders and dates straight from the address, and some of its
views (and those of the libraries registered in it: simple-history, import-export, axes) put
them in a query unchecked: a year past any calendar, a related id past the column's range, a
filter the export page takes for a field. Those raised, and answered 500. Each is the visitor's
mistake, not the server's: every admin view answers it with 400 here, naming no internals.
"""

import functools
import logging

from django.contrib.admin import AdminSite
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, FieldError, ValidationError
from django.db import DataError, transaction

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


class OppmsAdminSite(AdminSite):
    def admin_view(self, view, cacheable=False):
        return super().admin_view(refusing_unusable_addresses(view), cacheable)
