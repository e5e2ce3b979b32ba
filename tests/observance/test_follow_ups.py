"""A recommendation's compliance is always its latest follow-up's level, never typed.

"Latest" is the latest ``checked_on``, then the one recorded last; without follow-ups a
recommendation is pending. The stored column the lists, the portal, the reminders and the admin
filter on must never disagree with that, whichever path changed the follow-ups: the app's page,
the admin (follow-up pages, the recommendation's inline rows, bulk delete), code that updates or
bulk-creates follow-ups, or a follow-up moved to another recommendation.
"""

import datetime
import importlib
import random

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from observance.models import FollowUp, Recommendation
from tests.conftest import edit_version
from tests.institutions.factories import make_institution

from .page_data import make_follow_up, make_process, make_recommendation

C = Recommendation.Compliance
PROPOSED = datetime.date(2021, 6, 10)


def day(offset):
    return PROPOSED + datetime.timedelta(days=offset)


def latest_level(recommendation):
    """The rule, written out plainly: latest date, then latest recorded; pending without one."""
    follow_ups = sorted(
        FollowUp.objects.filter(recommendation=recommendation), key=lambda f: (f.checked_on, f.pk)
    )
    return follow_ups[-1].compliance if follow_ups else C.PENDING


def stored(recommendation):
    return Recommendation.objects.values_list("compliance", flat=True).get(pk=recommendation.pk)


def record(client, recommendation, checked_on, compliance, **extra):
    return client.post(
        reverse("observance:recommendation-follow-up", args=[recommendation.pk]),
        {"checked_on": checked_on.isoformat(), "compliance": compliance, **extra},
    )


# The app's pages


def test_a_recommendation_without_follow_ups_is_pending_whatever_its_form_sends(
    coordinator_client,
):
    coordinator_client.post(
        reverse("observance:recommendation-create"),
        {
            "process": make_process().pk,
            "institution": make_institution().pk,
            "text": "Publicar las cifras de retornados",
            "proposed_on": PROPOSED.isoformat(),
            "compliance": C.COMPLIED,
        },
    )

    assert Recommendation.objects.get().compliance == C.PENDING


def test_the_recommendation_form_has_no_compliance_field(coordinator_client):
    recommendation = make_recommendation()

    response = coordinator_client.get(
        reverse("observance:recommendation-update", args=[recommendation.pk])
    )

    assert "compliance" not in response.context["form"].fields


def test_editing_a_recommendation_keeps_its_latest_follow_ups_level(coordinator_client):
    recommendation = make_recommendation(compliance=C.PARTLY_COMPLIED)
    data = {
        "process": recommendation.process_id,
        "institution": recommendation.institution_id,
        "text": "Texto corregido",
        "proposed_on": PROPOSED.isoformat(),
        "compliance": C.COMPLIED,
    }

    response = coordinator_client.post(
        reverse("observance:recommendation-update", args=[recommendation.pk]),
        data | edit_version(recommendation),
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Texto corregido"
    assert recommendation.compliance == C.PARTLY_COMPLIED


def test_a_follow_up_recorded_on_the_page_sets_the_compliance(coordinator_client):
    recommendation = make_recommendation()

    record(coordinator_client, recommendation, day(20), C.PARTLY_COMPLIED)

    assert stored(recommendation) == C.PARTLY_COMPLIED


def test_a_back_dated_follow_up_does_not_replace_the_latest_level(coordinator_client):
    recommendation = make_recommendation()
    record(coordinator_client, recommendation, day(30), C.COMPLIED)

    record(coordinator_client, recommendation, day(10), C.NOT_COMPLIED)

    assert FollowUp.objects.filter(recommendation=recommendation).count() == 2
    assert stored(recommendation) == C.COMPLIED


def test_of_two_follow_ups_on_the_same_day_the_one_recorded_last_counts(coordinator_client):
    recommendation = make_recommendation()
    record(coordinator_client, recommendation, day(5), C.IN_PROGRESS)

    record(coordinator_client, recommendation, day(5), C.NOT_COMPLIED)

    assert stored(recommendation) == C.NOT_COMPLIED


def test_each_change_of_compliance_is_a_version_in_the_recommendations_history(
    coordinator_client, coordinator
):
    recommendation = make_recommendation()

    record(coordinator_client, recommendation, day(5), C.IN_PROGRESS)

    latest = recommendation.history.order_by("-history_id").first()
    assert (latest.compliance, latest.history_user) == (C.IN_PROGRESS, coordinator)
    assert latest.history_change_reason == "Compliance taken from the latest follow-up."


# Code paths


def test_deleting_the_latest_follow_up_goes_back_to_the_one_before(db):
    recommendation = make_recommendation()
    make_follow_up(recommendation, checked_on=day(5), compliance=C.IN_PROGRESS)
    latest = make_follow_up(recommendation, checked_on=day(9), compliance=C.COMPLIED)

    latest.delete()

    assert stored(recommendation) == C.IN_PROGRESS


def test_deleting_the_only_follow_up_leaves_the_recommendation_pending(db):
    recommendation = make_recommendation(compliance=C.COMPLIED)

    FollowUp.objects.filter(recommendation=recommendation).delete()

    assert stored(recommendation) == C.PENDING


def test_a_follow_up_moved_to_another_recommendation_changes_both(db):
    first = make_recommendation(compliance=C.COMPLIED)
    second = make_recommendation()
    follow_up = first.follow_ups.get()

    follow_up.recommendation = second
    follow_up.save()

    assert (stored(first), stored(second)) == (C.PENDING, C.COMPLIED)


def test_a_queryset_update_of_follow_ups_brings_their_recommendations_along(db):
    recommendation = make_recommendation(compliance=C.IN_PROGRESS)

    FollowUp.objects.filter(recommendation=recommendation).update(compliance=C.COMPLIED)

    assert stored(recommendation) == C.COMPLIED


def test_bulk_created_follow_ups_bring_their_recommendations_along(db):
    recommendation = make_recommendation()

    FollowUp.objects.bulk_create(
        [FollowUp(recommendation=recommendation, checked_on=day(3), compliance=C.NOT_COMPLIED)]
    )

    assert stored(recommendation) == C.NOT_COMPLIED


def test_saving_a_recommendation_with_a_typed_compliance_keeps_the_follow_ups_level(db):
    recommendation = make_recommendation(compliance=C.NOT_COMPLIED)

    recommendation.compliance = C.COMPLIED
    recommendation.save()

    assert stored(recommendation) == C.NOT_COMPLIED


def test_compliance_never_disagrees_with_the_latest_follow_up_over_many_changes(db):
    """Forty random creations, back-dated entries, edits of date and level, and deletions."""
    rng = random.Random(20211)
    recommendations = [make_recommendation() for _ in range(3)]
    for _step in range(40):
        follow_ups = list(FollowUp.objects.all())
        action = rng.choice(["add", "add", "edit", "delete"]) if follow_ups else "add"
        if action == "add":
            make_follow_up(
                rng.choice(recommendations),
                checked_on=day(rng.randint(0, 30)),
                compliance=rng.choice(C.values),
            )
        elif action == "edit":
            follow_up = rng.choice(follow_ups)
            follow_up.checked_on = day(rng.randint(0, 30))
            follow_up.compliance = rng.choice(C.values)
            follow_up.save()
        else:
            rng.choice(follow_ups).delete()
        for recommendation in recommendations:
            assert stored(recommendation) == latest_level(recommendation)


# The admin


def admin_follow_up_form(follow_up, **changes):
    data = {
        "recommendation": follow_up.recommendation_id,
        "checked_on": follow_up.checked_on.strftime("%d/%m/%Y"),
        "compliance": follow_up.compliance,
        "notes": follow_up.notes,
    }
    return data | changes | edit_version(follow_up)


def test_changing_the_latest_follow_ups_level_in_the_admin_changes_the_compliance(
    admin_client_user,
):
    recommendation = make_recommendation(compliance=C.IN_PROGRESS)
    follow_up = recommendation.follow_ups.get()

    response = admin_client_user.post(
        reverse("admin:observance_followup_change", args=[follow_up.pk]),
        admin_follow_up_form(follow_up, compliance=C.COMPLIED),
    )

    assert response.status_code == 302
    assert stored(recommendation) == C.COMPLIED


def test_back_dating_the_latest_follow_up_in_the_admin_lets_the_next_one_count(
    admin_client_user,
):
    recommendation = make_recommendation()
    make_follow_up(recommendation, checked_on=day(10), compliance=C.IN_PROGRESS)
    moved = make_follow_up(recommendation, checked_on=day(20), compliance=C.COMPLIED)

    admin_client_user.post(
        reverse("admin:observance_followup_change", args=[moved.pk]),
        admin_follow_up_form(moved, checked_on=day(1).strftime("%d/%m/%Y")),
    )

    assert stored(recommendation) == C.IN_PROGRESS


def test_deleting_the_latest_follow_up_in_the_admin_goes_back_to_the_one_before(
    admin_client_user,
):
    recommendation = make_recommendation()
    make_follow_up(recommendation, checked_on=day(5), compliance=C.NOT_COMPLIED)
    latest = make_follow_up(recommendation, checked_on=day(9), compliance=C.COMPLIED)

    response = admin_client_user.post(
        reverse("admin:observance_followup_delete", args=[latest.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert stored(recommendation) == C.NOT_COMPLIED


def test_bulk_deleting_follow_ups_in_the_admin_leaves_their_recommendations_pending(
    admin_client_user,
):
    recommendations = [make_recommendation(compliance=C.COMPLIED) for _ in range(2)]

    admin_client_user.post(
        reverse("admin:observance_followup_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(FollowUp.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert not FollowUp.objects.exists()
    assert [stored(r) for r in recommendations] == [C.PENDING, C.PENDING]


def recommendation_admin_form(recommendation, rows, initial=0):
    data = {
        "process": recommendation.process_id,
        "institution": recommendation.institution_id,
        "text": recommendation.text,
        "proposed_on": recommendation.proposed_on.strftime("%d/%m/%Y"),
        "compliance": C.COMPLIED,  # not a field of the form: ignored
        "follow_ups-TOTAL_FORMS": str(len(rows)),
        "follow_ups-INITIAL_FORMS": str(initial),
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"follow_ups-{index}-{name}": value for name, value in row.items()}
    return data | edit_version(recommendation)


def test_a_follow_up_added_in_the_recommendations_admin_page_sets_its_compliance(
    admin_client_user,
):
    recommendation = make_recommendation()
    row = {"checked_on": day(4).strftime("%d/%m/%Y"), "compliance": C.PARTLY_COMPLIED}

    response = admin_client_user.post(
        reverse("admin:observance_recommendation_change", args=[recommendation.pk]),
        recommendation_admin_form(recommendation, [row]),
    )

    assert response.status_code == 302
    assert stored(recommendation) == C.PARTLY_COMPLIED


def test_a_follow_up_deleted_in_the_recommendations_admin_page_is_no_longer_its_level(
    admin_client_user,
):
    recommendation = make_recommendation(compliance=C.NOT_COMPLIED)
    follow_up = recommendation.follow_ups.get()
    row = {
        "id": str(follow_up.pk),
        "recommendation": str(recommendation.pk),
        "checked_on": follow_up.checked_on.strftime("%d/%m/%Y"),
        "compliance": follow_up.compliance,
        "DELETE": "on",
    }

    response = admin_client_user.post(
        reverse("admin:observance_recommendation_change", args=[recommendation.pk]),
        recommendation_admin_form(recommendation, [row], initial=1),
    )

    assert response.status_code == 302
    assert stored(recommendation) == C.PENDING


def test_the_recommendations_admin_page_shows_compliance_without_a_field_for_it(
    admin_client_user,
):
    recommendation = make_recommendation(compliance=C.COMPLIED)

    response = admin_client_user.get(
        reverse("admin:observance_recommendation_change", args=[recommendation.pk])
    )

    assert "compliance" not in response.context["adminform"].form.fields
    assert "Cumplida" in response.content.decode()


def test_the_admin_refuses_a_follow_up_dated_before_its_recommendation(admin_client_user):
    recommendation = make_recommendation(compliance=C.IN_PROGRESS)
    follow_up = recommendation.follow_ups.get()

    response = admin_client_user.post(
        reverse("admin:observance_followup_change", args=[follow_up.pk]),
        admin_follow_up_form(follow_up, checked_on=day(-1).strftime("%d/%m/%Y")),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("checked_on", "before_proposed")
    assert FollowUp.objects.get().checked_on == PROPOSED


# Records typed before follow-ups kept compliance


MIGRATION = ("observance", "0005_follow_up_evidence")


@pytest.fixture
def migration():
    return importlib.import_module(f"observance.migrations.{MIGRATION[1]}")


@pytest.fixture
def migration_apps(db):
    """The models as the migration sees them: no signals, no history kept by itself."""
    return MigrationLoader(connection).project_state(MIGRATION).apps


def test_a_compliance_typed_before_follow_ups_is_kept_as_a_follow_up(migration, migration_apps):
    recommendation = make_recommendation(compliance=C.IN_PROGRESS)
    # As the column stood before this change: typed on the recommendation's form.
    Recommendation.objects.filter(pk=recommendation.pk).update(compliance=C.COMPLIED)

    migration.typed_compliance_becomes_a_follow_up(migration_apps, None)

    latest = recommendation.follow_ups.order_by("-checked_on", "-pk").first()
    assert (latest.compliance, latest.notes) == (C.COMPLIED, migration.KEPT_REASON)
    assert stored(recommendation) == C.COMPLIED
    assert latest.history.get().history_type == "+"


def test_the_migration_leaves_recommendations_that_agree_with_their_follow_ups(
    migration, migration_apps
):
    make_recommendation(compliance=C.IN_PROGRESS)
    make_recommendation()

    migration.typed_compliance_becomes_a_follow_up(migration_apps, None)

    assert FollowUp.objects.count() == 1
