"""The production settings, read off a real gunicorn serving real responses."""

import http.client
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "production-test-key-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f",
    "ALLOWED_HOSTS": "oppms.example.org",
    "BEHIND_TLS_PROXY": "true",
}


def production_env(tmp_path):
    # Not what a production server has: the test database's URL and the browser tests' switch.
    left_out = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in left_out}
    env.update(PRODUCTION, STATIC_ROOT=str(tmp_path / "static"))
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    else:
        env["DATABASE_URL"] = (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        )
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker):
    tmp_path = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        env = production_env(tmp_path)
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True)
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oppms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    # Until it answers, not only listens: gunicorn binds the port before its worker has loaded
    # the application, which on a busy machine takes longer than one request's timeout.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", https=False).status == 200:
                break
        except OSError:
            time.sleep(0.2)
    yield port
    gunicorn.terminate()
    gunicorn.wait(timeout=10)


def get(port, path, https=True):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "oppms.example.org"}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    return response


def test_check_deploy_finds_nothing_to_warn_about(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_plain_http_is_redirected_to_https(server):
    response = get(server, "/cuentas/login/", https=False)
    assert response.status == 301
    assert response.getheader("Location") == "https://oppms.example.org/cuentas/login/"


def test_health_check_answers_over_plain_http_for_the_load_balancer(server):
    assert get(server, "/healthz", https=False).status == 200


def test_pages_forbid_framing_and_sniffing_and_keep_the_referrer_home(server):
    response = get(server, "/cuentas/login/")
    assert response.status == 200
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"


def test_browsers_are_told_to_use_https_for_a_year(server):
    hsts = get(server, "/cuentas/login/").getheader("Strict-Transport-Security")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


def test_cookies_are_secure_and_out_of_reach_of_scripts(server):
    cookie = get(server, "/cuentas/login/").getheader("Set-Cookie")
    assert "csrftoken=" in cookie
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_no_inline_script_or_style_runs_without_the_page_nonce(server):
    policy = get(server, "/cuentas/login/").getheader("Content-Security-Policy")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    # The nonce is added only to responses that use it; a page with none allows none.
    assert directives["script-src"].split(" 'nonce-")[0] == "'self'"
    assert directives["style-src"].split(" 'nonce-")[0] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"
