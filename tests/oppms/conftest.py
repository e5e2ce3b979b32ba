"""Fixtures of the tests of the project's shared parts."""

import pytest

from oppms import unchanged


@pytest.fixture
def nothing_kept():
    """No answer kept by oppms.unchanged before the test or after it."""
    unchanged.forget()
    yield
    unchanged.forget()
