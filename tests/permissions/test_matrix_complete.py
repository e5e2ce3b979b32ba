"""Every URL of the app's namespaces has its line in a permission matrix."""

import importlib
import pkgutil

from django.urls import URLResolver, get_resolver

import tests.permissions
from tests.permissions.matrix import NAMESPACES


def url_names(patterns, namespace):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def covered_names():
    names = set()
    for module_info in pkgutil.iter_modules(tests.permissions.__path__):
        if module_info.name.startswith("test_") and module_info.name.endswith("_matrix"):
            module = importlib.import_module(f"tests.permissions.{module_info.name}")
            names |= {entry.name for entry in module.MATRIX}
    return names


def test_every_url_of_the_app_is_in_a_permission_matrix():
    names = {
        name
        for name in url_names(get_resolver().url_patterns, None)
        if name.split(":", 1)[0] in NAMESPACES
    }
    uncovered = sorted(names - covered_names())
    assert not uncovered, "URLs with no permission-matrix entry: " + ", ".join(uncovered)


def test_the_matrix_names_only_urls_that_exist():
    names = set(url_names(get_resolver().url_patterns, None))
    unknown = sorted(covered_names() - names)
    assert not unknown, "Matrix entries for URL names that do not exist: " + ", ".join(unknown)
