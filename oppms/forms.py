"""Form pieces every app's forms share: browser date inputs, searchable selects and
database-constraint errors shown next to the field they are about."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.urls import reverse
from django.utils.choices import BaseChoiceIterator

# What the browser's date and datetime-local inputs send, and what they need to show a value.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
DATE_INPUT_FORMATS = [ISO_DATE, "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = [ISO_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)


# The dates a record of the observatory can carry. Beyond them lie no real events, and dates
# near the calendar's end break arithmetic (a LOTAIP deadline, the UTC time of a meeting).
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


class DayValidatorMixin:
    """Compare the day of a date or a datetime, and name the limit as a date."""

    def clean(self, value):
        return value.date() if isinstance(value, datetime.datetime) else value


class FirstDayValidator(DayValidatorMixin, MinValueValidator):
    pass


class LastDayValidator(DayValidatorMixin, MaxValueValidator):
    pass


def limit_dates(form):
    """Refuse, next to the field, dates outside FIRST_DAY..LAST_DAY in every date field."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators += [FirstDayValidator(FIRST_DAY), LastDayValidator(LAST_DAY)]


class PlausibleDatesMixin:
    """A form whose date fields take only FIRST_DAY..LAST_DAY."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_dates(self)


def use_browser_date_inputs(form):
    """Give every date and datetime field of ``form`` the browser's picker and its ISO format,
    and keep its dates within FIRST_DAY..LAST_DAY."""
    limit_dates(form)
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.widget = DateTimeInput(attrs=field.widget.attrs)
            field.input_formats = DATETIME_INPUT_FORMATS
        elif isinstance(field, forms.DateField):
            field.widget = DateInput(attrs=field.widget.attrs)
            field.input_formats = DATE_INPUT_FORMATS


def primary_keys(model, values):
    """The ``values`` that can be primary keys of ``model``, as numbers.

    What else a user may put in a form or the address ("²", "1e9", a number too large for the
    column) is left out: it names no row, and the database must not be asked about it.
    """
    pk_field = model._meta.pk
    low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
    pks = []
    for value in values:
        try:
            pk = pk_field.to_python(value)
        except ValidationError:
            continue
        if pk is not None and low <= pk <= high:
            pks.append(pk)
    return pks


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a number too large for the key column before the query that
    would fail on it (SQLite raises OverflowError for such a number in ``pk__in``)."""

    def _check_values(self, value):
        pk_field = self.queryset.model._meta.pk
        if self.to_field_name is None and isinstance(pk_field, models.IntegerField):
            low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
            for item in value:
                try:
                    pk = pk_field.to_python(item)
                except ValidationError:
                    continue  # not a number at all: Django's own check names it
                if pk is not None and not low <= pk <= high:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)


class ChosenOptions(BaseChoiceIterator):
    """The options of a searchable select: only the records already chosen, read from the
    database when the select is first rendered, not when the form is made, so that a form
    posted valid and never shown again asks nothing for them."""

    def __init__(self, form, name):
        self.form, self.name = form, name
        self.options = None

    def __iter__(self):
        if self.options is None:
            field = self.form.fields[self.name]
            value = self.form[self.name].value()
            values = value if isinstance(value, list | tuple) else [value]
            pks = primary_keys(field.queryset.model, values)
            selected = list(field.queryset.filter(pk__in=pks)) if pks else []
            options = [(obj.pk, str(obj)) for obj in selected]
            if not isinstance(field, forms.ModelMultipleChoiceField):
                options = [("", "---------"), *options]
            self.options = options
        return iter(self.options)


def make_searchable(form, name, url_name):
    """Turn a model choice field into a Tom Select box that loads its options as you type.

    The field keeps validating against its whole queryset, but the page carries only the
    options already chosen, not a select of hundreds of rows.
    """
    field = form.fields[name]
    field.widget.attrs["data-searchable"] = "1"
    field.widget.attrs["data-search-url"] = reverse(url_name)
    field.widget.choices = ChosenOptions(form, name)


class ConstraintErrorsOnFieldsMixin:
    """Show a model CheckConstraint's violation message next to the field it is about.

    Django reports constraint violations as errors of the whole form; ``constraint_fields``
    maps a constraint's name to the form field the user has to correct.
    """

    constraint_fields = {}

    def _post_clean(self):
        super()._post_clean()
        general = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if not general:
            return
        for constraint in self._meta.model._meta.constraints:
            field = self.constraint_fields.get(constraint.name)
            if field not in self.fields:
                continue
            message = str(constraint.get_violation_error_message())
            if message in general:
                general.data = [
                    error for error in general.data if message not in ValidationError(error)
                ]
                self.add_error(field, ValidationError(message, code=constraint.name))
        if not general:
            del self._errors[NON_FIELD_ERRORS]
