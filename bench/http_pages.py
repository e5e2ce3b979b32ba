"""Throughput of every page over HTTP, side by side with a bare view and the admin changelist.

Starts gunicorn (2 workers, production settings: DEBUG off, PostgreSQL) on a free loopback
port, logs in through the real login form (CSRF token, session cookie; django-axes is on), and
drives each page with wrk (``-t2 -c32 -d<duration>s``) passing the session cookie. Prints, per
page: requests per second, p50 and p99 latency, the ratio to the bare view and to the admin
meetings changelist, and the machine's 1-minute load average after that page's run.

The bare view (the "anchor") is defined in bench/http_urls.py, the benchmark's own URL
configuration (bench/http_settings.py), never in the application: it goes through the whole
middleware stack, logged in, and runs one query.

Three phases, each in its own database and its own process:
  demo     oppms_http          the demo data (seed_demo)
  large    oppms_http_large    the demo data plus bench/pages.py's 50,000 meetings and 20,000
                               requests over the last five years (created and loaded the first
                               time, then ANALYZEd): its current semester holds about 4,000 of
                               those meetings, so the current report shows a far larger semester
  history  oppms_http_history  the same rows, all dated before the current semester starts: the
                               years of records alone, the current semester the demo's

    apt-get install wrk    # Debian's package; the benchmark needs it on PATH
    .venv/bin/python bench/http_pages.py                   # demo and large, 10 s per page
    .venv/bin/python bench/http_pages.py --phase all       # demo, large and history
    .venv/bin/python bench/http_pages.py --phase large --duration 5
    .venv/bin/python bench/http_pages.py --fresh   # nothing kept: every request computes
    .venv/bin/python bench/http_pages.py --writes 20   # 20 meetings logged a second meanwhile

Pages are kept, rendered, while no record changes (oppms.unchanged): wrk's repeated requests
for one page are then answered from what was kept, as a coordinator's are until someone records
something. ``--fresh`` turns keeping off (KEEP_WHILE_UNCHANGED=false), to measure what a page
costs to compute, as after every write. ``--writes N`` keeps pages but logs N meetings a second
(held an hour ago, like a coordinator's of the day) while every page, the bare view included, is
measured, as bench/load.py's coordinators do: what a kept page costs when its answers must be
checked against new rows, and computed again where they changed. The meetings are named "Bench
write …" and deleted, with their history, at the end of the phase.

The PostgreSQL server comes from DATABASE_URL (its database name is replaced by the phase's);
default postgres://postgres@127.0.0.1:5432/. Everything is bounded: the whole run's length is
printed before it starts, wrk runs for --duration seconds per page, and gunicorn is stopped
(with its workers) on the way out, also on Ctrl-C or an error. Only 127.0.0.1 is contacted.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/"
DATABASES = {"demo": "oppms_http", "large": "oppms_http_large", "history": "oppms_http_history"}
PHASES = {"both": ["demo", "large"], "all": ["demo", "large", "history"]}
PASSWORD = os.environ.get("DEMO_PASSWORD", "oppms-demo-2021")
APP_USER = "secretaria"  # may open every page, the draft report preview included
ADMIN_USER = "admin"  # staff, for the admin's changelist
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANCHOR = "bare view, logged in"
PEER = "admin meetings changelist"
# Migrate, seed, load, start: an upper guess.
SETUP_SECONDS = {"demo": 60, "large": 240, "history": 240}


def pages(meeting_pk, request_pk, year, half):
    """(label, path, session) in the order printed; the anchor first, the peer last."""
    return [
        (ANCHOR, "/bench-anchor/", "app"),
        ("dashboard", "/", "app"),
        ("meetings list", "/reuniones/", "app"),
        ("  filtered", "/reuniones/?modality=virtual", "app"),
        ("  sorted", "/reuniones/?sort=-date", "app"),
        ("requests list", "/solicitudes/", "app"),
        ("  filtered", "/solicitudes/?state=overdue", "app"),
        ("  sorted", "/solicitudes/?sort=-sent", "app"),
        ("institutions list", "/instituciones/", "app"),
        ("  filtered", "/instituciones/?role=executor", "app"),
        ("  sorted", "/instituciones/?sort=-last_meeting", "app"),
        ("processes list", "/procesos/", "app"),
        ("  filtered", "/procesos/?under_way_after=2021-01-01", "app"),
        ("  sorted", "/procesos/?sort=-started", "app"),
        ("recommendations list", "/recomendaciones/", "app"),
        ("  filtered", "/recomendaciones/?compliance=pending", "app"),
        ("  sorted", "/recomendaciones/?sort=institution", "app"),
        ("meeting detail", f"/reuniones/{meeting_pk}/", "app"),
        ("request detail", f"/solicitudes/{request_pk}/", "app"),
        # A form page (the secretaria's: the minutes only), kept like the others, with each
        # request's own CSRF token put in.
        ("meeting edit form", f"/reuniones/{meeting_pk}/editar/", "app"),
        ("report preview", f"/informes/{year}/{half}/", "app"),
        # The semester before, a draft too: its figures are the records' as of its cut-off.
        ("  the semester before", f"/informes/{year - (half == 1)}/{3 - half}/", "app"),
        ("search", "/buscar/?q=agua", "app"),
        (PEER, "/admin/observance/meeting/", "admin"),
    ]


PAGE_COUNT = 24


# --- the parent: runs each phase in its own process, prints the comparison -----------------


def parent(args):
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    phases = PHASES.get(args.phase, [args.phase])
    bound = sum(SETUP_SECONDS[p] + PAGE_COUNT * (args.duration + 3) for p in phases)
    print(
        f"http_pages: phases {', '.join(phases)}; {PAGE_COUNT} pages x {args.duration:.0f} s"
        f" (wrk -t2 -c32); pages {'computed every time' if args.fresh else 'kept while unchanged'}"
        + (f", {args.writes:g} meetings logged a second meanwhile;" if args.writes else ";")
        + f" at most about {bound / 60:.0f} minutes in all",
        flush=True,
    )
    results = {}
    for phase in phases:
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            command = [
                sys.executable,
                __file__,
                "--run-phase",
                phase,
                "--duration",
                str(args.duration),
                "--json",
                out.name,
                "--writes",
                str(args.writes),
            ]
            child = subprocess.Popen(command, cwd=ROOT)
            try:
                code = child.wait()
            except BaseException:
                child.send_signal(signal.SIGTERM)
                child.wait(timeout=30)
                raise
            if code:
                raise SystemExit(f"phase {phase} failed ({code})")
            results[phase] = json.loads(Path(out.name).read_text() or "{}")
    for phase in [p for p in results if p != "demo"] if "demo" in results else []:
        compare(results["demo"]["rows"], results[phase]["rows"], phase)


def compare(demo_rows, rows, phase):
    # The phases run minutes apart, and the machine's own speed drifts between them (the bare
    # view alone has differed by a quarter): each page is also compared as its share of its
    # phase's bare view, the anchor measured beside it.
    print(f"\n{phase} data set / demo data, issue 13 point 1 asks >= 0.9")
    print(f"  {'page':28} {'demo':>8} {phase:>8} {'req/s':>6} {'÷ bare':>7}")
    demo_bare, bare = (phase_rows[0]["rps"] or 1 for phase_rows in (demo_rows, rows))
    for demo, row in zip(demo_rows, rows, strict=True):
        ratio = row["rps"] / demo["rps"] if demo["rps"] else 0
        anchored = ratio * demo_bare / bare
        print(
            f"  {demo['label']:28} {demo['rps']:8.1f} {row['rps']:8.1f} {ratio:6.2f}"
            f" {anchored:7.2f}"
        )


# --- one phase: database, gunicorn, login, wrk ---------------------------------------------


def server_url():
    url = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    return url


def database_url(name):
    url = server_url()
    return urllib.parse.urlunsplit((url.scheme, url.netloc, f"/{name}", url.query, ""))


def ensure_database(name):
    import psycopg2

    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def prepare(phase):
    """Migrate and load the phase's data; return what the pages need to name."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from observance.models import InformationRequest, Meeting
    from reports.trend import semester_of

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    current = semester_of(timezone.localdate())
    if phase in ("large", "history"):
        from bench import pages as loader

        until = current.starts_at if phase == "history" else None
        loader.fill(until=until)
        loader.fill_escalations(until=until)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # A demo record each, the same in every phase: the detail pages of a record with history.
    meeting = Meeting.objects.exclude(purpose__startswith="Bench ").order_by("pk").first()
    request = (
        InformationRequest.objects.exclude(subject__startswith="Bench ").order_by("pk").first()
    )
    counts = f"{Meeting.objects.count()} meetings, {InformationRequest.objects.count()} requests"
    connection.close()
    return meeting.pk, request.pk, current.year, current.half, counts


def free_port():
    # The brief's range first (8104-8109); any free loopback port otherwise.
    for port in range(8104, 8110):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oppms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,  # its own process group: stopped with its workers
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    stop(server)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(port, username):
    """The real login form: its CSRF cookie and token, then the POST; returns the cookies."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar, NoRedirect)
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/cuentas/login/", timeout=30).read().decode()
    token = CSRF_INPUT.search(page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/cuentas/login/", data=body, headers={"Referer": f"{base}/cuentas/login/"}
    )
    try:
        opener.open(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    cookies = {cookie.name: cookie.value for cookie in jar.cookiejar}
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed (HTTP {status})")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def check(port, path, cookie):
    """The page's status, once the server is through the requests wrk left queued."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=CHECK_TIMEOUT)
        return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:  # timed out: a page that slow is reported, not measured
        return f"no answer in {CHECK_TIMEOUT} s ({error})"


CHECK_TIMEOUT = 120

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def run_wrk(port, path, cookie, duration):
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{duration:.0f}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 30,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    problems = []
    if bad:
        problems.append(f"{bad.group(1)} non-2xx")
    if errors:
        problems.append(f"socket errors: {errors.group(1)}")
    return rps, p50, p99, "; ".join(problems)


class MeetingWriter(threading.Thread):
    """Logs ``per_second`` meetings a second through the ORM, as the form saves them (with
    their history), until stopped; the phase's pages are measured meanwhile."""

    def __init__(self, per_second):
        super().__init__(daemon=True)
        self.interval = 1 / per_second
        self.stopped = threading.Event()
        self.written = 0

    def run(self):
        import datetime

        from django.db import connection
        from django.utils import timezone

        from institutions.models import Institution
        from observance.models import Meeting

        institution = Institution.objects.exclude(name__startswith="Bench ").order_by("pk").first()
        try:
            while not self.stopped.wait(self.interval):
                Meeting.objects.create(
                    held_at=timezone.now() - datetime.timedelta(hours=1),
                    modality=Meeting.Modality.VIRTUAL,
                    institution=institution,
                    purpose=f"Bench write {self.written}",
                )
                self.written += 1
        finally:
            connection.close()

    def stop(self):
        self.stopped.set()
        self.join(timeout=30)
        from django.db import connection

        from observance.models import Meeting

        Meeting.objects.filter(purpose__startswith="Bench write ").delete()
        # After the meetings: deleting them records their deletion in their history.
        Meeting.history.filter(purpose__startswith="Bench write ").delete()
        connection.close()


def run_phase(phase, duration, json_path, writes):
    name = DATABASES[phase]
    ensure_database(name)
    os.environ["DATABASE_URL"] = database_url(name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.http_settings"
    # Production's settings, as bench/load.py runs them, over plain HTTP on loopback.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "http-bench-only-not-a-secret-7d2e9a4c1b8f6e3d5a0c")
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["SECURE_COOKIES"] = "false"
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "oppms-http-static"))
    sys.path.insert(0, str(ROOT))

    started = time.monotonic()
    meeting_pk, request_pk, year, half, counts = prepare(phase)
    print(f"\n== {phase}: database {name}, {counts}; loaded in {time.monotonic() - started:.0f} s")
    port = free_port()
    server = start_gunicorn(port)
    writer = MeetingWriter(writes) if writes else None
    rows = []
    try:
        cookies = {"app": log_in(port, APP_USER), "admin": log_in(port, ADMIN_USER)}
        print(
            f"gunicorn, 2 workers, on 127.0.0.1:{port}; wrk -t2 -c32 -d{duration:.0f}s"
            + (f"; {writes:g} meetings logged a second meanwhile" if writes else "")
        )
        if writer:
            writer.start()
        print(
            f"{'page':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ bare':>7} {'÷ admin':>8}"
            f" {'load':>5}"
        )
        measured = []
        for label, path, session in pages(meeting_pk, request_pk, year, half):
            status = check(port, path, cookies[session])
            if status != 200:
                print(f"  … {label} ({path}): {status}, not 200: not measured", flush=True)
                measured.append((label, path, 0.0, 0.0, 0.0, os.getloadavg()[0], f"{status}"))
                continue
            rps, p50, p99, problems = run_wrk(port, path, cookies[session], duration)
            load = os.getloadavg()[0]
            measured.append((label, path, rps, p50, p99, load, problems))
            print(f"  … {label}: {rps:.1f} req/s (load {load:.2f})", flush=True)
        bare = measured[0][2] or 1
        peer = measured[-1][2] or 1
        print()
        print(
            f"{'page':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ bare':>7} {'÷ admin':>8}"
            f" {'load':>5}"
        )
        for label, path, rps, p50, p99, load, problems in measured:
            print(
                f"{label:28} {rps:8.1f} {p50:8.1f} {p99:8.1f} {rps / bare:7.2f} {rps / peer:8.2f}"
                f" {load:5.2f}" + (f"  ({problems})" if problems else "")
            )
            rows.append({"label": label, "path": path, "rps": rps, "p50": p50, "p99": p99})
    finally:
        if writer:
            writer.stop()
            print(f"{writer.written} meetings logged meanwhile, deleted since")
        stop(server)
    Path(json_path).write_text(json.dumps({"rows": rows}))


def interrupted(_signal, _frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=[*DATABASES, *PHASES], default="both")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of wrk per page")
    parser.add_argument(
        "--fresh", action="store_true", help="keep nothing: every request computes its page"
    )
    parser.add_argument(
        "--writes",
        type=float,
        default=0,
        help="meetings logged a second while the pages are measured (they are kept meanwhile)",
    )
    parser.add_argument("--run-phase", choices=list(DATABASES), help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C, so that every `finally` stops what it started (and Ctrl-C
    # does even when started in the background, where SIGINT comes ignored).
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    if args.fresh:
        os.environ["KEEP_WHILE_UNCHANGED"] = "false"  # inherited by the phases and gunicorn
    if args.run_phase:
        run_phase(args.run_phase, args.duration, args.json or os.devnull, args.writes)
    else:
        parent(args)


if __name__ == "__main__":
    main()
