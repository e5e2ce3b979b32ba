import pytest
from django.contrib.auth.models import Group

from oppms import roles

pytestmark = pytest.mark.django_db


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_migration_creates_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        roles.COORDINACION,
        roles.SECRETARIA,
        roles.ADMINISTRACION,
        roles.CONSULTA,
    }


def test_consulta_may_only_view():
    permissions = codenames(roles.CONSULTA)
    assert "observance.view_meeting" in permissions
    assert all(code.split(".")[1].startswith("view_") for code in permissions)


def test_coordinacion_logs_meetings_and_requests_but_not_the_profile():
    permissions = codenames(roles.COORDINACION)
    assert {"observance.add_meeting", "observance.add_informationrequest"} <= permissions
    assert "observance.change_observatoryprofile" not in permissions


def test_secretaria_keeps_profile_team_and_minutes_but_not_institutions():
    permissions = codenames(roles.SECRETARIA)
    assert {
        "observance.change_observatoryprofile",
        "observance.add_teammember",
        "observance.change_meeting",
    } <= permissions
    assert "institutions.add_institution" not in permissions


def test_secretaria_keeps_the_minutes_of_meetings_but_does_not_log_them():
    permissions = codenames(roles.SECRETARIA)
    assert "observance.change_meeting" in permissions
    assert "observance.add_meeting" not in permissions
    assert "observance.delete_meeting" not in permissions


def test_administracion_holds_every_permission_of_our_apps():
    permissions = codenames(roles.ADMINISTRACION)
    assert {"observance.delete_meeting", "institutions.delete_institution", "auth.change_user"} <= (
        permissions
    )


def test_administracion_sees_and_lifts_lockouts_but_makes_none():
    permissions = codenames(roles.ADMINISTRACION)
    assert {"axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog"} <= (
        permissions
    )
    assert not {"axes.add_accessattempt", "axes.change_accessattempt"} & permissions
