"""The navbar's search: whoever may view institutions (every role) searches; it changes
nothing, so it answers no POST. Those with no view permission of any kind get 403."""

import pytest

from tests.permissions.matrix import ROLES, Entry, check

MATRIX = [Entry("search:results", get="institutions.view_institution", post=None)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=str)
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
