"""The permission matrix: every URL of the app, for every role, for GET and for POST.

Each ``tests/permissions/test_<app>_matrix.py`` module exposes ``MATRIX = [Entry(...), ...]``,
one entry per URL name, and runs it with three lines::

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("entry", MATRIX, ids=str)
    def test_each_role_gets_the_expected_answer(db, client, entry, role):
        check(client, entry, role)

The expected answers, for each method:

- the method's permission is a codename (``"allies.view_ally"``): anonymous visitors are sent
  to the login page; users holding the permission get 200 for GET, and ``post_status`` for
  POST (200: the form is shown again with its errors, for the empty POST the matrix sends;
  302: the action was done); everybody else gets 403.
- the permission is ``None``: the URL does not answer that method. The view still checks the
  other method's permission first, so anonymous visitors are sent to log in, users without
  that permission get 403, and those with it get 405.
- the permission is ``PUBLIC``: everybody, anonymous included, gets 200; a public URL that
  does not answer the other method gives everybody 405.

``test_matrix_complete.py`` fails, naming them, while some URL of the namespaces in
``NAMESPACES`` has no entry in any matrix module.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.urls import reverse

from oppms import roles
from tests.conftest import make_user

NAMESPACES = ["institutions", "allies", "observance", "portal", "search"]
LOGIN_PATH = "/cuentas/login/"
PUBLIC = "public"

# Role name -> the group its user belongs to; None is the anonymous visitor, "" a user
# with an account and no role.
ROLES = {
    "anonymous": None,
    "outsider": "",
    "consulta": roles.CONSULTA,
    "coordinacion": roles.COORDINACION,
    "secretaria": roles.SECRETARIA,
    "administracion": roles.ADMINISTRACION,
}


def no_kwargs():
    return {}


@dataclass(frozen=True)
class Entry:
    name: str
    get: str | None
    post: str | None
    setup: Callable[[], dict] = field(default=no_kwargs, compare=False)
    """Creates the rows the URL needs and returns its kwargs."""
    post_data: Callable[[dict], dict] | None = field(default=None, compare=False)
    """Given the kwargs, the POST body; by default an empty (invalid) POST."""
    post_status: int = 200

    def __str__(self):
        return self.name


def user_for(role):
    group = ROLES[role]
    if group is None:
        return None
    user = make_user(f"matrix-{role}")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without a cached permission set


def expected_status(entry, method, user):
    permission = entry.get if method == "get" else entry.post
    other = entry.post if method == "get" else entry.get
    if permission == PUBLIC:
        return 200
    if permission is None and other == PUBLIC:
        return 405
    if user is None:
        return "login"
    if permission is None:
        return 405 if other == PUBLIC or user.has_perm(other) else 403
    if not user.has_perm(permission):
        return 403
    return 200 if method == "get" else entry.post_status


def check(client, entry, role):
    """Request the entry's URL by GET and by POST as ``role`` and compare with the matrix."""
    user = user_for(role)
    for method in ("get", "post"):
        kwargs = entry.setup()
        url = reverse(entry.name, kwargs=kwargs)
        client.logout()
        if user is not None:
            client.force_login(user)
        expected = expected_status(entry, method, user)
        if method == "get":
            response = client.get(url)
        else:
            data = entry.post_data(kwargs) if entry.post_data else {}
            response = client.post(url, data)
        where = f"{method.upper()} {url} ({entry.name}) as {role}"
        if expected == "login":
            assert response.status_code == 302, f"{where}: {response.status_code}, not 302"
            assert response.url.startswith(LOGIN_PATH), f"{where}: redirected to {response.url}"
            continue
        assert response.status_code == expected, (
            f"{where}: {response.status_code}, expected {expected}"
        )
        if method == "post" and expected == 302:
            assert not response.url.startswith(LOGIN_PATH), f"{where}: sent to log in"
        if method == "post" and expected == 200 and response.context:
            form = response.context.get("form")
            if form is not None:
                assert form.errors, f"{where}: the empty POST was accepted"
