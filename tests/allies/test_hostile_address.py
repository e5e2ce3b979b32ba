"""An address edited by hand (found by the fuzz tests in tests/fuzz) shows the page, not a 500."""

import pytest
from django.urls import reverse

from tests.allies.factories import make_ally


@pytest.mark.parametrize("value", ["²", "١", str(10**30), "-1"])
def test_a_new_agreement_opened_with_a_strange_ally_in_the_address_shows_an_empty_choice(
    coordinator_client, value
):
    make_ally()
    response = coordinator_client.get(reverse("allies:agreement-create"), {"ally": value})
    assert response.status_code == 200
    assert response.context["form"].initial.get("ally") in (None, 1)


def test_a_new_agreement_opened_from_an_ally_starts_with_that_ally(coordinator_client):
    ally = make_ally()
    response = coordinator_client.get(reverse("allies:agreement-create"), {"ally": ally.pk})
    assert response.context["form"].initial["ally"] == ally.pk
