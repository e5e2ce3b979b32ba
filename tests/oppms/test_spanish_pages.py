"""Every page speaks Spanish: no English source string reaches a Spanish page untranslated.

The code is written in English and translated through the catalogue; a string someone forgot to
mark (or to translate, or a library's own words) shows on the page in English. Each page of the
permission matrix, plus the login, error, account and report pages, is read in Spanish: its
text and the attributes a reader hears or sees (aria-label, title, placeholder, alt, the search
box's texts) must not be an English msgid of the catalogue. Text marked with another language
(the switch's "English") is that language's, and is skipped.
"""

import html.parser
import importlib
import pkgutil
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

import tests.permissions
from reports.periods import Period
from tests.permissions.matrix import PUBLIC
from tests.reports.narrative import write_the_narrative

READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-select-no-results"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def english_source_strings():
    """The catalogue's msgids whose Spanish differs: English a Spanish page must not show."""
    catalogue = trans_real.translation("es")._catalog
    english = {}
    for msgid in catalogue.keys():
        if not isinstance(msgid, str) or not re.search("[A-Za-z]{2}", msgid):
            continue
        if "%" in msgid or "{" in msgid or catalogue[msgid] == msgid:
            continue
        english[" ".join(msgid.split())] = catalogue[msgid]
    return english


ENGLISH = english_source_strings()
# Long strings are also caught inside a longer text (a sentence left in English in a paragraph).
ENGLISH_SENTENCES = [text for text in ENGLISH if len(text.split()) >= 4]


class ReadAloud(html.parser.HTMLParser):
    """The texts of a page a reader meets, outside elements marked with another language."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, skipped) of each open element
        self.texts = []

    def skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        language = attributes.get("lang")
        skipped = (
            self.skipped()
            or tag in SKIPPED_ELEMENTS
            or (language is not None and not language.startswith("es"))
        )
        if not skipped:
            self.texts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                self.texts.append(attributes.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipped() and data.strip():
            self.texts.append(data)


def english_left(page_html):
    reader = ReadAloud()
    reader.feed(page_html)
    found = set()
    for text in reader.texts:
        text = " ".join(text.split()).rstrip(":")
        if text in ENGLISH:
            found.add(text)
        found.update(sentence for sentence in ENGLISH_SENTENCES if sentence in text)
    return sorted(found)


def matrix_entries():
    for module_info in pkgutil.iter_modules(tests.permissions.__path__):
        if module_info.name.startswith("test_") and module_info.name.endswith("_matrix"):
            module = importlib.import_module(f"tests.permissions.{module_info.name}")
            yield from (entry for entry in module.MATRIX if entry.get is not None)


ENTRIES = {
    entry.name + ("" if entry.name != "record-history" else f" {index}"): entry
    for index, entry in enumerate(matrix_entries())
}


@pytest.fixture
def superuser_client(client, db):
    user = User.objects.create_superuser("root-reader", "root@example.org", "x")
    client.force_login(user)
    return client


def assert_spanish(response, where):
    assert response.status_code in (200, 403, 404), f"{where}: {response.status_code}"
    if "text/html" not in response.get("Content-Type", ""):
        return
    assert '<html lang="es">' in response.text, f"{where} is not marked Spanish"
    left = english_left(response.text)
    assert not left, f"{where} shows English: {left}"


@pytest.mark.parametrize("name", ENTRIES)
def test_every_page_of_the_matrix_is_spanish(superuser_client, name):
    entry = ENTRIES[name]
    url = reverse(entry.name, kwargs=entry.setup())
    client = superuser_client
    if entry.get == PUBLIC:
        client.logout()
    assert_spanish(client.get(url), f"GET {url}")
    if entry.post not in (None, PUBLIC) and entry.post_status == 200:
        # The form again, with its errors: the messages are read too.
        data = entry.post_data(entry.setup()) if entry.post_data else {}
        assert_spanish(client.post(url, data), f"POST {url}")


@pytest.mark.django_db
def test_the_pages_outside_the_matrix_are_spanish(client, reader, superuser_client):
    assert_spanish(client.get(reverse("login")), "the login page")
    write_the_narrative(Period(2021, 1))
    for url in (
        reverse("observance:dashboard"),
        reverse("reminder-preferences"),
        reverse("reports:report-list"),
        reverse("reports:report-detail", args=[2021, 1]),
        reverse("reports:report-edit", args=[2021, 1]),
        "/no-existe/",
    ):
        assert_spanish(superuser_client.get(url), url)
    superuser_client.force_login(reader)
    assert_spanish(superuser_client.get(reverse("observance:meeting-create")), "a 403 page")


def test_the_reader_finds_english_left_on_a_page():
    # The check itself can fail: an English label, an aria-label, a sentence inside a paragraph.
    with translation.override("es"):
        page = (
            '<html lang="es"><body><h1>Instituciones</h1><label>Log in</label>'
            '<button aria-label="Menu">≡</button><span lang="en">English</span>'
            '<script>var x = "Log out";</script></body></html>'
        )
        assert english_left(page) == ["Log in", "Menu"]
