"""Dates no record of the observatory can carry are refused next to the field."""

import pytest
from django.urls import reverse

from institutions.models import Institution


@pytest.mark.parametrize(
    ("mapped_on", "code"), [("9999-12-31", "max_value"), ("0001-01-01", "min_value")]
)
def test_an_institution_mapped_outside_1900_to_2100_is_refused(coordinator_client, mapped_on, code):
    response = coordinator_client.post(
        reverse("institutions:institution-create"),
        {
            "name": "Ministerio",
            "role": "executor",
            "branch": "executive",
            "level": "national",
            "mapped_on": mapped_on,
        },
    )
    assert [e.code for e in response.context["form"].errors.as_data()["mapped_on"]] == [code]
    assert not Institution.objects.exists()
