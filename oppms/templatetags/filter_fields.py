"""The fields of a list's filter form, in the markup crispy-forms gives them, without its cost.

``{{ field|filter_field }}`` renders a filter field as ``{{ field|as_crispy_field }}`` does with
the Bootstrap 5 pack (the same wrapper, label, classes, error and help blocks, the same ids,
and the widget's own accessibility attributes from Django), for the widgets filter forms use:
text, date and select inputs. crispy-forms renders each field through a dozen nested templates;
on a list page that was about a third of the server's time.
tests/oppms/test_filter_fields.py compares the two on every list's filter form.

The widgets themselves are rendered in Python too (``WidgetRenderer``), byte for byte as Django's
templates render them: each widget and each ``<option>`` was a template render, about a quarter
of a list page's time still. Widgets other than inputs and selects go to Django's templates.
"""

from django import template
from django.forms import CheckboxInput, CheckboxSelectMultiple, FileInput, RadioSelect, Select
from django.forms.renderers import BaseRenderer
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# What ``{{ value }}`` applies (time zone, localisation, escaping), with the settings' defaults:
# only read, never changed.
_TEMPLATE_DEFAULTS = Context(autoescape=True)

# Django's widget templates that are ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "text",
        "search",
        "number",
        "date",
        "datetime",
        "time",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "color",
    )
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _shown(value):
    """``{{ value }}``."""
    if type(value) is str:  # most names and labels: neither localised nor marked safe
        return escape(value)
    return render_value_in_context(value, _TEMPLATE_DEFAULTS)


def _formatted(value):
    """``{{ value|stringformat:'s' }}``: a safe value stays unescaped, as the filter keeps it."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _select(widget):
    """django/forms/widgets/select.html, its options from select_option.html."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _python_rendering(template_name, widget):
    """The function that renders ``template_name`` for this widget, or None to leave it to
    Django (a template we do not reproduce, or a select whose options use another one)."""
    if template_name in INPUT_TEMPLATES:
        return _input
    if template_name == SELECT_TEMPLATE and all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    ):
        return _select
    return None


class WidgetRenderer(BaseRenderer):
    """A form renderer that renders input and select widgets from their context in Python, and
    hands every other template (other widgets, the form's errors) to the form's own renderer."""

    def __init__(self, fallback):
        self.fallback = fallback
        # The form, its fields and their errors keep the templates the form's renderer names.
        self.form_template_name = fallback.form_template_name
        self.formset_template_name = fallback.formset_template_name
        self.field_template_name = fallback.field_template_name
        self.bound_field_class = fallback.bound_field_class

    def get_template(self, template_name):
        return self.fallback.get_template(template_name)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        rendering = widget is not None and _python_rendering(template_name, widget)
        if not rendering:
            return self.fallback.render(template_name, context, request=request)
        # Safe to mark: the renderings escape every value, as Django's widget templates do.
        return mark_safe(rendering(widget))  # nosec B308 B703


def render_widget(field):
    """``str(field)``: the widget with the attributes the bound field gives it (id, aria,
    required), its templates rendered by ``WidgetRenderer``."""
    form = field.form
    if not isinstance(form.renderer, WidgetRenderer):
        form.renderer = WidgetRenderer(form.renderer)
    return str(field)


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
        return render_widget(field)  # already safe
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
            field.help_text,  # plain text: crispy's |safe let through no markup of ours
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label,
        render_widget(field),
        errors,
        help_text,
    )
