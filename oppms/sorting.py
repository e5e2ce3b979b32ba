"""Sortable lists: each list's FilterSet declares which columns sort, and the headers link them.

``sort = SortFilter(columns={"date": ("held_at", _("Date")), ...})`` adds ``?sort=date``
(ascending) and ``?sort=-date`` (descending) to a list: each column's parameter, the field it
orders by, and its name. The order is a
filter like the others, so it is kept by the pagination links, by the filter form (where it
shows as a "Sort by" select, the way in without a mouse) and by the exported files, which
read the filtered queryset. The primary key follows as a second key in the same direction, so
rows with equal values keep one order from page to page.
"""

import django_filters
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
        ordering = [self.get_ordering_value(param) for param in value]
        last = ordering[-1]
        ordering.append("-pk" if last.startswith("-") else "pk")
        return queryset.order_by(*ordering)

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
