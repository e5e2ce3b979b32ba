"""Fixtures shared by every test: one user per role, logged-in clients."""

import warnings

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.utils import translation

from oppms import roles

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords hashed with MD5 in tests; PBKDF2's million rounds stay production's.

    Each PBKDF2 hash takes 0.4 s: with a user or two made by most tests (and every demo seeded
    with its seven), it was the larger part of the suite's time. What the tests check is which
    password logs in, not how slowly it is hashed; servers started apart (gunicorn, with the
    production settings) hash as production does.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def spanish_to_begin_with():
    """Each test starts in the app's language, whatever the previous one's last page spoke.

    The language middleware activates each request's language in its thread and leaves it
    there (a streamed download is rendered after the view returns); a test that switched to
    English must not leave English to the next test's own calls to gettext.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(username, group_name=None, **extra):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, **extra)
    if group_name:
        if not Group.objects.filter(name=group_name).exists():
            # Transactional tests empty the tables the roles migration filled.
            roles.sync_roles(django_apps)
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def coordinator(db):
    """Alice coordinates: she logs meetings and requests."""
    return make_user("alice", roles.COORDINACION)


@pytest.fixture
def secretary(db):
    """Bob is the secretaria: profile, team, minutes and reports."""
    return make_user("bob", roles.SECRETARIA)


@pytest.fixture
def administrator(db):
    """Charlie administers: the Django admin and everything in it."""
    return make_user("charlie", roles.ADMINISTRACION, is_staff=True)


@pytest.fixture
def reader(db):
    """Dana is a Consulta user: reads, changes nothing."""
    return make_user("dana", roles.CONSULTA)


@pytest.fixture
def outsider(db):
    """Eve has an account and no role at all."""
    return make_user("eve")


def client_for(client, user):
    client.force_login(user)
    return client


def logged_in(user, **client_options):
    """A client of its own, logged in as ``user``: several readers in one test."""
    return client_for(Client(**client_options), user)


@pytest.fixture
def coordinator_client(client, coordinator):
    return client_for(client, coordinator)


@pytest.fixture
def secretary_client(client, secretary):
    return client_for(client, secretary)


@pytest.fixture
def admin_client_user(client, administrator):
    return client_for(client, administrator)


@pytest.fixture
def reader_client(client, reader):
    return client_for(client, reader)


def edit_version(record):
    """The version an edit page carries for ``record``: what a form posted from it sends."""
    latest = record.history.order_by("-history_date", "-history_id").first()
    return {"_edit_version": str(latest.history_id) if latest else ""}


@pytest.fixture(scope="session", autouse=True)
def no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """Before PostgreSQL's test database is dropped, name and end any session still on it.

    Something occasionally still holds one at the end of a run, and the drop then fails with
    only "being accessed by other users". This says who it was, and lets the drop go through.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, backend_start, left(query, 200), "
            "pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        left_open = cursor.fetchall()
    if left_open:
        warnings.warn(
            f"Sessions left open on the test database, now ended: {left_open}", stacklevel=2
        )
