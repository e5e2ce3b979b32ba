import pytest

from tests.allies.factories import make_agenda_item, make_agreement, make_ally
from tests.permissions.matrix import ROLES, Entry, check


def ally():
    return {"pk": make_ally().pk}


def agreement():
    return {"pk": make_agreement().pk}


def agenda_item():
    return {"pk": make_agenda_item().pk}


MATRIX = [
    Entry("allies:ally-list", get="allies.view_ally", post=None),
    Entry("allies:ally-search", get="allies.view_ally", post=None),
    Entry("allies:ally-detail", get="allies.view_ally", post=None, setup=ally),
    Entry("allies:ally-create", get="allies.add_ally", post="allies.add_ally"),
    Entry("allies:ally-update", get="allies.change_ally", post="allies.change_ally", setup=ally),
    Entry("allies:agreement-list", get="allies.view_agreement", post=None),
    Entry("allies:agreement-detail", get="allies.view_agreement", post=None, setup=agreement),
    Entry("allies:agreement-create", get="allies.add_agreement", post="allies.add_agreement"),
    Entry(
        "allies:agreement-update",
        get="allies.change_agreement",
        post="allies.change_agreement",
        setup=agreement,
    ),
    Entry("allies:agendaitem-list", get="allies.view_agendaitem", post=None),
    Entry(
        "allies:agendaitem-create",
        get="allies.add_agendaitem",
        post="allies.add_agendaitem",
        setup=agreement,
    ),
    Entry(
        "allies:agendaitem-update",
        get="allies.change_agendaitem",
        post="allies.change_agendaitem",
        setup=agenda_item,
    ),
    # An action: the POST marks the item done and goes back to the agreement.
    Entry(
        "allies:agendaitem-done",
        get=None,
        post="allies.change_agendaitem",
        setup=agenda_item,
        post_status=302,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=str)
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
