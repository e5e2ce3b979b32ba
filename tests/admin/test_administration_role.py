"""The Administración role: it lifts lockouts, and cannot grant what it does not hold."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from oppms import roles
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/cuentas/login/"


def fail_five_logins(username):
    for _ in range(5):
        Client().post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")


def logs_in(username):
    response = Client().post(
        LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    return response.status_code == 302


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", PASSWORD))
    return client


@pytest.fixture
def somebody(db):
    return make_user("gina", roles.CONSULTA, first_name="Gina")


@pytest.fixture
def add_permission_permission():
    """A permission outside every role: to create permissions."""
    return Permission.objects.get(content_type__app_label="auth", codename="add_permission")


def user_change(client, user, **changes):
    """Post the user's change page as it stands, with ``changes``."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": joined.strftime("%d/%m/%Y"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": list(user.user_permissions.values_list("pk", flat=True)),
    }
    data |= {
        flag: "on" for flag in ("is_active", "is_staff", "is_superuser") if getattr(user, flag)
    }
    url = reverse("admin:auth_user_change", args=[user.pk])
    return client.post(url, data | changes)


def group_change(client, group, **changes):
    data = {"name": group.name, "permissions": list(group.permissions.values_list("pk", flat=True))}
    url = reverse("admin:auth_group_change", args=[group.pk])
    return client.post(url, data | changes)


def field_errors(response, field):
    return [str(error) for error in response.context["adminform"].form.errors.get(field, [])]


def test_an_administrator_sees_a_lockout_in_the_admin(admin_client_user, coordinator):
    fail_five_logins(coordinator.username)

    index = admin_client_user.get(reverse("admin:app_list", args=["axes"]))
    listing = admin_client_user.get(reverse("admin:axes_accessattempt_changelist"))

    assert index.status_code == 200
    assert listing.status_code == 200
    page = listing.content.decode()
    assert coordinator.username in page
    assert "Intentos de acceso" in page and "Bloqueado" in page  # axes has no Spanish of its own
    attempt = AccessAttempt.objects.get()
    detail = admin_client_user.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    assert detail.status_code == 200


def test_an_administrator_deleting_the_lockout_lets_the_user_in_again(
    admin_client_user, coordinator
):
    fail_five_logins(coordinator.username)
    assert not logs_in(coordinator.username)
    attempt = AccessAttempt.objects.get()

    response = admin_client_user.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert logs_in(coordinator.username)


def test_an_administrator_sees_the_login_logs_but_adds_nothing_there(admin_client_user):
    for name in ("accesslog", "accessfailurelog"):
        assert admin_client_user.get(reverse(f"admin:axes_{name}_changelist")).status_code == 200
    assert admin_client_user.get(reverse("admin:axes_accessattempt_add")).status_code == 403


def test_an_administrator_cannot_make_a_superuser(admin_client_user, somebody):
    response = user_change(admin_client_user, somebody, is_superuser="on", first_name="Gin")

    assert response.status_code == 200
    assert field_errors(response, "is_superuser") == [
        "Solo un superusuario puede convertir a otro usuario en superusuario."
    ]
    somebody.refresh_from_db()
    assert (somebody.is_superuser, somebody.first_name) == (False, "Gina")


def test_an_administrator_cannot_give_a_user_a_permission_outside_the_role(
    admin_client_user, somebody, add_permission_permission
):
    response = user_change(
        admin_client_user, somebody, user_permissions=[add_permission_permission.pk]
    )

    assert response.status_code == 200
    errors = field_errors(response, "user_permissions")
    assert len(errors) == 1 and errors[0].startswith("No puede otorgar permisos que usted no tiene")
    assert "Can add permission" in errors[0]
    assert not somebody.user_permissions.exists()


def test_an_administrator_cannot_give_a_group_a_permission_outside_the_role(
    admin_client_user, add_permission_permission
):
    group = Group.objects.get(name=roles.CONSULTA)
    before = set(group.permissions.values_list("pk", flat=True))
    chosen = [*before, add_permission_permission.pk]

    response = group_change(admin_client_user, group, permissions=chosen)

    assert response.status_code == 200
    assert field_errors(response, "permissions")
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_an_administrator_cannot_add_a_user_to_a_group_holding_more(
    admin_client_user, somebody, add_permission_permission
):
    powerful = Group.objects.create(name="Permisos")
    powerful.permissions.add(add_permission_permission)

    response = user_change(
        admin_client_user,
        somebody,
        groups=[*somebody.groups.values_list("pk", flat=True), powerful.pk],
    )

    assert response.status_code == 200
    assert "Permisos" in field_errors(response, "groups")[0]
    assert not somebody.groups.filter(pk=powerful.pk).exists()


def test_an_administrator_grants_what_the_role_holds(admin_client_user, somebody):
    change_meeting = Permission.objects.get(codename="change_meeting")
    coordination = Group.objects.get(name=roles.COORDINACION)

    response = user_change(
        admin_client_user,
        somebody,
        user_permissions=[change_meeting.pk],
        groups=[coordination.pk],
        is_staff="on",
    )

    assert response.status_code == 302
    somebody.refresh_from_db()
    assert somebody.has_perm("observance.change_meeting") and somebody.is_staff
    assert list(somebody.groups.all()) == [coordination]


def test_an_administrator_cannot_take_over_a_user_who_holds_more_than_the_role(
    admin_client_user, somebody, add_permission_permission
):
    somebody.user_permissions.add(add_permission_permission)  # granted by a superuser

    response = user_change(admin_client_user, somebody, first_name="G", user_permissions=[])

    assert response.status_code == 403
    somebody.refresh_from_db()
    assert somebody.first_name == "Gina" and somebody.user_permissions.exists()


def test_an_administrator_cannot_change_or_delete_a_superuser(admin_client_user):
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)

    change = user_change(admin_client_user, root, first_name="Intruso")
    password = admin_client_user.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "taken-over-2026", "password2": "taken-over-2026"},
    )
    delete = admin_client_user.post(
        reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"}
    )
    bulk = admin_client_user.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [root.pk], "post": "yes"},
    )

    assert (change.status_code, password.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code == 403
    root.refresh_from_db()
    assert root.first_name == "" and root.check_password(PASSWORD)


def test_a_superuser_can_make_a_superuser_and_grant_any_permission(
    superuser_client, somebody, add_permission_permission
):
    response = user_change(
        superuser_client,
        somebody,
        is_superuser="on",
        user_permissions=[add_permission_permission.pk],
    )
    group = Group.objects.get(name=roles.CONSULTA)
    group_response = group_change(
        superuser_client, group, permissions=[add_permission_permission.pk]
    )

    assert (response.status_code, group_response.status_code) == (302, 302)
    somebody.refresh_from_db()
    assert somebody.is_superuser
    assert somebody.user_permissions.get() == add_permission_permission
    assert group.permissions.get() == add_permission_permission
