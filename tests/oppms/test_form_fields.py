"""Every create and edit form renders as crispy-forms rendered it (oppms.templatetags.form_fields):
the same wrapper, label, asterisk, classes, ids, aria attributes, error and help blocks, for
every layout (inputs, selects, textareas, checkboxes, radio buttons, checkbox lists, files),
unbound, with errors, with initial values and with hostile values."""

import datetime

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.html import parse_html
from django.utils import timezone, translation

from observance.models import RequestEvent
from oppms.templatetags import form_fields as form_fields_module
from oppms.templatetags.form_fields import form_field, form_fields
from oppms.views import RecordFormMixin
from tests.browser import site_pages
from tests.classes import classes_defined_in

pytestmark = pytest.mark.django_db

MODULES = [
    "observance.forms",
    "institutions.forms",
    "allies.forms",
    "oppms.preferences",
    "portal.verification",
    "search.forms",
]
HOSTILE = '"\'><script>alert("Ñandú & l\'Oeste")</script> áéíóú'


def discovered_forms():
    return [
        form_class
        for form_class in classes_defined_in(MODULES, forms.BaseForm)
        if not getattr(getattr(form_class, "_meta", None), "abstract", False)
    ]


FORMS = discovered_forms()


def form_views():
    """The create and edit views of the URL conf, and the form classes they name."""
    views = (site_pages.view_class(pattern) for _name, _route, pattern in site_pages.url_patterns())
    return [view for view in views if view and issubclass(view, RecordFormMixin)]


def test_every_create_and_edit_page_form_is_compared():
    views = form_views()
    assert len(views) >= 20
    for view_class in views:  # the meeting's edit page picks its form (see below)
        if view_class.__name__ != "MeetingUpdateView":
            assert view_class.form_class in FORMS, view_class.__name__
    from observance.forms import MeetingMinutesForm  # the secretaria's edit page

    assert MeetingMinutesForm in FORMS


@pytest.fixture
def extras():
    return make_extras()


def make_extras():
    """What some forms need to be made: a commitment, a recommendation."""
    from observance.models import Commitment
    from tests.observance.page_data import days_ago, make_meeting_at, make_recommendation

    meeting = make_meeting_at(timezone.now() - datetime.timedelta(days=3), purpose=HOSTILE)
    return {
        "recommendation": make_recommendation(text=HOSTILE),
        "commitment": Commitment.objects.create(meeting=meeting, text=HOSTILE, due_on=days_ago(1)),
    }


def kwargs_for(form_class, extras, kind):
    name = form_class.__name__
    if name == "CommitmentCloseForm":
        return {"instance": extras["commitment"]}
    if name == "RequestEventForm":
        return {"kind": kind}
    if name == "EscalationOutcomeForm":
        return {"event": None}
    if name == "FollowUpForm":
        return {"recommendation": extras["recommendation"]}
    return {}


def choice_value(field):
    """A valid choice of a choice field (its last), or None."""
    if isinstance(field, forms.ModelChoiceField):
        last = field.queryset.order_by("pk").last()
        return None if last is None else str(last.pk)
    choices = [value for value, _label in getattr(field, "choices", ()) if value != ""]
    if choices and isinstance(choices[-1], (list, tuple)):  # a group
        choices = [value for value, _label in choices[-1]]
    return str(choices[-1]) if choices else None


def values(form, hostile):
    """A value for every field: a choice of each choice field, else text (hostile or plain)."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        chosen = choice_value(field)
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = [chosen or HOSTILE] if not hostile else [HOSTILE]
        elif isinstance(field, forms.BooleanField):
            data[key] = "on"
        elif chosen is not None and not hostile:
            data[key] = chosen
        elif isinstance(field, forms.FileField):
            continue
        elif isinstance(field, forms.DateTimeField):
            data[key] = HOSTILE if hostile else "2021-03-01T10:30"
        elif isinstance(field, forms.DateField):
            data[key] = HOSTILE if hostile else "2021-03-01"
        else:
            data[key] = HOSTILE if hostile else "Ñandú"
    return data


def make_pair(form_class, variant, extras, kind):
    """Two forms alike (crispy changes its widgets' classes, so each renderer gets its own)."""
    kwargs = kwargs_for(form_class, extras, kind)
    if variant == "unbound":
        return [form_class(**kwargs) for _ in range(2)]
    probe = form_class(**kwargs)
    if variant == "initial":
        initial = {name: value for name, value in values(probe, False).items()}
        initial = {name.split("-", 1)[-1]: value for name, value in initial.items()}
        return [form_class(initial=initial, **kwargs) for _ in range(2)]
    data = {} if variant == "empty" else values(probe, variant == "hostile")
    files = {}
    if variant == "with a file":
        for name, field in probe.fields.items():
            if isinstance(field, forms.FileField):
                upload = SimpleUploadedFile("a <b>.txt", b"not a pdf")
                upload.too_large, upload.head = False, b"not"  # what the portal's handler tells
                files[probe.add_prefix(name)] = upload
    pair = [form_class(data=data, files=dict(files), **kwargs) for _ in range(2)]
    for form in pair:
        try:
            form.is_valid()
        except ObjectDoesNotExist:  # a record its view sets (a contact's institution): the
            pass  # fields' own errors are found before the model is checked
    return pair


def kinds_of(form_class):
    """The kinds a form is made for: a request event's form differs by its event's kind."""
    if form_class.__name__ == "RequestEventForm":
        return [RequestEvent.Kind.ANSWERED_FULLY, next(iter(RequestEvent.LADDER))]
    return [None]


VARIANTS = ["unbound", "empty", "chosen", "hostile", "initial", "with a file"]


def assert_alike(theirs, ours):
    assert theirs.is_valid() == ours.is_valid() if theirs.is_bound else True
    for name in theirs.fields:
        expected = parse_html(str(as_crispy_field(theirs[name])))
        got = parse_html(str(form_field(ours[name])))
        assert got == expected, (
            f"{name}:\n{form_field(ours[name])}\n{as_crispy_field(theirs[name])}"
        )


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_form_field_renders_as_crispy_rendered_it(form_class, variant, extras):
    with translation.override("es"):
        for kind in kinds_of(form_class):
            theirs, ours = make_pair(form_class, variant, extras, kind)
            assert_alike(theirs, ours)


def test_an_edit_form_with_files_and_records_renders_as_crispy_rendered_it(extras):
    """Existing records: current files with their "clear" box, chosen records, checked boxes."""
    from observance.forms import MeetingForm
    from observance.models import Meeting
    from tests.institutions.factories import make_institution
    from tests.observance.page_data import make_team_member

    member = make_team_member(name=HOSTILE)
    meeting = Meeting.objects.create(
        held_at=datetime.datetime(2021, 3, 1, 10, 30, tzinfo=datetime.UTC),
        modality=Meeting.Modality.IN_PERSON,
        institution=make_institution(name=HOSTILE),
        purpose=HOSTILE,
        minutes="actas/acta <1>.pdf",
    )
    meeting.team_members.add(member)
    with translation.override("es"):
        theirs, ours = (MeetingForm(instance=meeting) for _ in range(2))
        assert_alike(theirs, ours)
        assert "acta" in str(form_field(ours["minutes"]))
        data = {"modality": "nope", "team_members": [str(member.pk), "x"], "purpose": HOSTILE}
        theirs, ours = (MeetingForm(instance=meeting, data=data) for _ in range(2))
        assert_alike(theirs, ours)


def test_the_whole_form_renders_every_field():
    from institutions.forms import ContactForm

    theirs, ours = ContactForm(data={}), ContactForm(data={})
    expected = "".join(str(as_crispy_field(field)) for field in theirs)
    assert parse_html(str(form_fields(ours))) == parse_html(expected)


def test_the_comparison_sees_a_dropped_class():
    """The test above can fail: without one class, or one attribute, the markup differs."""
    from observance.forms import MeetingForm

    with translation.override("es"):
        theirs, ours = (MeetingForm(data={}) for _ in range(2))
        theirs.is_valid(), ours.is_valid()
        for name in ("purpose", "modality", "team_members", "minutes"):
            expected = parse_html(str(as_crispy_field(theirs[name])))
            ours_html = str(form_field(ours[name]))
            assert parse_html(ours_html) == expected
            for cut in (" is-invalid", "invalid-feedback", ' aria-invalid="true"', "requiredField"):
                if cut in ours_html:
                    assert parse_html(ours_html.replace(cut, "", 1)) != expected, (name, cut)


def test_forms_with_a_crispy_helper_are_left_to_crispy():
    from reports.forms import PeriodForm

    form = PeriodForm()
    assert form_fields_module._with_crispy(form["year"])


def test_the_commitment_rows_render_as_crispy_rendered_them(extras):
    """The meeting's commitment rows: prefixed ids, the delete box of a saved row, the empty
    row the script copies, rows with errors."""
    from observance.forms import CommitmentFormSet

    meeting = extras["commitment"].meeting
    data = {
        "commitments-TOTAL_FORMS": "2",
        "commitments-INITIAL_FORMS": "1",
        "commitments-0-id": str(extras["commitment"].pk),
        "commitments-0-text": "",
        "commitments-0-due_on": "31/02/zz",
        "commitments-0-DELETE": "on",
        "commitments-1-text": HOSTILE,
        "commitments-1-who": HOSTILE,
    }
    with translation.override("es"):
        for bound in (None, data):
            theirs, ours = (
                CommitmentFormSet(bound, instance=meeting, prefix="commitments") for _ in range(2)
            )
            if bound:
                assert not theirs.is_valid() and not ours.is_valid()
            for their_row, our_row in zip(
                [*theirs.forms, theirs.empty_form], [*ours.forms, ours.empty_form], strict=True
            ):
                assert_alike(their_row, our_row)
