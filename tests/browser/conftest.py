"""Browser tests drive Debian's Chromium through Playwright.

They skip where Chromium is absent, except when OPPMS_REQUIRE_BROWSER is set (CI sets it),
where its absence is a failure.
"""

import os
import shutil
import threading
import time

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; Django would then refuse the ORM
# calls the tests make to set up and check data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# One patience for actions and for expect(). On a machine loaded with other work, a page of the
# live server was seen to take 15 s to answer (the admin's changelist, with its 20 static files),
# failing tests that pass alone in 2 s: patience costs nothing to a passing test.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def wait_for_live_server_requests(timeout=10):
    """Let the live server finish the requests the closed browser context left behind.

    Each connection is served in its own daemon thread that holds a database connection until
    the socket closes. Left running, such a thread could write after the test's database flush
    (leaking rows into the next test) or keep the test database open when pytest drops it.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout)


class CachedStaticFilesHandler(StaticFilesHandler):
    """Static files that a browser context keeps: Django's ``serve`` sends no lifetime, so
    each page of the hundreds a whole-site test visits asked for its styles and scripts again
    (the admin's, twenty of them), through the live server's threads."""

    def serve(self, request):
        response = super().serve(request)
        response["Cache-Control"] = "max-age=3600"
        return response


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, its static files served with a lifetime."""
    server = LiveServer(
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost",
        start=False,
    )
    server.thread.static_handler = CachedStaticFilesHandler
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def bare_chromium():
    """The browser, for pages given their text: no live server, so a test using it alone runs
    in a transaction rolled back at its end, not one that empties every table."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium)."
        if os.environ.get("OPPMS_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def chromium(bare_chromium, live_server):
    """The browser, for the live server's pages (pytest-django makes each test that holds the
    live server transactional: the server's threads see what the test commits).

    Each context on the server's pages is closed, and the requests it left are let finish,
    when its fixture ends (``open_page``, ``site_pages.open_role_pages``): no socket is left
    for the server's last threads when it stops, whichever of the two closes first.
    """
    yield bare_chromium
    wait_for_live_server_requests()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, what the browser was showing: its address and its text.

    A browser test that fails only now and then on a loaded machine can seldom be replayed;
    the page it ended on (a form's error, a 500, a page not yet replaced) says why.
    """
    report = yield
    page = item.funcargs.get("page") or item.funcargs.get("phone_page")
    if report.failed and call.when == "call" and page is not None and not page.is_closed():
        try:
            shown = f"{page.url}\n{page.locator('body').inner_text(timeout=2_000)}"
        except Exception as error:  # noqa: BLE001 - the report must not hide the test's failure
            shown = f"(the page could not be read: {error})"
        report.sections.append(("the browser's last page", shown))
        report.sections.append(("the browser's last requests", "\n".join(page.traffic[-30:])))
    return report


def record_traffic(page):
    """Keep, on ``page.traffic``, each request the page made and how it ended, timed."""
    page.traffic = []
    started = time.monotonic()

    def note(text):
        page.traffic.append(f"{time.monotonic() - started:7.2f}s {text}")

    page.on("request", lambda request: note(f"→ {request.method} {request.url}"))
    page.on("response", lambda response: note(f"← {response.status} {response.url}"))
    page.on("requestfailed", lambda request: note(f"✗ {request.url} {request.failure}"))
    page.on("console", lambda message: note(f"console {message.type}: {message.text}"))


def open_page(chromium, live_server, **context_options):
    """A page in a fresh browser context (its own cookies), closed after the test."""
    # Reduced motion, as Bootstrap honours it, makes a collapse open at once: a click on a
    # button still sliding open (Playwright clicks faster than a hand) was seen to focus the
    # button and never submit its form, about one time in twenty.
    context = chromium.new_context(
        locale="es-EC", base_url=live_server.url, reduced_motion="reduce", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    record_traffic(page)
    yield page
    context.close()
    wait_for_live_server_requests()


@pytest.fixture
def page(chromium, live_server):
    yield from open_page(chromium, live_server)


@pytest.fixture
def phone_page(chromium, live_server):
    """A page 375 px wide, as on a phone right after leaving a meeting."""
    yield from open_page(
        chromium,
        live_server,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


def log_in(page, username, password):
    page.goto("/cuentas/login/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    # Wait for the redirect, or the test's next page.goto races the login's own navigation.
    page.wait_for_url(lambda url: "/cuentas/login/" not in url)
