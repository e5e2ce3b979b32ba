"""What a browser would post back for a page's form, read from the page's HTML.

Reading the HTML rather than the form objects covers every widget the admin renders (split
date and time, many-to-many selects, inline formsets and their management forms) as a person
pressing "Save" without touching anything would send them.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.fields = []
        self.select = None  # (name, multiple, options, chosen) of the <select> being read
        self.textarea = None  # (name, text parts) of the <textarea> being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            self.found = self.found or self.inside
            return
        if not self.inside or attributes.get("disabled") is not None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = (name, "multiple" in attributes, [], [])
        elif tag == "option" and self.select is not None:
            value = attributes.get("value", "")
            self.select[2].append(value)
            if "selected" in attributes:
                self.select[3].append(value)
        elif tag == "textarea" and name:
            self.textarea = (name, [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple, options, chosen = self.select
            if not chosen and not multiple and options:
                chosen = options[:1]  # a single select sends its first option by default
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            # Browsers drop the one newline that may follow the opening tag.
            self.fields.append((name, "".join(parts).removeprefix("\n")))
            self.textarea = None


def posted_form(html, form_id):
    """``{name: value or [values]}`` that the form with ``id=form_id`` in ``html`` would send."""
    reader = _FormReader(form_id)
    reader.feed(html)
    if not reader.found:
        raise ValueError(f"The page has no form with the id {form_id!r}.")
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
