"""The fields of the create and edit forms, in the markup crispy-forms gives them, without its cost.

``{{ field|form_field }}`` renders a bound field as ``{{ field|as_crispy_field }}`` does with the
Bootstrap 5 pack (bootstrap5/field.html and the layout templates it includes): the wrapper
``div_id_<name>`` with the field's css classes, the label with ``requiredField`` and the
asterisk (a ``<fieldset>`` and ``<legend>`` for radio buttons and checkbox lists), the widget
with ``form-control``/``form-select``/``form-check-input`` and ``is-invalid``, the error block
``<div id="id_x_error" class="invalid-feedback">`` and the help text, and the aria attributes
Django gives the widget. Each layout crispy has for the app's widgets is reproduced: inputs,
selects and textareas; a checkbox in its ``form-check``; radio buttons and checkbox lists;
file inputs with the current file and its "clear" box. ``{{ form|form_fields }}`` renders every
field so, as ``{% for field in form %}{{ field|as_crispy_field }}{% endfor %}`` did.

Crispy renders each field through a dozen nested templates, the widget through Django's
templates again: most of a form page's time. Here the wrappers are Python and the widgets go
through filter_fields.WidgetRenderer, which renders them byte for byte as Django does.
tests/oppms/test_form_fields.py compares the two on every create and edit form of the app.

Left to crispy (not in the app's forms, so not proven equal): a form with a crispy
``FormHelper`` (its layout options change the markup) and widgets that wrap others
(MultiWidget and the like, which crispy's ``crispy_field`` treats one by one).
"""

from django import forms, template
from django.templatetags.l10n import unlocalize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from oppms.templatetags.filter_fields import (
    add_classes,
    attrs_html,
    errors_block,
    help_text_block,
    label,
    render_widget,
    shown,
)

register = template.Library()


def _with_crispy(field):
    """What this module does not reproduce: crispy renders it."""
    widget = field.field.widget
    return (
        getattr(field.form, "helper", None) is not None
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
    )


def _wrapper_classes(field, base):
    css = field.css_classes()
    return f"{base} {css}" if css else base


def _checkbox(field):
    """A single checkbox: the input before its label, in a ``form-check`` within ``mb-3``."""
    add_classes(
        field.field.widget, "form-check-input is-invalid" if field.errors else "form-check-input"
    )
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="{}">{}{}{}{}</div></div>',
        field.auto_id,
        _wrapper_classes(field, "form-check"),
        render_widget(field),
        label(field, classes="form-check-label"),
        errors_block(field),
        help_text_block(field),
    )


def _choices(field):
    """bootstrap5/layout/radio_checkbox_select.html: each option an input and its label, the
    errors under the last one, then the help text."""
    invalid = " is-invalid" if field.errors else ""
    groups = list(crispy_optgroups(field))
    parts = ["<div >"]
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, 1):
            last = number == len(options) and group_number == len(groups)
            parts.append(
                '<div class="form-check">'
                f'<input type="{shown(option["type"])}" class="form-check-input{invalid}"'
                f'  name="{shown(field.html_name)}" value="{_unlocalized(option["value"])}"'
                f" {attrs_html(option['attrs'])}>"
                f'<label for="{shown(option["attrs"].get("id", ""))}" class="form-check-label">'
                f"{_unlocalized(option['label'])}</label>"
                f"{errors_block(field) if last else ''}</div>"
            )
    parts.append("</div>")
    options = mark_safe("".join(parts))  # nosec B308 B703: every value escaped above
    return format_html("{}{}", options, help_text_block(field))


def _unlocalized(value):
    """``{{ value|unlocalize }}``."""
    return conditional_escape(unlocalize(value))


def crispy_optgroups(field):
    """crispy's ``optgroups`` filter: the options with the attributes the bound field gives."""
    id_ = field.field.widget.attrs.get("id") or field.auto_id
    attrs = field.build_widget_attrs({"id": id_} if id_ else {})
    values = field.field.widget.format_value(field.value())
    return field.field.widget.optgroups(field.html_name, values, attrs)


def _file(field):
    """bootstrap5/layout/field_file.html: the current file and its "clear" box, the input, its
    errors and help text."""
    disabled = " disabled" if field.field.disabled else ""
    parts = []
    for subwidget in field.subwidgets:
        data = subwidget.data
        if data.get("is_initial"):
            clear = ""
            if not data["required"]:
                clear = format_html(
                    '<span class="align-self-center ml-2"><span class="form-check">'
                    '<input type="checkbox" name="{}" id="{}" class="form-check-input"{} >'
                    '<label class="form-check-label mb-0" for="{}">{}</label></span></span>',
                    data["checkbox_name"],
                    data["checkbox_id"],
                    disabled,
                    data["checkbox_id"],
                    data["clear_checkbox_label"],
                )
            value = field.value()
            parts.append(
                format_html(
                    '<div class="input-group mb-2"><span class="input-group-text">{}</span>'
                    '<div class="form-control d-flex h-auto">'
                    '<span class="text-break flex-grow-1"><a href="{}">{}</a></span>{}</div></div>',
                    data["initial_text"],
                    value.url,
                    value.name,
                    clear,
                )
            )
        attrs = data["attrs"]
        classes = "form-control"
        if attrs.get("class"):
            classes += f" {shown(attrs['class'])}"
        if field.errors:
            classes += " is-invalid"
        others = attrs_html({name: value for name, value in attrs.items() if name != "class"})
        parts.append(
            format_html(
                "<div{}>{}{}{}</div>",
                mark_safe(' class="is-invalid"') if field.errors else "",  # nosec B308 B703
                mark_safe(  # nosec B308 B703: every value escaped
                    f'<input type="{shown(data["type"])}" name="{shown(data["name"])}"'
                    f' class="{classes}"{disabled}{others}>'
                ),
                errors_block(field),
                help_text_block(field),
            )
        )
    return mark_safe("".join(parts))  # nosec B308 B703: built with format_html


@register.filter
def form_field(field):
    """``{{ field|as_crispy_field }}``, in Python."""
    if field.is_hidden:
        return render_widget(field)
    if _with_crispy(field):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox(field)
    if isinstance(widget, forms.RadioSelect):  # and so CheckboxSelectMultiple
        body = _choices(field)
    elif isinstance(widget, forms.FileInput):
        body = _file(field)
    else:
        kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
        add_classes(widget, f"{kind} is-invalid" if field.errors else kind)
        body = format_html(
            "{}{}{}", render_widget(field), errors_block(field), help_text_block(field)
        )
    heading = ""
    if field.label:
        if field.use_fieldset:
            heading = label(field, tag="legend", last_class=" fs-6")
            heading = format_html(
                "<fieldset{}>{}",
                format_html(' aria-describedby="{}"', field.aria_describedby)
                if field.aria_describedby
                else "",
                heading,
            )
            body = format_html("{}</fieldset>", body)
        else:
            heading = label(field)
    return format_html(
        '<div id="div_{}" class="{}">{}{}</div>',
        field.auto_id,
        _wrapper_classes(field, "mb-3"),
        heading,
        body,
    )


@register.filter
def form_fields(form):
    """Every field of ``form``, each as ``form_field`` renders it."""
    return format_html_join("", "{}", ((form_field(field),) for field in form))
