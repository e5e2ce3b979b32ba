"""Load test: gunicorn (2 workers) on PostgreSQL, 32 simulated coordinators, over loopback.

Each simulated user logs in and, for the duration, mixes the dashboard, the lists, detail pages,
logging a meeting and the report preview. Prints requests per second, p50/p95/p99 latency and the
errors. With --restart-db, PostgreSQL is stopped a third of the way in and started again a few
seconds later: requests during the outage must fail cleanly (503, no traceback), the application
must recover by itself, and every meeting acknowledged as saved must be in the database after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_load .venv/bin/python bench/load.py
    DATABASE_URL=... .venv/bin/python bench/load.py --restart-db

Everything is bounded: the run stops by itself after --duration seconds; every request has a
10-second timeout; only 127.0.0.1 is contacted.
"""

import argparse
import collections
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppms.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "load-test-only-not-a-secret-3c1f0e9d8b7a6c5d4e3f2a1b")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "oppms-load-static"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from institutions.models import Institution  # noqa: E402
from observance.models import InformationRequest, Meeting  # noqa: E402

# The secretaria may do everything the mix needs: log meetings and preview the draft report.
DEMO_USER = "secretaria"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_cluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
    )


class Session:
    """One simulated user: a keep-alive connection and a cookie jar."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = None

    def request(self, method, path, body=None):
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content

    def log_in(self, password):
        _status, _location, page = self.request("GET", "/cuentas/login/")
        token = CSRF_INPUT.search(page.decode()).group(1)
        status, _location, _page = self.request(
            "POST",
            "/cuentas/login/",
            {"username": DEMO_USER, "password": password, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise SystemExit(f"login as {DEMO_USER} failed ({status}); run seed_demo first")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (finished at, seconds, action, status, clean)
        self.acknowledged_meetings = []

    def add(self, action, started, status, content=b""):
        finished = time.monotonic()
        clean = status != 500 and b"Traceback" not in content
        with self.lock:
            self.samples.append((finished, finished - started, action, status, clean))


def simulated_user(port, password, stop_at, targets, results, rng):
    session = Session(port)
    session.log_in(password)
    actions = [
        ("dashboard", 20),
        ("meeting list", 15),
        ("request list", 10),
        ("institution list", 10),
        ("ally list", 5),
        ("detail page", 20),
        ("log a meeting", 10),
        ("report preview", 5),
        ("filtered list", 5),
    ]
    names, weights = zip(*actions, strict=True)
    while time.monotonic() < stop_at:
        action = rng.choices(names, weights)[0]
        started = time.monotonic()
        try:
            status, content = run_action(session, action, targets, results, rng)
        except (http.client.HTTPException, OSError):
            status, content = 0, b""
        results.add(action, started, status, content)


def run_action(session, action, targets, results, rng):
    if action == "dashboard":
        return session.request("GET", "/")[::2]
    if action == "meeting list":
        return session.request("GET", f"/reuniones/?page={rng.randint(1, 2)}")[::2]
    if action == "request list":
        return session.request("GET", "/solicitudes/?state=overdue")[::2]
    if action == "institution list":
        return session.request("GET", "/instituciones/")[::2]
    if action == "ally list":
        return session.request("GET", "/aliados/")[::2]
    if action == "filtered list":
        return session.request("GET", "/reuniones/?modality=virtual&held_after=2021-01-01")[::2]
    if action == "report preview":
        return session.request("GET", "/informes/2021/1/")[::2]
    if action == "detail page":
        kind = rng.choice(("meeting", "institution", "request"))
        path = {
            "meeting": "/reuniones/{}/",
            "institution": "/instituciones/{}/",
            "request": "/solicitudes/{}/",
        }[kind].format(rng.choice(targets[kind]))
        return session.request("GET", path)[::2]
    # Log a meeting: the form, then the POST; a redirect to the new meeting is the
    # acknowledgement the user sees.
    status, _location, page = session.request("GET", "/reuniones/nueva/")
    if status != 200:
        return status, page
    token = CSRF_INPUT.search(page.decode()).group(1)
    purpose = f"Carga {uuid.uuid4().hex}"
    status, location, content = session.request(
        "POST",
        "/reuniones/nueva/",
        {
            "csrfmiddlewaretoken": token,
            "held_at": "2021-05-14T10:30",
            "modality": "virtual",
            "institution": rng.choice(targets["institution"]),
            "purpose": purpose,
        },
    )
    if status == 302 and "/reuniones/" in location:
        with results.lock:
            results.acknowledged_meetings.append(purpose)
    return status, content


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def report(results, duration, outage):
    samples = results.samples
    latencies = [seconds * 1000 for _f, seconds, _a, status, _c in samples if status]
    statuses = collections.Counter(status for *_rest, status, _clean in samples)
    unclean = sum(1 for *_rest, clean in samples if not clean)
    print(f"requests: {len(samples)} in {duration:.0f} s = {len(samples) / duration:.1f} req/s")
    print(
        f"latency ms: p50 {percentile(latencies, 0.50):.0f}, p95 {percentile(latencies, 0.95):.0f},"
        f" p99 {percentile(latencies, 0.99):.0f}, mean {statistics.fmean(latencies or [0]):.0f}"
    )
    print(
        "answers: "
        + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items()))
    )
    errors = sum(n for code, n in statuses.items() if code not in (200, 302))
    print(f"errors: {errors} (answers other than 200/302); unclean (500 or traceback): {unclean}")
    by_action = collections.defaultdict(list)
    for _f, seconds, action, status, _c in samples:
        if status in (200, 302):
            by_action[action].append(seconds * 1000)
    for action, values in sorted(by_action.items()):
        print(
            f"  {action:18} n={len(values):5d}  p50 {percentile(values, 0.5):6.0f}"
            f"  p95 {percentile(values, 0.95):6.0f}"
        )
    if outage:
        down, up = outage
        during = [s for s in samples if down <= s[0] <= up + 2]
        after = [s for s in samples if s[0] > up]
        first_ok = min((s[0] for s in after if s[3] == 200), default=None)
        print(
            f"outage: {up - down:.1f} s; answers during it: "
            + ", ".join(
                f"{c or 'no answer'}: {n}"
                for c, n in sorted(collections.Counter(s[3] for s in during).items())
            )
        )
        if first_ok is None:
            print("recovery: NONE — no successful answer after PostgreSQL came back")
        else:
            print(f"recovery: first 200 {first_ok - up:.1f} s after PostgreSQL was back")
    saved = set(
        Meeting.objects.filter(purpose__in=results.acknowledged_meetings).values_list(
            "purpose", flat=True
        )
    )
    missing = len(results.acknowledged_meetings) - len(saved)
    print(
        f"meetings acknowledged as saved: {len(results.acknowledged_meetings)};"
        f" missing afterwards: {missing}"
    )
    return 1 if (unclean or missing) else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--restart-db", action="store_true", help="stop and start PostgreSQL mid-way"
    )
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL database: the load test is for production's database."
        )

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    password = os.environ.get("DEMO_PASSWORD", "oppms-demo-2021")
    targets = {
        "meeting": list(Meeting.objects.values_list("pk", flat=True)[:200]),
        "institution": list(Institution.objects.values_list("pk", flat=True)[:200]),
        "request": list(InformationRequest.objects.values_list("pk", flat=True)[:200]),
    }
    connection.close()

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oppms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"gunicorn with {args.workers} workers on 127.0.0.1:{port}, {connection.vendor}, "
            f"{args.users} users for {args.duration:.0f} s"
            + (f", PostgreSQL down for {args.outage:.0f} s mid-way" if args.restart_db else "")
        )
        results = Results()
        started = time.monotonic()
        stop_at = started + args.duration
        threads = [
            threading.Thread(
                target=simulated_user,
                args=(port, password, stop_at, targets, results, random.Random(n)),
                daemon=True,
            )
            for n in range(args.users)
        ]
        for thread in threads:
            thread.start()
        outage = None
        if args.restart_db:
            time.sleep(args.duration / 3)
            down = time.monotonic()
            postgres_cluster("stop")
            time.sleep(args.outage)
            postgres_cluster("start")
            outage = (down, time.monotonic())
        for thread in threads:
            thread.join(timeout=args.duration + 30)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=15)
    sys.exit(report(results, elapsed, outage))


if __name__ == "__main__":
    main()
