"""The Spanish catalogue is complete: every string the code marks is translated, none fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# templates/simple_history holds a copy of the library's template, translated by the library.
NOT_OURS = [".venv", "var", "staticfiles", "tests", "bench", "node_modules", "simple_history"]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    """The catalogue as makemessages would leave it after scanning today's code.

    makemessages writes into the catalogue of the tree it scans, so it scans a copy.
    """
    copy = tmp_path_factory.mktemp("source") / "oppms"
    shutil.copytree(
        settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_OURS, ".git", "*.pyc")
    )
    ignored = [argument for pattern in NOT_OURS for argument in ("--ignore", pattern)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "es", "-v0", *ignored],
        cwd=copy,
        check=True,
    )
    return copy / "locale" / "es" / "LC_MESSAGES" / "django.po"


def entries(catalogue, *flags):
    output = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(catalogue)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    ids = [line for line in output.splitlines() if line.startswith("msgid ")]
    return [line for line in ids if line != 'msgid ""']


def test_every_marked_string_has_a_spanish_translation(fresh_catalogue):
    assert entries(fresh_catalogue, "--untranslated") == []


def test_no_spanish_translation_is_fuzzy(fresh_catalogue):
    assert entries(fresh_catalogue, "--only-fuzzy") == []


def test_the_compiled_catalogue_speaks_spanish_by_default():
    assert settings.LANGUAGE_CODE == "es"
    with translation.override("es"):
        assert translation.gettext("Government institutions") == "Instituciones gubernamentales"
