"""Sortable lists: each list's FilterSet declares which columns sort, and the headers link them.

``sort = SortFilter(columns={"date": ("held_at", _("Date")), ...})`` adds ``?sort=date``
(ascending) and ``?sort=-date`` (descending) to a list: each column's parameter, the field it
orders by, and its name. The order is a
filter like the others, so it is kept by the pagination links, by the filter form (where it
shows as a "Sort by" select, the way in without a mouse) and by the exported files, which
read the filtered queryset. Every list ends its order with the primary key (``in_one_order``),
so rows with equal values keep one order from page to page and in the download.
"""

import django_filters
from django.db.models import OrderBy
from django.utils.translation import gettext_lazy as _

SORT_PARAM = "sort"


class SortFilter(django_filters.OrderingFilter):
    def __init__(self, *args, columns, **kwargs):
        kwargs["fields"] = {field: param for param, (field, _label) in columns.items()}
        kwargs["field_labels"] = {field: label for _param, (field, label) in columns.items()}
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.order_by(*[self.get_ordering_value(param) for param in value])

    def header_label(self, param):
        """The ascending choice's label: the column's name."""
        return dict(self.field.choices).get(param, param)

    def build_choices(self, fields, labels):
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", _("%(column)s (descending)") % {"column": label})
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


def in_one_order(queryset):
    """``queryset`` ordered as it is, then by primary key in the direction of its last key.

    Rows equal in every key of an order have none among them: PostgreSQL sorts a page (LIMIT
    25) on a bounded heap and the whole list otherwise, and the two disagree among equals, so a
    row could show on two pages, on none, or elsewhere in the download. The admin's changelist
    does the same (``ChangeList._get_deterministic_ordering``).
    """
    query = queryset.query
    ordering = list(query.order_by or (query.get_meta().ordering if query.default_ordering else []))
    pk = query.get_meta().pk
    if any(_key_name(key) in {"pk", pk.name, pk.attname} for key in ordering):
        return queryset
    last = ordering[-1] if ordering else "pk"
    descending = last.descending if isinstance(last, OrderBy) else str(last).startswith("-")
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def _key_name(key):
    return key.lstrip("-") if isinstance(key, str) else None
