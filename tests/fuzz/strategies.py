"""Hypothesis strategies for what a user can type, or put in the address, for a form field.

Each field gets values chosen by its type: mostly values the field may accept (so that saves
do happen and their round trip can be checked), and the hostile ones the issue lists: long and
unicode text, HTML and script, SQL fragments, impossible and out-of-order dates, huge numbers,
NUL, lone surrogates (sent as the invalid UTF-8 bytes a browser could send).
"""

import datetime
from urllib.parse import quote

from django import forms
from hypothesis import strategies as st

SCRIPT = "<script>alert(1)</script>"
NASTY_TEXT = [
    "",
    " ",
    SCRIPT,
    "<b>negrita</b><img src=x onerror=alert(1)>",
    "'; DROP TABLE x; --",
    '" OR 1=1 --',
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff\ud800y",
    "\u202e\u200fعربى\u200e",
    "😀👩‍👩‍👧‍👦🇪🇨",
    "ñandú Ñ áéíóú",
    "\r\n\t",
    "x" * 10_000,
    "ᚠ" * 300,
    "{{ 7|add:7 }}{% csrf_token %}",
    "${jndi:ldap://x}",
]
NASTY_DATES = [
    "2021-02-30",
    "30/02/2021",
    "31/12/2021",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-1",
    "2021-13-01",
    "2021-1-1",
    "1e309",
    "NaN",
    "today",
]
NASTY_DATETIMES = [
    "2021-02-30T10:00",
    "9999-12-31T23:59",
    "9999-12-31 23:59",
    "31/12/9999 23:59",
    "0001-01-01T00:00",
    "10000-01-01T00:00",
    "2021-03-01T25:61",
    "2021-03-01T10:00:60",
    "2021-03-01",
    "-1",
]
NASTY_NUMBERS = [
    str(10**30),
    str(-(10**30)),
    "9223372036854775808",
    "2147483648",
    "32768",
    "65536",
    "-1",
    "0",
    "1e309",
    "1e3",
    "NaN",
    "inf",
    "-0",
    "1.5",
    "0x10",
    "²",
    "١٢",
    "٣",
    "𝟙",
    " 7 ",
]

# Text a user could type: any character but lone surrogates (those are sent separately).
typed_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
# Text a field may accept: unicode, RTL, emoji, and HTML or SQL that must stay plain text.
plain_text = st.one_of(
    st.text(
        st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\x00"),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([text for text in NASTY_TEXT if text.strip() and "\x00" not in text]),
)


def iso_date(day):
    return day.isoformat()


plausible_dates = st.dates(datetime.date(2015, 1, 1), datetime.date(2030, 12, 31))
valid_dates = st.one_of(
    plausible_dates.map(iso_date), plausible_dates.map(lambda day: day.strftime("%d/%m/%Y"))
)
hostile_dates = st.one_of(
    st.sampled_from(NASTY_DATES),
    st.dates().map(iso_date),
    st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
    typed_text,
)
valid_datetimes = st.datetimes(datetime.datetime(2015, 1, 1), datetime.datetime(2030, 12, 31)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
)
hostile_datetimes = st.one_of(
    st.sampled_from(NASTY_DATETIMES),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    typed_text,
)
valid_numbers = st.integers(0, 1000).map(str)
hostile_numbers = st.one_of(st.sampled_from(NASTY_NUMBERS), st.integers().map(str), typed_text)
valid_booleans = st.sampled_from(["on", "true", "false", ""])
hostile_booleans = st.sampled_from(["\x00", "None", "2", SCRIPT, "\ud800"])
valid_emails = st.emails().map(str)
hostile_emails = st.one_of(
    st.sampled_from(["a@b", "@", "x@x.x" + "x" * 300, "<a@b.ec>", "a\x00@b.ec"]), typed_text
)
valid_urls = st.from_regex(r"\Ahttps://[a-z]{1,20}\.ec/[a-z0-9/]{0,30}\Z")
hostile_urls = st.one_of(
    st.sampled_from(
        [
            "https://example.org/a?b=<c>",
            "example.org",
            "javascript:alert(1)",
            "http://[::1",
            "https://" + "a" * 300 + ".ec",
            "https://exa\x00mple.org",
            "https://ñandú.ec/ruta",
        ]
    ),
    typed_text,
)
hostile_pks = st.one_of(
    st.sampled_from(NASTY_NUMBERS + ["", "abc", SCRIPT, "\x00", "1\x00"]), typed_text
)
hostile_choices = st.one_of(st.sampled_from(["", "not-a-choice", SCRIPT, "\x00"]), typed_text)


def existing_pks(field):
    pks = [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]
    return st.sampled_from(pks) if pks else st.nothing()


def choices(field):
    values = [str(value) for value, label in field.choices if not isinstance(label, list | tuple)]
    values = [value for value in values if value]
    return st.sampled_from(values) if values else st.nothing()


def field_strategies(field):
    """(valid, hostile, many): what the field may accept, what it must refuse or survive."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return existing_pks(field), hostile_pks, True
    if isinstance(field, forms.ModelChoiceField):
        return existing_pks(field), hostile_pks, False
    if isinstance(field, forms.MultipleChoiceField):
        return choices(field), hostile_choices, True
    if isinstance(field, forms.ChoiceField):
        return choices(field), hostile_choices, False
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return valid_booleans, hostile_booleans, False
    if isinstance(field, forms.DateTimeField):
        return valid_datetimes, hostile_datetimes, False
    if isinstance(field, forms.DateField):
        return valid_dates, hostile_dates, False
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return valid_numbers, hostile_numbers, False
    if isinstance(field, forms.EmailField):
        return valid_emails, hostile_emails, False
    if isinstance(field, forms.URLField):
        return valid_urls, hostile_urls, False
    return plain_text, typed_text | st.sampled_from(NASTY_TEXT), False


def values_for(field, hostile=False):
    """A strategy of lists of values for one field.

    Valid: one value (a few for a multiple choice). Hostile: a value the field must refuse
    or survive, or none at all (the field is missing), or two (the field is duplicated).
    """
    if isinstance(field, forms.FileField):
        return st.just([])  # a urlencoded body carries no file
    valid, bad, many = field_strategies(field)
    if not hostile:
        return st.lists(valid, min_size=1, max_size=3, unique=True) if many else st.tuples(valid)
    anything = valid | bad
    return st.one_of(
        st.tuples(bad),
        st.just([]),
        st.lists(anything, min_size=2, max_size=4),
    ).map(list)


junk_keys = st.one_of(
    st.sampled_from(
        ["_addanother", "page", "csrfmiddlewaretoken", "_edit_version", "kind", "pk", "id", "q"]
    ),
    typed_text,
)
junk_values = st.one_of(st.sampled_from(NASTY_TEXT + NASTY_NUMBERS), typed_text)


def form_pairs(draw, form):
    """(name, value) pairs for every field of ``form``: most fields valid, some hostile.

    A drawn set of fields is attacked; the others get values they accept, so that saves do
    happen and their round trip is checked, and each attack is tried on an otherwise valid form.
    """
    names = list(form.fields)
    attacked = set()
    if names:
        attacked = draw(st.sets(st.sampled_from(names), max_size=3), label="attacked")
    pairs = []
    for name in names:
        values = draw(values_for(form.fields[name], hostile=name in attacked), label=name)
        pairs += [(form.add_prefix(name), value) for value in values]
    return pairs


junk_pairs = st.lists(st.tuples(junk_keys, junk_values), max_size=3)


def encode(pairs):
    """A urlencoded body or query string; lone surrogates go as the invalid bytes they are."""

    def part(text):
        return quote(text.encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{part(key)}={part(value)}" for key, value in pairs)


def received(text):
    """What Django reads back from ``encode``: invalid UTF-8 becomes U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def plain_value(field):
    """One value the field accepts, without hypothesis: the baseline of the boundary sweep."""
    if isinstance(field, forms.FileField):
        return []
    if isinstance(field, forms.ModelChoiceField):
        return [str(field.queryset.values_list("pk", flat=True).first())]
    if isinstance(field, forms.ChoiceField):
        return [next(str(value) for value, _label in field.choices if value)]
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return ["on"]
    if isinstance(field, forms.DateTimeField):
        return ["2021-03-15T10:00"]
    if isinstance(field, forms.DateField):
        return ["2021-03-15"]
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return ["1"]
    if isinstance(field, forms.EmailField):
        return ["ana@example.ec"]
    if isinstance(field, forms.URLField):
        return ["https://example.ec/"]
    return ["Texto"]


SWEEP_TEXT = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x" * 10_000,
    SCRIPT + "<b>negrita</b>",
    "'; DROP TABLE x; --",
    "\u202e\u200fعربى😀",
]


def sweep_kind(field):
    """Which list of boundary values a field is swept with, if any."""
    if isinstance(field, forms.ModelChoiceField | forms.ChoiceField | forms.FileField):
        return None
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return None
    if isinstance(field, forms.DateTimeField):
        return "datetime"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
        return "number"
    if isinstance(field, forms.EmailField | forms.URLField):
        return None
    return "text"


SWEEPS = {
    "date": NASTY_DATES,
    "datetime": NASTY_DATETIMES,
    "number": NASTY_NUMBERS,
    "text": SWEEP_TEXT,
}


def sweep(form):
    """For each boundary value, the form's pairs with every field of its kind holding it."""
    kinds = {name: sweep_kind(field) for name, field in form.fields.items()}
    for kind, values in SWEEPS.items():
        if kind not in kinds.values():
            continue
        for value in values:
            pairs = []
            for name, field in form.fields.items():
                chosen = [value] if kinds[name] == kind else plain_value(field)
                pairs += [(form.add_prefix(name), item) for item in chosen]
            yield kind, value, pairs
