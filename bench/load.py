"""Load test: gunicorn on PostgreSQL, 32 simulated coordinators, over loopback.

Each simulated user logs in (before the clock starts: a login hashes the password with PBKDF2,
deliberately slow, and its figures are printed apart) and, for the duration, mixes the
dashboard, the lists, detail pages, logging a meeting (the form, then its POST: two requests,
each counted and timed) and the report preview. Prints requests per second, p50/p95/p99
latency, the errors and the machine's load average. First, for
--anchor seconds, the same users ask only for a bare view (bench/http_urls.py: the whole
middleware stack, logged in, one query): the anchor, what this machine, this client and
gunicorn give at best, printed in the same run as the mix. With --restart-db,
PostgreSQL is stopped a third of the way in and started again a few seconds later: requests
during the outage must fail cleanly (503, no traceback), the application must recover by
itself, and every meeting acknowledged as saved must be in the database after.

With --instances 2, two gunicorn instances (one worker each unless --workers says otherwise)
share PostgreSQL and one MEDIA_ROOT, each with its own temporary folder as if on its own
machine, behind one address: HAProxy (Debian's package: `apt-get install -y haproxy`) balancing
round-robin per request, without stickiness. After the load it checks, through one instance and
then the other, that nothing depends on a single process: a login made on one is a login on the
other, and a logout too; a file uploaded through one downloads through the other; the report
preview's figures kept by one count a meeting logged through the other; a report finalized
through one is final through the other; failed logins count across both for django-axes'
lockout.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppms_load .venv/bin/python bench/load.py
    DATABASE_URL=... .venv/bin/python bench/load.py --instances 2
    DATABASE_URL=... .venv/bin/python bench/load.py --restart-db

Everything is bounded: the run stops by itself after --duration seconds; every request has a
10-second timeout (a login 60 s); only 127.0.0.1 is contacted, on ports 8110 to 8119; every
process started is stopped, and the checks' records are removed afterwards.
"""

import argparse
import collections
import hashlib
import http.client
import io
import os
import random
import re
import shutil
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
# One media folder for this run, shared by every instance and by this script's checks.
OWN_MEDIA_ROOT = "MEDIA_ROOT" not in os.environ
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="oppms-load-media-"))

import django  # noqa: E402

django.setup()

from axes.models import AccessAttempt, AccessFailureLog  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from institutions.models import Institution  # noqa: E402
from observance.models import InformationRequest, Meeting  # noqa: E402
from reports.models import CountedRecord, SemiannualReport  # noqa: E402

# Coordinators log meetings and keep the records: the mix is theirs. A draft report is the
# secretaria's to see (and to finalize, in the cluster checks): the mix's report previews are
# made by her, one login whose session every simulated user shares for them.
DEMO_USER = "coordinacion"
FINALIZING_USER = "secretaria"
# The semester the cluster checks finalize: ended, with demo records, not the one the mix previews.
CHECK_PERIOD = (2021, 2)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# This script's ports (the project's convention gives the load test 8110 to 8119): the one
# address the users talk to, then the instances behind it when there are several.
FRONT_PORT = 8110
REQUEST_TIMEOUT = 10
ANCHOR_PATH = "/bench-anchor/"
# A login hashes the password (PBKDF2, 1,000,000 rounds): under load it waits its turn.
LOGIN_TIMEOUT = 60


def port_is_free(port):
    with socket.socket() as probe:
        # As gunicorn and HAProxy bind: a connection of a previous run in TIME_WAIT is no user.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on 127.0.0.1:{port} after {seconds} s")


def load_average():
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


# What each part cost in CPU time, read from Linux's /proc: a figure per request that, unlike
# requests per second, does not fall when another tenant of the same host takes its cores
# (``steal``: time the virtual machine waited for the host).


def _process_table():
    """``{pid: (parent pid, name, CPU seconds)}`` of every process."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)
    return table


class CpuMeter:
    """CPU seconds spent by the gunicorn processes (those started and their children), by
    PostgreSQL's processes and by this script, and the host's steal, since ``start()``."""

    def __init__(self, servers):
        self.servers = {process.pid for process in servers}

    def read(self):
        table = _process_table()
        app = {pid for pid in table if pid in self.servers or table[pid][0] in self.servers}
        own = os.times()
        with open("/proc/stat") as stat:
            total = [int(value) for value in stat.readline().split()[1:]]
        return {
            "gunicorn": sum(table[pid][2] for pid in app),
            "postgres": sum(cpu for _p, name, cpu in table.values() if name == "postgres"),
            "client": own.user + own.system,
            "steal": (total[7], sum(total)),
        }

    def start(self):
        self.started = self.read()

    def summary(self, requests):
        now = self.read()
        per = {
            part: 1000 * (now[part] - self.started[part]) / max(requests, 1)
            for part in ("gunicorn", "postgres", "client")
        }
        steal, ticks = (now["steal"][n] - self.started["steal"][n] for n in (0, 1))
        return (
            f"CPU ms per request: gunicorn {per['gunicorn']:.2f}, PostgreSQL {per['postgres']:.2f}"
            f" (server {per['gunicorn'] + per['postgres']:.2f}), this client {per['client']:.2f};"
            f" host steal {100 * steal / max(ticks, 1):.1f} %"
        )


def postgres_cluster(action):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        capture_output=True,
    )


def multipart(fields, files):
    """A multipart/form-data body and its type; ``files`` maps a name to (filename, bytes)."""
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        body.write(f"--{boundary}\r\n{disposition}\r\n\r\n".encode())
        body.write(f"{value}\r\n".encode())
    for name, (filename, content) in files.items():
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
            f' filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        body.write(content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"


class Session:
    """One simulated user: a keep-alive connection and a cookie jar."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.connection = None
        self.instance = ""  # which instance answered the last request, behind the balancer

    def via(self, port):
        """Go on with the same cookies through another address."""
        if self.connection is not None:
            self.connection.close()
        self.connection = None
        self.port = port
        return self

    def request(self, method, path, body=None, files=None, timeout=REQUEST_TIMEOUT):
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if files:
            body, headers["Content-Type"] = multipart(body or {}, files)
        elif body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None:
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=timeout
                )
            try:
                self.connection.timeout = timeout
                if self.connection.sock is not None:
                    self.connection.sock.settimeout(timeout)
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
        self.instance = response.getheader("X-Oppms-Instance", "")
        return response.status, response.getheader("Location", ""), content

    def token(self, path):
        status, _location, page = self.request("GET", path)
        found = CSRF_INPUT.search(page.decode())
        if status != 200 or not found:
            raise RuntimeError(f"GET {path}: {status}, no form to post")
        return found.group(1)

    def log_meeting(self, institution, purpose, files=None, token=None):
        """The meeting form (unless its ``token`` was read already), then its POST: (status,
        location, content); a redirect to the new meeting is the acknowledgement the user sees."""
        token = token or self.token("/reuniones/nueva/")
        fields = {
            "csrfmiddlewaretoken": token,
            "held_at": "2021-05-14T10:30",
            "modality": "virtual",
            "institution": institution,
            "purpose": purpose,
        }
        return self.request("POST", "/reuniones/nueva/", fields, files=files)

    def try_log_in(self, username, password, timeout=LOGIN_TIMEOUT):
        """The status of the login form's answer: 302 when logged in."""
        token = self.token("/cuentas/login/")
        status, _location, _page = self.request(
            "POST",
            "/cuentas/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
            timeout=timeout,
        )
        return status

    def log_in(self, password, username=DEMO_USER):
        status = self.try_log_in(username, password)
        if status != 302:
            raise RuntimeError(f"login as {username} failed ({status}); run seed_demo first")


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (finished at, seconds, action, status, clean)
        self.acknowledged_meetings = []
        self.instances = collections.Counter()
        self.logins = []  # seconds per login, before the clock
        self.failures = collections.Counter()

    def add(self, action, started, status, content=b"", instance=""):
        finished = time.monotonic()
        clean = status != 500 and b"Traceback" not in content
        with self.lock:
            self.samples.append((finished, finished - started, action, status, clean))
            if instance:
                self.instances[instance] += 1


def log_in_user(port, password, results, gate, username=DEMO_USER):
    """A logged-in session, or None; at most as many logins at a time as there are workers."""
    session = Session(port)
    with gate:
        started = time.monotonic()
        try:
            session.log_in(password, username=username)
        except (http.client.HTTPException, OSError, RuntimeError) as error:
            with results.lock:
                results.failures[f"login: {error}"] += 1
            return None
        with results.lock:
            results.logins.append(time.monotonic() - started)
    return session


def anchor_user(session, stop_at, results):
    """The anchor: the same user asking only for the bare view (bench/http_urls.py), which
    goes through the whole middleware stack logged in and runs one query. What this machine,
    this client and gunicorn give at best, measured in the same run as the mix."""
    while time.monotonic() < stop_at:
        started = time.monotonic()
        try:
            status, content = session.request("GET", ANCHOR_PATH)[::2]
        except (http.client.HTTPException, OSError) as error:
            status, content = 0, b""
            with results.lock:
                results.failures[f"anchor: {type(error).__name__}"] += 1
        results.add("bare view", started, status, content, session.instance)


def simulated_user(session, reviewer_cookies, stop_at, targets, results, rng):
    reviewer = Session(session.port)
    reviewer.cookies = dict(reviewer_cookies)
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
            if action == "report preview":
                status, content = reviewer.request("GET", "/informes/2021/1/")[::2]
            elif action == "log a meeting":
                # Two requests, each its own sample: the form, then its POST.
                token = session.token("/reuniones/nueva/")
                results.add("meeting form", started, 200, b"", session.instance)
                started = time.monotonic()
                status, content = log_meeting(session, token, targets, results, rng)
            else:
                status, content = run_action(session, action, targets, results, rng)
        except (http.client.HTTPException, OSError, RuntimeError) as error:
            status, content = 0, b""
            with results.lock:
                results.failures[f"{action}: {type(error).__name__}"] += 1
        answered_by = reviewer.instance if action == "report preview" else session.instance
        results.add(action, started, status, content, answered_by)


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
    if action == "detail page":
        kind = rng.choice(("meeting", "institution", "request"))
        path = {
            "meeting": "/reuniones/{}/",
            "institution": "/instituciones/{}/",
            "request": "/solicitudes/{}/",
        }[kind].format(rng.choice(targets[kind]))
        return session.request("GET", path)[::2]
    raise ValueError(action)


def log_meeting(session, token, targets, results, rng):
    purpose = f"Carga {uuid.uuid4().hex}"
    status, location, content = session.log_meeting(
        rng.choice(targets["institution"]), purpose, token=token
    )
    if status == 302 and "/reuniones/" in location:
        with results.lock:
            results.acknowledged_meetings.append(purpose)
    return status, content


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def report_anchor(results, duration, cpu):
    latencies = [seconds * 1000 for _f, seconds, _a, status, _c in results.samples if status]
    errors = sum(1 for *_rest, status, _clean in results.samples if status != 200)
    print(
        f"anchor (bare view, same users): {len(results.samples) / duration:.1f} req/s,"
        f" p50 {percentile(latencies, 0.50):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms,"
        f" errors {errors}; {load_average()}"
    )
    print(f"  anchor's {cpu.summary(len(results.samples))}")


def report(results, duration, outage, cpu):
    samples = results.samples
    if results.logins:
        logins = [seconds * 1000 for seconds in results.logins]
        print(
            f"logins before the clock: {len(logins)}, ms p50 {percentile(logins, 0.5):.0f},"
            f" p95 {percentile(logins, 0.95):.0f} (PBKDF2 hashing, deliberately slow)"
        )
    latencies = [seconds * 1000 for _f, seconds, _a, status, _c in samples if status]
    statuses = collections.Counter(status for *_rest, status, _clean in samples)
    unclean = sum(1 for *_rest, clean in samples if not clean)
    print(f"requests: {len(samples)} in {duration:.0f} s = {len(samples) / duration:.1f} req/s")
    print(cpu.summary(len(samples)))
    print(
        f"latency ms: p50 {percentile(latencies, 0.50):.0f}, p95 {percentile(latencies, 0.95):.0f},"
        f" p99 {percentile(latencies, 0.99):.0f}, mean {statistics.fmean(latencies or [0]):.0f}"
    )
    print(
        "answers: "
        + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items()))
    )
    errors = sum(n for code, n in statuses.items() if code not in (200, 302))
    errors += sum(n for what, n in results.failures.items() if what.startswith("login"))
    print(f"errors: {errors} (answers other than 200/302); unclean (500 or traceback): {unclean}")
    refused = collections.Counter(
        (action, status) for _f, _s, action, status, _c in samples if status not in (200, 302)
    )
    for (action, code), n in sorted(refused.items()):
        print(f"  {action}: {code or 'no answer'} x{n}")
    for what, n in sorted(results.failures.items()):
        print(f"  failed: {what} x{n}")
    if results.instances:
        print(
            "answered by: "
            + ", ".join(f"instance {name}: {n}" for name, n in sorted(results.instances.items()))
        )
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
    return 1 if (unclean or missing or (errors and not outage)) else 0


# The cluster: instances behind one address, and what must hold across them.

HAPROXY_CONFIG = """\
global
    maxconn 512
defaults
    mode http
    timeout connect 5s
    timeout client 70s
    timeout server 70s
    timeout queue 70s
frontend oppms
    bind 127.0.0.1:{front}
    default_backend instances
backend instances
    # Every request to the next instance in turn: no stickiness, no cookie, no hashing.
    balance roundrobin
    http-response set-header X-Oppms-Instance %[srv_name]
{servers}
"""


def start_balancer(front, ports, folder):
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not os.path.exists(haproxy):
        raise SystemExit("HAProxy is needed for --instances: apt-get install -y haproxy")
    config = Path(folder) / "haproxy.cfg"
    servers = "\n".join(
        f"    server {chr(ord('a') + n)} 127.0.0.1:{port}" for n, port in enumerate(ports)
    )
    config.write_text(HAPROXY_CONFIG.format(front=front, servers=servers))
    check = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True)
    if check.returncode:
        raise SystemExit(f"HAProxy refused its configuration: {check.stderr.decode()}")
    return subprocess.Popen([haproxy, "-db", "-f", str(config)])


def start_instance(port, workers, temporary):
    """A gunicorn on ``port`` with its own temporary folder, as if on a machine of its own."""
    env = os.environ.copy()
    env["TMPDIR"] = temporary
    # Production's settings with the benchmark's URL configuration: the application's pages
    # plus the anchor's bare view, which lives only in bench/.
    env["DJANGO_SETTINGS_MODULE"] = "bench.http_settings"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "oppms.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--timeout",
            "70",
        ],
        cwd=ROOT,
        env=env,
    )


def small_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": f"Acta {uuid.uuid4().hex}"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def remove_check_records(username):
    """Undo what the checks made. A final report is never deleted by the application (its
    guards refuse it); this is the benchmark's own database, so the rows go as they are."""
    year, half = CHECK_PERIOD
    for report_row in SemiannualReport.objects.filter(year=year, half=half):
        counted = CountedRecord.objects.filter(report=report_row)
        counted._raw_delete(counted.db)
        if report_row.pdf:
            report_row.pdf.delete(save=False)
        row = SemiannualReport.objects.filter(pk=report_row.pk)
        row._raw_delete(row.db)
    AccessAttempt.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()


def preview_meetings(session):
    """The number of meetings the draft report of 2021-S1 counts, as its preview shows it."""
    status, _location, page = session.request("GET", "/informes/2021/1/")
    found = re.search(
        r'<h3>[^<]*\(<a class="figure-link" href="/reuniones/[^"]*" data-figure="(\d+)"',
        page.decode(),
    )
    return int(found.group(1)) if status == 200 and found else None


def cluster_checks(ports, password, targets):
    """Each behaviour done through one instance and looked at through the other."""
    first, second = ports[0], ports[1]
    checks = []

    def check(name, ok, detail):
        checks.append(ok)
        print(f"  [{'ok' if ok else 'FAILED'}] {name}: {detail}")

    # A session stored by one process is read by the other.
    user = Session(first)
    user.log_in(password)
    status = user.via(second).request("GET", "/")[0]
    check("login", status == 200, f"logged in on :{first}, dashboard on :{second} answers {status}")

    # A file uploaded through one downloads, byte for byte, through the other.
    document = small_pdf()
    status, location, _page = user.via(first).log_meeting(
        targets["institution"][0],
        f"Carga con acta {uuid.uuid4().hex}",
        files={"minutes": ("acta.pdf", document)},
    )
    found = re.search(r"/reuniones/(\d+)/", location)
    if status != 302 or not found:
        check("upload", False, f"meeting with minutes through :{first} answered {status}")
    else:
        pk = found.group(1)
        status, _location, content = user.via(second).request(
            "GET", f"/archivos/observance/meeting/{pk}/minutes/"
        )
        check(
            "upload",
            status == 200 and content == document,
            f"minutes uploaded through :{first}, downloaded through :{second}: {status},"
            f" {'the same bytes' if content == document else 'OTHER bytes'}",
        )

    # The preview's figures, kept by a process while nothing is written (oppms.unchanged), are
    # computed again there once a meeting is logged through the other instance.
    reviewer = Session(first)
    reviewer.log_in(password, username=FINALIZING_USER)
    counts = [preview_meetings(reviewer), preview_meetings(reviewer)]
    status, _location, _page = user.via(second).log_meeting(
        targets["institution"][0], f"Carga {uuid.uuid4().hex}"
    )
    counts.append(preview_meetings(reviewer))
    check(
        "report preview",
        status == 302 and counts[0] == counts[1] and counts[2] == counts[1] + 1,
        f"meetings of 2021-S1 on :{first}: {counts[0]}, {counts[1]}; one logged through"
        f" :{second} ({status}); on :{first} again: {counts[2]}",
    )

    # A report finalized through one is final, with the same file, through the other.
    year, half = CHECK_PERIOD
    SemiannualReport.objects.create(
        year=year,
        half=half,
        linkage_analysis="Análisis de la prueba de carga.",
        conclusions="Conclusiones de la prueba de carga.",
        next_semester_plans="Planes de la prueba de carga.",
    )
    secretaria = Session(first)
    secretaria.log_in(password, username=FINALIZING_USER)
    token = secretaria.token(f"/informes/{year}/{half}/")
    status, _location, _page = secretaria.request(
        "POST",
        f"/informes/{year}/{half}/finalizar/",
        {"csrfmiddlewaretoken": token},
        timeout=LOGIN_TIMEOUT,  # renders the PDF
    )
    stored = SemiannualReport.objects.get(year=year, half=half)
    secretaria.via(second)
    pdf_status, _location, pdf = secretaria.request(
        "GET", f"/informes/{year}/{half}/pdf/", timeout=LOGIN_TIMEOUT
    )
    edit_token = secretaria.token(f"/informes/{year}/{half}/")
    edit_status, _location, _page = secretaria.request(
        "POST",
        f"/informes/{year}/{half}/editar/",
        {"csrfmiddlewaretoken": edit_token, "conclusions": "Cambiado después"},
    )
    same = hashlib.sha256(pdf).hexdigest() == stored.sha256
    check(
        "finalized report",
        status == 302 and stored.is_final and pdf_status == 200 and same and edit_status == 409,
        f"finalized through :{first} ({status}); through :{second} its PDF is "
        f"{'the stored one' if same else 'NOT the stored one'} ({pdf_status}) and an edit"
        f" is refused ({edit_status})",
    )

    # Failed logins for one username and address count together, whichever process saw them.
    stranger = Session(first)
    name = f"carga-{uuid.uuid4().hex[:12]}"
    answers = []
    for port in (first, first, first, second, second, first):
        answers.append(stranger.via(port).try_log_in(name, "not-the-password"))
    limit = settings.AXES_FAILURE_LIMIT
    check(
        "login lockout",
        answers[: limit - 1] == [200] * (limit - 1) and answers[limit - 1 :] == [429, 429],
        f"{limit} failures, 3 on :{first} and 2 on :{second}, then one more on :{first}:"
        f" answers {answers}",
    )

    # A session each process keeps, ended through one, is ended on the other at once.
    leaving = Session(first)
    leaving.log_in(password)
    seen = [leaving.via(port).request("GET", "/")[0] for port in (first, second, first)]
    token = leaving.via(second).token("/")
    logout = leaving.request("POST", "/cuentas/logout/", {"csrfmiddlewaretoken": token})[0]
    status, location, _page = leaving.via(first).request("GET", "/")
    check(
        "logout",
        seen == [200, 200, 200] and logout == 302 and status == 302 and "login" in location,
        f"dashboard read on both ({seen}), logged out on :{second} ({logout}), then on :{first}"
        f" the dashboard answers {status} to {location or 'nowhere'}",
    )

    backend = settings.CACHES["default"]["BACKEND"]
    check(
        "cache",
        not backend.endswith(("LocMemCache", "FileBasedCache")),
        f"default cache {backend.rsplit('.', 1)[-1]}: Django's cache keeps nothing in one"
        " process (the fragments cache keeps rendered HTML under the content it shows: another"
        " instance renders the same); what each process keeps while its rows are unchanged"
        " (oppms.unchanged) is"
        " checked above: the kept report preview counts a meeting logged on the other, a kept"
        " session ended on the other is ended",
    )
    remove_check_records(name)
    return all(checks)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument(
        "--instances", type=int, default=1, choices=(1, 2, 3, 4), help="gunicorn instances"
    )
    parser.add_argument(
        "--workers", type=int, help="per instance (default: 2 for one instance, 1 for several)"
    )
    parser.add_argument(
        "--restart-db", action="store_true", help="stop and start PostgreSQL mid-way"
    )
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL stays down")
    parser.add_argument(
        "--anchor",
        type=float,
        default=20.0,
        help="seconds the same users ask only for the bare view first (0: not measured)",
    )
    args = parser.parse_args()
    workers = args.workers or (2 if args.instances == 1 else 1)
    if connection.vendor != "postgresql":
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL database: the load test is for production's database."
        )
    ports = (
        [FRONT_PORT] if args.instances == 1 else [FRONT_PORT + 1 + n for n in range(args.instances)]
    )
    taken = [port for port in {FRONT_PORT, *ports} if not port_is_free(port)]
    if taken:
        raise SystemExit(f"ports already in use: {taken}")

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum would have them on a server in use (a fresh
        # database, or a server with autovacuum off, has none).
        cursor.execute("ANALYZE")
    password = os.environ.get("DEMO_PASSWORD", "oppms-demo-2021")
    targets = {
        "meeting": list(Meeting.objects.values_list("pk", flat=True)[:200]),
        "institution": list(Institution.objects.values_list("pk", flat=True)[:200]),
        "request": list(InformationRequest.objects.values_list("pk", flat=True)[:200]),
    }
    remove_check_records("")
    connection.close()

    folder = tempfile.mkdtemp(prefix="oppms-load-")
    processes = []
    ok = True
    try:
        for n, port in enumerate(ports):
            temporary = Path(folder) / f"tmp-{n}"
            temporary.mkdir()
            processes.append(start_instance(port, workers, str(temporary)))
        if args.instances > 1:
            processes.append(start_balancer(FRONT_PORT, ports, folder))
        for port in {FRONT_PORT, *ports}:
            wait_for_port(port)
        print(
            f"{args.instances} gunicorn instance(s) with {workers} worker(s) each"
            + (" behind HAProxy (round-robin, no stickiness)" if args.instances > 1 else "")
            + f" on 127.0.0.1:{FRONT_PORT}, {connection.vendor}, media {settings.MEDIA_ROOT},"
            f" {args.users} users for {args.duration:.0f} s"
            + (f", PostgreSQL down for {args.outage:.0f} s mid-way" if args.restart_db else "")
        )
        print(f"before: {load_average()}")
        results = Results()
        gate = threading.BoundedSemaphore(workers * args.instances)
        sessions = [None] * args.users
        reviewer = log_in_user(FRONT_PORT, password, results, gate, username=FINALIZING_USER)
        if reviewer is None:
            raise SystemExit(f"login as {FINALIZING_USER} failed; run seed_demo first")

        def log_in(n):
            sessions[n] = log_in_user(FRONT_PORT, password, results, gate)

        logins = [threading.Thread(target=log_in, args=(n,)) for n in range(args.users)]
        for thread in logins:
            thread.start()
        for thread in logins:
            thread.join(timeout=LOGIN_TIMEOUT * 2)
        cpu = CpuMeter(processes[: args.instances])  # not HAProxy
        if args.anchor:
            anchor_results = Results()
            cpu.start()
            stop_at = time.monotonic() + args.anchor
            threads = [
                threading.Thread(target=anchor_user, args=(session, stop_at, anchor_results))
                for session in sessions
                if session is not None
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.anchor + 30)
            report_anchor(anchor_results, args.anchor, cpu)
        cpu.start()
        started = time.monotonic()
        stop_at = started + args.duration
        threads = [
            threading.Thread(
                target=simulated_user,
                args=(session, reviewer.cookies, stop_at, targets, results, random.Random(n)),
                daemon=True,
            )
            for n, session in enumerate(sessions)
            if session is not None
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
        print(f"after:  {load_average()}")
        status = report(results, elapsed, outage, cpu)
        if args.instances > 1:
            print("across instances:")
            ok = cluster_checks(ports, password, targets)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)
        if OWN_MEDIA_ROOT:
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    sys.exit(status or (0 if ok else 1))


if __name__ == "__main__":
    main()
