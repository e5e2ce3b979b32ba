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
TEMPLATE_DEFAULTS = Context(autoescape=True)

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
# checkbox.html is ``{% include "django/forms/widgets/input.html" %}`` too.
CHECKBOX_TEMPLATE = "django/forms/widgets/checkbox.html"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def shown(value):
    """``{{ value }}``."""
    if type(value) is str:  # most names and labels: neither localised nor marked safe
        return escape(value)
    return render_value_in_context(value, TEMPLATE_DEFAULTS)


def formatted(value):
    """``{{ value|stringformat:'s' }}``: a safe value stays unescaped, as the filter keeps it."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        return ""
    return text if isinstance(value, SafeData) else escape(text)


def attrs_html(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {shown(name)}" if value is True else f' {shown(name)}="{formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(widget):
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{formatted(widget["value"])}"'
    return (
        f'<input type="{shown(widget["type"])}" name="{shown(widget["name"])}"'
        f"{value}{attrs_html(widget['attrs'])}>"
    )


def render_select(widget):
    """django/forms/widgets/select.html, its options from select_option.html."""
    parts = [f'<select name="{shown(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{shown(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{formatted(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_textarea(widget):
    """django/forms/widgets/textarea.html."""
    value = shown(widget["value"]) if widget["value"] else ""
    name = shown(widget["name"])
    return f'<textarea name="{name}"{attrs_html(widget["attrs"])}>\n{value}</textarea>'


def python_rendering(template_name, widget):
    """The function that renders ``template_name`` for this widget, or None to leave it to
    Django (a template we do not reproduce, or a select whose options use another one)."""
    if template_name in INPUT_TEMPLATES or template_name == CHECKBOX_TEMPLATE:
        return render_input
    if template_name == TEXTAREA_TEMPLATE:
        return render_textarea
    if template_name == SELECT_TEMPLATE and all(
        option["template_name"] == OPTION_TEMPLATE
        for _name, options, _index in widget["optgroups"]
        for option in options
    ):
        return render_select
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
        rendering = widget is not None and python_rendering(template_name, widget)
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


def add_classes(widget, classes):
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


def label(field, tag="label", classes="form-label", last_class=""):
    """The field's label as crispy's field.html writes it: ``for`` when the widget has an id
    to point at, ``requiredField`` and the asterisk when the field is required."""
    required = field.field.required
    target = field.id_for_label
    return format_html(
        '<{} {}class="{}{}{}">{}{}</{}>',
        tag,
        format_html('for="{}" ', target) if target else "",
        classes,
        " requiredField" if required else "",
        last_class,
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",  # nosec B308 B703
        tag,
    )


def errors_block(field):
    """bootstrap5/layout/field_errors_block.html: the field's errors, if any."""
    if not field.errors:
        return ""
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.errors.field_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1)),
        ),
    )


def help_text_block(field):
    """bootstrap5/layout/help_text.html: the help text, unescaped as crispy's ``|safe`` leaves
    it (help texts are the code's, never a user's)."""
    if not field.help_text:
        return ""
    return format_html(
        '<div {}class="form-text">{}</div>',
        format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
        mark_safe(str(field.help_text)),  # nosec B308 B703
    )


@register.filter
def filter_field(field):
    widget = field.field.widget
    if field.is_hidden:
        return render_widget(field)  # already safe
    if isinstance(widget, (CheckboxInput, CheckboxSelectMultiple, RadioSelect, FileInput)):
        # Not in any filter form; crispy's layout for these differs, so let it render them
        # (form_fields.form_field renders them as crispy does).
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    kind = "form-select" if isinstance(widget, Select) else "form-control"
    add_classes(widget, f"{kind} is-invalid" if field.errors else kind)
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}{}</div>',
        field.auto_id,
        label(field) if field.label else "",
        render_widget(field),
        errors_block(field),
        help_text_block(field),
    )
