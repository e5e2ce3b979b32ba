"""Admin lists fetch their rows in a fixed number of queries, however many rows there are.

Each factory gives every row its own related records, so a column that fetched its
institution, process or team one row at a time would add thirty queries and fail.
"""

import pytest

from observance.models import EscalationTerm, ObservatoryProfile, ProcessStep

from .conftest import FACTORIES
from .test_pages import REGISTERED, model_id, url

ROWS = 30

# Every list costs: the session (read, then saved in a savepoint: sessions slide on each
# request), the user, the user's and the group's permissions, whether the observatory profile
# exists (the sidebar's add link), the row count (twice where the list shows the unfiltered
# total too), the rows, then the date drill-down (two) and any prefetch.
MAX_QUERIES = {
    "allies.AgendaItem": 13,
    "allies.Agreement": 13,
    "allies.Ally": 11,
    "institutions.Contact": 11,
    "institutions.Institution": 13,
    "institutions.ResponsibilityArea": 11,
    "observance.Commitment": 13,
    "observance.EscalationTerm": 11,
    "observance.Evaluation": 14,
    "observance.FollowUp": 13,
    "observance.Holiday": 13,
    "observance.InformationRequest": 12,
    "observance.Meeting": 13,
    "observance.ObservanceProcess": 13,
    "observance.ObservatoryProfile": 12,
    "observance.ProcessStep": 11,
    "observance.PublicPolicy": 11,
    "observance.Publication": 13,
    "observance.Recommendation": 13,
    "observance.RequestEvent": 13,
    "observance.TeamMember": 13,
}


# Inside the test's transaction, the savepoint every admin GET runs in (oppms.admin_site: it
# keeps the connection usable after a value from the address the database refused).
ADDRESS_GUARD_SAVEPOINT = 2


def make_rows(model):
    if model in (ObservatoryProfile, EscalationTerm):  # only ever one, or one per step
        FACTORIES[model]()
    elif model is ProcessStep:  # each process brings its seven steps
        for _ in range(ROWS // 7 + 1):
            FACTORIES[model]()
    else:
        for _ in range(ROWS):
            FACTORIES[model]()


def test_every_list_has_a_pinned_query_count():
    assert set(MAX_QUERIES) == {model._meta.label for model in REGISTERED}


@pytest.mark.parametrize("model", REGISTERED, ids=model_id)
def test_list_of_many_rows_runs_a_fixed_number_of_queries(
    admin_client_user, django_assert_max_num_queries, model
):
    make_rows(model)
    with django_assert_max_num_queries(MAX_QUERIES[model._meta.label] + ADDRESS_GUARD_SAVEPOINT):
        response = admin_client_user.get(url(model, "changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == min(
        model.objects.count(), response.context["cl"].list_per_page
    )
