"""The mapping of institutions as it stood on a given day (step 1 of the cycle).

An institution is in the mapping on a day when its ``mapped_on`` date is on or before it and it
was active then; its role, name and acronym are those it had that day (see ``oppms.asof``):
deactivating, renaming or re-classifying an institution later does not change a past
semester's mapping. The report's figures and the institution list's ``as_of`` filter both
select through this function, so a figure and its list always agree.
"""

from oppms.asof import values_on

from .models import Institution

FIELDS_THEN = ["active", "role", "name", "acronym"]


def mapped_on_day(day, queryset=None):
    """Institutions in the mapping on ``day``, annotated with ``role_then``, ``name_then``…"""
    queryset = Institution.objects.all() if queryset is None else queryset
    return (
        queryset.filter(mapped_on__lte=day)
        .annotate(**values_on(Institution, FIELDS_THEN, day))
        .filter(active_then=True)
    )
