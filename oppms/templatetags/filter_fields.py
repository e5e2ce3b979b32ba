"""The fields of a list's filter form, in the markup crispy-forms gives them, without its cost.

``{{ field|filter_field }}`` renders a filter field as ``{{ field|as_crispy_field }}`` does with
the Bootstrap 5 pack (the same wrapper, label, classes, error and help blocks, the same ids,
and the widget's own accessibility attributes from Django), for the widgets filter forms use:
text, date and select inputs. crispy-forms renders each field through a dozen nested templates;
on a list page that was about a third of the server's time.
tests/oppms/test_filter_fields.py compares the two on every list's filter form.
"""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, FileInput, RadioSelect, Select
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _add_classes(widget, classes):
    """What crispy's ``crispy_field`` does to the widget's ``class`` attribute."""
    name = widget.__class__.__name__.lower()
    current = widget.attrs.get("class", "")
    if not current:
        current = name
    elif name not in current:
        current += f" {name}"
    words = current.split()
    for word in classes.split():
        if word not in words:
            words.append(word)
    widget.attrs["class"] = " ".join(words)


@register.filter
def filter_field(field):
    widget = field.field.widget
    if field.is_hidden:
        return mark_safe(str(field))  # noqa: S308 (Django's own rendering of the widget)
    if isinstance(widget, (CheckboxInput, CheckboxSelectMultiple, RadioSelect, FileInput)):
        # Not in any filter form; crispy's layout for these differs, so let it render them.
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    kind = "form-select" if isinstance(widget, Select) else "form-control"
    _add_classes(widget, f"{kind} is-invalid" if field.errors else kind)
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label">{}</label>', field.id_for_label, field.label
        )
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308 (as crispy's |safe: our own texts)
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label,
        str(field),
        errors,
        help_text,
    )
