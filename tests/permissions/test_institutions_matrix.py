import pytest

from tests.institutions.factories import make_area, make_contact, make_institution
from tests.permissions.matrix import ROLES, Entry, check


def institution():
    return {"pk": make_institution().pk}


def institution_of_part():
    return {"institution_pk": make_institution().pk}


def contact():
    return {"pk": make_contact().pk}


def area():
    return {"pk": make_area().pk}


VIEW = "institutions.view_institution"

MATRIX = [
    Entry("institutions:institution-list", get=VIEW, post=None),
    Entry("institutions:institution-search", get=VIEW, post=None),
    Entry("institutions:institution-detail", get=VIEW, post=None, setup=institution),
    Entry(
        "institutions:institution-create",
        get="institutions.add_institution",
        post="institutions.add_institution",
    ),
    Entry(
        "institutions:institution-update",
        get="institutions.change_institution",
        post="institutions.change_institution",
        setup=institution,
    ),
    Entry(
        "institutions:contact-create",
        get="institutions.add_contact",
        post="institutions.add_contact",
        setup=institution_of_part,
    ),
    Entry(
        "institutions:contact-update",
        get="institutions.change_contact",
        post="institutions.change_contact",
        setup=contact,
    ),
    Entry(
        "institutions:area-create",
        get="institutions.add_responsibilityarea",
        post="institutions.add_responsibilityarea",
        setup=institution_of_part,
    ),
    Entry(
        "institutions:area-update",
        get="institutions.change_responsibilityarea",
        post="institutions.change_responsibilityarea",
        setup=area,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("entry", MATRIX, ids=str)
def test_each_role_gets_the_expected_answer(db, client, entry, role):
    check(client, entry, role)
