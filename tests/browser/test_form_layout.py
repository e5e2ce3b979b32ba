"""Our form fields lay out in Chromium exactly as crispy-forms' did, to the pixel.

tests/oppms/test_form_fields.py and test_filter_fields.py compare the markup ignoring whitespace;
whitespace between inline elements (a checkbox and its label, radio buttons side by side) can
still move things on the screen. Here both renderings of every create, edit and filter form are
laid out by Chromium with the site's styles, and every element's box must be the same.
"""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

from tests.oppms.test_filter_fields import FILTERSETS, forms_alike
from tests.oppms.test_form_fields import FORMS, kinds_of, make_extras, make_pair

pytestmark = pytest.mark.django_db

# Each element of the form: what it is, and its box in CSS pixels.
BOXES = """() => Array.from(document.querySelectorAll('#fields *'), element => {
    const box = element.getBoundingClientRect();
    return [element.tagName, element.id || element.getAttribute('name') || '',
            box.x, box.y, box.width, box.height].join(' ');
})"""


def styles():
    return "\n".join(
        open(finders.find(path), encoding="utf-8").read()  # noqa: PTH123, SIM115
        for path in ("vendor/bootstrap/bootstrap.min.css", "css/app.css")
    )


@pytest.fixture
def extras():
    return make_extras()


@pytest.fixture(scope="module")
def layout_page(bare_chromium):
    """One page, wide as a laptop's, laying out documents given as text (no server)."""
    context = bare_chromium.new_context(locale="es-EC", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    css = styles()

    def boxes(body):
        page.set_content(
            f'<!doctype html><html lang="es"><head><meta charset="utf-8"><style>{css}</style>'
            f'</head><body><main class="container py-3"><form id="fields" {body}</form>'
            "</main></body></html>"
        )
        return page.evaluate(BOXES)

    yield boxes
    context.close()


def assert_same_layout(layout_page, theirs, ours, opening):
    expected, got = layout_page(opening + theirs), layout_page(opening + ours)
    assert len(got) == len(expected)
    moved = [(a, b) for a, b in zip(expected, got, strict=True) if a != b]
    assert not moved, "\n".join(f"crispy: {a}\nours:   {b}" for a, b in moved[:10])


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("variant", ["unbound", "hostile", "with a file"])
def test_a_record_form_lays_out_as_crispy_laid_it_out(layout_page, form_class, variant, extras):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from oppms.templatetags.form_fields import form_field

    with translation.override(settings.LANGUAGE_CODE):
        for kind in kinds_of(form_class):
            theirs, ours = make_pair(form_class, variant, extras, kind)
            assert_same_layout(
                layout_page,
                "".join(str(as_crispy_field(field)) for field in theirs),
                "".join(str(form_field(field)) for field in ours),
                'class="record-form">',
            )


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad_values", [False, True], ids=["empty", "with errors"])
def test_a_filter_form_lays_out_as_crispy_laid_it_out(layout_page, filterset_class, bad_values):
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from oppms.templatetags.filter_fields import filter_field

    data = {name: "31/02/zz" for name in filterset_class.base_filters} if bad_values else {}
    column = '<div class="col-12 col-sm-6 col-lg-3">{}</div>'
    with translation.override(settings.LANGUAGE_CODE):
        theirs, ours = forms_alike(filterset_class, data)
        assert_same_layout(
            layout_page,
            "".join(column.format(as_crispy_field(field)) for field in theirs),
            "".join(column.format(filter_field(field)) for field in ours),
            'class="row g-2 align-items-end filter-form">',
        )
