"""Webhook benchmark: call set-ups through gunicorn and PostgreSQL, as Twilio would send them.

Run: ``.venv/bin/python bench/webhooks.py [--workers 4] [--rate 100] [--seconds 20] [--max-seconds 170]``.
Goals (PASS/MISS): voice webhook p99 <= 20 ms at 100 set-ups/s; >= 300 set-ups/s sustained.

In-process (no HTTP server: the WSGI application called directly, each webhook's wall and CPU milliseconds):
``--in-process-only --yardstick`` puts the voice webhook beside the yardstick (``bench/yardstick``, a Django
project of the shape of Twilio's call-tracking sample; goal <= 1.5x) in the same run; ``--baseline TREE`` adds
another checkout (goal <= 0.7x of it). ``--profile`` cProfiles one tree's set-ups.

A benchmark, not a test: it prints figures and PASS/MISS, and exits 0 either way.

How: without ``DATABASE_URL`` this script re-runs itself under ``tools/with_postgres.py`` (a throw-away
PostgreSQL on a Unix socket). It builds the tables from the models, stores a helpline and three providers open
24/7, then starts gunicorn (sync workers) on 127.0.0.1 only, with ``TWILIO_AUTH_TOKEN`` set to a bench token and
``DATABASE_CONN_MAX_AGE=60`` (as production keeps connections). This process is the client: each call set-up
is a signed POST to ``/telephony/twilio/voice`` (Twilio's form fields, X-Twilio-Signature), then the menu action
the greeting's ``<Gather>`` names (the wave is planned, lines reserved, attempts recorded), then the call's final
status (``completed``, which frees the lines), each on a new connection as Twilio's requests arrive.

Load is open-loop: set-up *i* is due at ``start + i / rate`` and latency counts from that moment, so a server
that falls behind shows it in the figures instead of slowing the client down (no coordinated omission). First a
steady run at ``--rate`` for ``--seconds``, printing p50/p99 of the voice webhook and of the whole set-up; then a
ramp in steps of a few seconds, each sustained if it completes >= 95% of its due set-ups without errors, at
>= 95% of the target rate and with a set-up p99 under 1 s; the highest sustained step is the maximum. Baselines
in the same run, through the same gunicorn: a GET of a small static file (WhiteNoise), at three times the set-up
rate (a set-up is three requests), then as fast as 16 clients go; and set-ups one at a time from one client
(service time without queueing).

CPU per set-up: client, server and database share this machine's CPUs, and other work on it (a test suite, say)
inflates every latency. So each step also prints the CPU time it cost, per completed set-up, of the gunicorn
processes, the PostgreSQL processes (exited ones included, through their parent's ``cutime``) and this client,
read from ``/proc``: figures that hold under contention, and the ceiling they imply (CPUs x 1000 ms over the
CPU one set-up costs). The load average is printed before and after.

Everything it starts (gunicorn, and PostgreSQL through with_postgres.py) is stopped when it ends, whatever happens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def app_root() -> Path:
    """The tree whose ``clearline`` is measured: the first ``PYTHONPATH`` entry holding one (a baseline worktree,
    ``PYTHONPATH=/tmp/mainbase``), else this one. gunicorn runs from it, so it imports the same code."""
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if entry and Path(entry, "clearline", "__init__.py").exists():
            return Path(entry).resolve()
    return ROOT


APP_ROOT = app_root()
HOST = "127.0.0.1"
TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 (a throw-away server on 127.0.0.1)
ACCOUNT = "AC" + "b" * 32
HELPLINE = "+12065550101"
STATIC = "/static/clearline/favicon.svg"
CLIENT_THREADS = 48
TIMEOUT_S = 10.0


def rerun_under_postgres(argv: list[str]) -> None:
    helper = str(ROOT / "tools" / "with_postgres.py")
    os.execv(sys.executable, [sys.executable, helper, "--", sys.executable, str(Path(__file__)), *argv])  # noqa: S606


def server_env() -> dict[str, str]:
    return {
        **os.environ,
        "CLEARLINE_ENV": "test",  # DEBUG off, development keys; nothing here is production
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "clearline.settings",
        "DATABASE_CONN_MAX_AGE": "60",
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "CLEARLINE_PUBLIC_URL": "",
        "ALLOWED_HOSTS": HOST,
        "CLEARLINE_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }


def prepare_database() -> None:
    os.environ.update(server_env())
    sys.path.insert(0, str(APP_ROOT))
    import django

    django.setup()
    from decimal import Decimal

    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from clearline.content.disclosure import ensure_current_disclosure
    from clearline.content.models import Helpline
    from clearline.providers.models import Contract, Provider

    # Tables straight from the models (what the suite's --no-migrations does): migrations measure nothing here.
    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)
    for n in range(3):
        provider = Provider.objects.create(
            name=f"Bench Provider {n}",
            slug=f"bench-provider-{n}",
            public_description="A fictional provider for the benchmark.",
            phone=f"+1206555{130 + n:04d}",
            open_24_7=True,
            lines=500,  # set-ups must ring a wave: the line limit is bench/concurrency.py's subject
            license_expires_on=dt.date(2030, 1, 1),
            certification_expires_on=dt.date(2030, 1, 1),
        )
        Contract.objects.create(
            provider=provider, amount=Decimal("1500.00"), period="monthly", starts_on=dt.date(2026, 1, 1)
        )
    ensure_current_disclosure()
    connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def start_gunicorn(port: int, workers: int, wsgi: str) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        wsgi,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        "2048",
        "--timeout",
        "30",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=APP_ROOT, env=server_env(), start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def sign(url: str, fields: dict[str, str]) -> str:
    from twilio.request_validator import RequestValidator

    return str(RequestValidator(TOKEN).compute_signature(url, fields))


class Client:
    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://{HOST}:{port}"

    def request(self, method: str, path: str, fields: dict[str, str] | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT_S)
        try:
            headers = {"Host": f"{HOST}:{self.port}"}
            body = None
            if fields is not None:
                body = urlencode(fields)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["X-Twilio-Signature"] = sign(self.origin + path, fields)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def twilio_post(self, path: str, call_sid: str, **extra: str) -> tuple[int, bytes]:
        fields = twilio_fields(call_sid, **extra)
        return self.request("POST", path, fields)


GATHER_ACTION = re.compile(rb'<Gather[^>]*\saction="([^"]+)"')


def path_of(action: bytes) -> str:
    url = action.decode().replace("&amp;", "&")
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu_s(fields: list[str], children: bool) -> float:
    # utime, stime (and, with ``children``, cutime, cstime: what its exited children used): fields 14-17.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLOCK_TICKS


def process_tree_cpu_s(root: int) -> float:
    """CPU seconds used by ``root`` and its descendants, exited ones included (once ``root`` reaped them)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            parents[int(entry)] = int(fields[1])
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        fields = _stat(pid)
        if fields is not None:
            total += _cpu_s(fields, children=True)
        frontier += [child for child, parent in parents.items() if parent == pid]
    return total


@dataclass
class CpuMeter:
    """CPU seconds of the server (gunicorn's tree), the database (the postmaster's tree) and this client."""

    server_pid: int
    postmaster_pid: int

    def read(self) -> tuple[float, float, float]:
        return (
            process_tree_cpu_s(self.server_pid),
            process_tree_cpu_s(self.postmaster_pid) if self.postmaster_pid else 0.0,
            time.process_time(),
        )


def postmaster_pid() -> int:
    """The PostgreSQL server's main process: the parent of the backend serving a fresh connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    connection.close()
    fields = _stat(backend)
    return int(fields[1]) if fields else 0


@dataclass
class Sample:
    due: float
    first_ms: float = 0.0  # the voice webhook (or the static GET)
    total_ms: float = 0.0  # the whole set-up (voice + menu)
    error: str = ""


@dataclass
class Step:
    label: str
    rate: float
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    late_starts: int = 0
    skipped: int = 0
    elapsed: float = 0.0
    cpu_s: tuple[float, float, float] = (0.0, 0.0, 0.0)  # server, database, client, over the step

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if not s.error]

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(q * 1000) - 1]


def call_setup(client: Client, sample: Sample) -> None:
    call_sid = "CA" + uuid.uuid4().hex
    status, body = client.twilio_post("/telephony/twilio/voice", call_sid)
    sample.first_ms = (time.perf_counter() - sample.due) * 1000
    action = GATHER_ACTION.search(body)
    if status != 200 or action is None:
        sample.error = f"voice {status}"
        return
    status, body = client.twilio_post(path_of(action.group(1)), call_sid, Digits="", CallStatus="in-progress")
    sample.total_ms = (time.perf_counter() - sample.due) * 1000
    if status != 200 or b"<Dial" not in body:
        sample.error = f"menu {status}"
        return
    # The call ends: its final status frees the lines (not part of the set-up's latency).
    status, _body = client.twilio_post(
        "/telephony/twilio/status", call_sid, CallStatus="completed", CallDuration="60"
    )
    if status != 204:
        sample.error = f"status {status}"


def static_get(client: Client, sample: Sample) -> None:
    status, _body = client.request("GET", STATIC)
    sample.first_ms = sample.total_ms = (time.perf_counter() - sample.due) * 1000
    if status != 200:
        sample.error = f"static {status}"


def measured(step: Step, meter: CpuMeter | None, run: Callable[[], object]) -> Step:
    before = meter.read() if meter else (0.0, 0.0, 0.0)
    run()
    after = meter.read() if meter else (0.0, 0.0, 0.0)
    step.cpu_s = (after[0] - before[0], after[1] - before[1], after[2] - before[2])
    return step


def run_open_loop(step: Step, client: Client, job: str) -> Step:
    """Start one job at each due time (open loop) from a fixed pool of client threads; bounded by the step."""
    work = call_setup if job == "setup" else static_get
    total = max(1, round(step.rate * step.seconds))
    start = time.perf_counter() + 0.05
    give_up = (
        start + step.seconds + 2.0
    )  # a server far behind must not stretch the run: later jobs are skipped
    lock = threading.Lock()
    next_index = iter(range(total))

    def worker() -> None:
        while True:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            if time.perf_counter() > give_up:
                with lock:
                    step.skipped += 1
                continue
            due = start + i / step.rate
            wait = due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.05:
                with lock:
                    step.late_starts += 1  # every client thread was busy: the server is behind
            sample = Sample(due=due)
            try:
                work(client, sample)
            except (OSError, http.client.HTTPException) as error:
                sample.error = type(error).__name__
                sample.first_ms = sample.first_ms or (time.perf_counter() - due) * 1000
            with lock:
                step.samples.append(sample)

    threads = [threading.Thread(target=worker) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    step.elapsed = time.perf_counter() - start
    return step


def closed_loop_rate(client: Client, seconds: float, threads: int) -> float:
    """Static GETs as fast as ``threads`` clients go, for ``seconds``: requests/s."""
    done = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        while time.perf_counter() < stop_at:
            status, _ = client.request("GET", STATIC)
            if status == 200:
                with lock:
                    done[0] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return done[0] / (time.perf_counter() - start)


def one_at_a_time(step: Step, client: Client) -> Step:
    """Set-ups back to back from one client: the service time with no queueing (a lower bound on latency)."""
    stop_at = time.perf_counter() + step.seconds
    start = time.perf_counter()
    while time.perf_counter() < stop_at:
        sample = Sample(due=time.perf_counter())
        call_setup(client, sample)
        step.samples.append(sample)
    step.elapsed = time.perf_counter() - start
    step.rate = len(step.samples) / step.elapsed
    return step


def cpu_line(step: Step, what: str) -> str:
    done = len(step.ok)
    if not done or not any(step.cpu_s):
        return ""
    server, database, client = (1000 * c / done for c in step.cpu_s)
    cpus = os.cpu_count() or 1
    return (
        f"CPU per {what}: server {server:5.2f} ms, PostgreSQL {database:5.2f} ms, client {client:5.2f} ms; "
        f"ceiling on {cpus} CPUs: {cpus * 1000 / (server + database + client):5.0f}/s with this client, "
        f"{cpus * 1000 / (server + database):5.0f}/s server and database alone"
    )


def describe(step: Step, what: str) -> str:
    ok = step.ok
    first = [s.first_ms for s in ok]
    total = [s.total_ms for s in ok]
    achieved = len(ok) / step.elapsed if step.elapsed else 0.0
    line = (
        f"{step.label:<22} target {step.rate:5.0f}/s achieved {achieved:6.1f}/s  {what} p50 "
        f"{percentile(first, 0.5):7.1f} ms p99 {percentile(first, 0.99):7.1f} ms"
    )
    if what == "voice":
        line += f"  set-up p50 {percentile(total, 0.5):7.1f} ms p99 {percentile(total, 0.99):7.1f} ms"
    return line + f"  errors {step.errors} late {step.late_starts} skipped {step.skipped}"


def sustained(step: Step) -> bool:
    """Every due set-up done without errors, at >= 95% of the target rate (a server that only finishes by
    running over the step's time is behind), with a set-up p99 under 1 s."""
    due = max(1, round(step.rate * step.seconds))
    total = [s.total_ms for s in step.ok]
    achieved = len(step.ok) / step.elapsed if step.elapsed else 0.0
    return (
        step.errors == 0
        and len(step.ok) >= 0.95 * due
        and achieved >= 0.95 * step.rate
        and percentile(total, 0.99) < 1000
    )


# --- in-process: one webhook's cost inside a web process, with no HTTP server, client or queueing around it ---

IN_PROCESS_ORIGIN = f"http://{HOST}:8000"


@dataclass
class Cost:
    """One webhook in-process: wall milliseconds inside the application, and the CPU milliseconds it took of
    this thread and of the PostgreSQL backend serving it (both hold when other work shares the CPUs)."""

    wall_ms: float
    cpu_ms: float
    db_cpu_ms: float


def backend_cpu_ns(pid: int) -> int:
    """Nanoseconds a process has run on a CPU (``/proc/PID/schedstat``), 0 when unknown."""
    try:
        with open(f"/proc/{pid}/schedstat") as handle:
            return int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


_backend = [
    0
]  # the PostgreSQL backend serving this process's connection (one connection, kept: CONN_MAX_AGE)


def wsgi_post(application: Callable[..., Any], path: str, fields: dict[str, str]) -> tuple[int, bytes, Cost]:
    """POST a signed Twilio request straight to the WSGI application, as gunicorn would hand it over: (status,
    body, cost); the signature and the environ are made before the clocks start."""
    route, _, query = path.partition("?")
    body = urlencode(fields).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SERVER_NAME": HOST,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": f"{HOST}:8000",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_TWILIO_SIGNATURE": sign(IN_PROCESS_ORIGIN + path, fields),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status: list[int] = []

    def start_response(line: str, _headers: list[tuple[str, str]], _exc_info: object = None) -> None:
        status.append(int(line.split()[0]))

    db_before = backend_cpu_ns(_backend[0]) if _backend[0] else 0
    cpu_before = time.thread_time_ns()
    started = time.perf_counter()
    result = application(environ, start_response)
    content = b"".join(result)
    getattr(result, "close", lambda: None)()  # gunicorn closes it: request_finished, connection upkeep
    wall_ms = (time.perf_counter() - started) * 1000
    cpu_ms = (time.thread_time_ns() - cpu_before) / 1e6
    db_ms = (backend_cpu_ns(_backend[0]) - db_before) / 1e6 if db_before else float("nan")
    return status[0], content, Cost(wall_ms, cpu_ms, db_ms)


def twilio_fields(call_sid: str, **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an inbound call to the helpline (``extra`` added or replacing)."""
    return {
        "CallSid": call_sid,
        "AccountSid": ACCOUNT,
        "From": "+12065550177",
        "To": HELPLINE,
        "CallStatus": "ringing",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def in_process_setup(application: Callable[..., Any]) -> tuple[Cost, Cost, Cost]:
    """One call set-up (voice, menu, final status) through the WSGI application: each webhook's cost."""
    call_sid = "CA" + uuid.uuid4().hex
    fields = twilio_fields(call_sid)
    status, body, voice = wsgi_post(application, "/telephony/twilio/voice", fields)
    action = GATHER_ACTION.search(body)
    if status != 200 or action is None:
        raise RuntimeError(f"voice answered {status}: {body[:300]!r}")
    menu_fields = {**fields, "Digits": "", "CallStatus": "in-progress"}
    status, body, menu = wsgi_post(application, path_of(action.group(1)), menu_fields)
    if status != 200 or b"<Dial" not in body:
        raise RuntimeError(f"menu answered {status}: {body[:300]!r}")
    final = {**fields, "CallStatus": "completed", "CallDuration": "60"}
    status, body, ended = wsgi_post(application, "/telephony/twilio/status", final)
    if status != 204:
        raise RuntimeError(f"status answered {status}: {body[:300]!r}")
    return voice, menu, ended


def load_application(spec: str) -> Callable[..., Any]:
    """``module:attribute`` or ``module:factory()``, as gunicorn reads its application argument."""
    import importlib

    module, _, name = spec.partition(":")
    target = getattr(importlib.import_module(module), name.removesuffix("()"))
    return target() if name.endswith("()") else target


def measure_in_process(setups: int, profile: bool, wsgi: str) -> dict[str, float]:
    """Median milliseconds of each webhook inside this process, over ``setups`` set-ups after a warm-up."""
    from django.db import connection

    application = load_application(wsgi)

    for _ in range(60):  # imports, the connection, the roster cache, prepared statements
        in_process_setup(application)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        _backend[0] = int(cursor.fetchone()[0])
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    samples = [in_process_setup(application) for _ in range(setups)]
    if profiler is not None:
        import pstats

        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
    figures: dict[str, float] = {}
    for index, name in enumerate(("voice", "menu", "status")):
        costs = [sample[index] for sample in samples]
        figures[name] = statistics.median(c.wall_ms for c in costs)
        figures[f"{name}_cpu"] = statistics.median(c.cpu_ms for c in costs)
        figures[f"{name}_db"] = statistics.median(c.db_cpu_ms for c in costs)
    figures["voice_p90"] = percentile(sorted(s[0].wall_ms for s in samples), 0.9)
    return figures


# --- hand-written SQL against the ORM: each statement of a set-up both ways, on the same database, alternating ---


class OrmStatements:
    """The ORM spelling of each function of ``clearline.telephony.statements`` (same arguments, same answers), and
    of ``roster_counts.read_counts`` (one ORM query per count): the reference the hand-written SQL is kept
    against. ``apply_share_credit`` has no one-statement ORM spelling (the ORM's upsert sets a column to the new
    row's value, it cannot add to it): its nearest is an insert of the missing rows, then one update per provider.
    """

    @staticmethod
    def lock_live_call(call_id: int) -> bool:
        from clearline.telephony.models import Call

        rows = Call.objects.select_for_update().filter(pk=call_id, ended_at__isnull=True).values_list("pk")
        return bool(list(rows))

    @staticmethod
    def lock_provider_lines(provider_ids: list[int]) -> dict[int, int]:
        from clearline.providers.models import Provider

        rows = Provider.objects.select_for_update().filter(pk__in=sorted(set(provider_ids))).order_by("pk")
        return dict(rows.values_list("pk", "lines"))

    @staticmethod
    def open_lines(provider_ids: list[int], call_id: int) -> dict[int, tuple[int, int]]:
        from django.db.models import Count, Q

        from clearline.telephony.models import LineSlot

        rows = (
            LineSlot.objects.held()
            .filter(provider_id__in=sorted(set(provider_ids)))
            .values("provider_id")
            .annotate(n=Count("pk"), mine=Count("pk", filter=Q(call_id=call_id)))
            .values_list("provider_id", "n", "mine")
            .order_by()
        )
        return {pk: (n, mine) for pk, n, mine in rows}

    @staticmethod
    def insert_line_slots(call_id: int, provider_ids: list[int], now: dt.datetime) -> None:
        from clearline.telephony.models import LineSlot

        LineSlot.objects.bulk_create(
            [LineSlot(provider_id=pk, call_id=call_id, reserved_at=now) for pk in provider_ids]
        )

    @staticmethod
    def upsert_attempts(
        call_id: int, step_index: int, provider_ids: list[int], now: dt.datetime
    ) -> dict[int, int]:
        from clearline.telephony.models import Attempt, AttemptStatus

        rows = Attempt.objects.bulk_create(
            [
                Attempt(call_id=call_id, step_index=step_index, provider_id=pk, status=AttemptStatus.RINGING)
                for pk in dict.fromkeys(provider_ids)
            ],
            update_conflicts=True,
            unique_fields=["call", "step_index", "provider"],
            update_fields=["step_index"],
        )
        return {int(a.provider_id): int(a.pk) for a in rows}

    @staticmethod
    def advance_status(call_sid: str, status: str, lower: list[str]) -> bool:
        from clearline.telephony.models import Call

        return Call.objects.filter(call_sid=call_sid, status__in=lower).update(status=status) == 1

    @staticmethod
    def end_call(
        call_sid: str, now: dt.datetime, duration_s: int | None, pending: str, abandoned: str
    ) -> bool:
        from django.db.models import Case, F, Value, When
        from django.db.models.functions import Coalesce

        from clearline.telephony.models import Attempt, AttemptStatus, Call, LineSlot

        ended = Call.objects.filter(call_sid=call_sid).update(
            ended_at=Coalesce(F("ended_at"), Value(now)),
            duration_s=Case(
                When(ended_at__isnull=True, then=Value(duration_s)),
                default=F("duration_s"),
                output_field=Call._meta.get_field("duration_s"),
            ),
            outcome=Case(When(outcome=pending, then=Value(abandoned)), default=F("outcome")),
        )
        if not ended:
            return False
        this_call = Call.objects.filter(call_sid=call_sid).values("pk")
        Attempt.objects.filter(call_id__in=this_call, status=AttemptStatus.RINGING).update(
            status=AttemptStatus.CALL_ENDED, ended_at=now
        )
        LineSlot.objects.filter(call_id__in=this_call).release(now)
        return True

    @staticmethod
    def apply_share_credit(changes: dict[str, float], now: dt.datetime) -> None:
        from django.db.models import F

        from clearline.telephony.models import RotationCredit
        from clearline.telephony.roster_counts import rotation_period

        period = rotation_period(now)
        rows = sorted((int(pid), float(change)) for pid, change in changes.items())
        RotationCredit.objects.bulk_create(
            [RotationCredit(provider_id=pid, period=period, credit=0.0) for pid, _ in rows],
            ignore_conflicts=True,
        )
        for pid, change in rows:
            RotationCredit.objects.filter(provider_id=pid, period=period).update(credit=F("credit") + change)

    @staticmethod
    def read_counts(inputs: Any, now: dt.datetime, window_min: int, only: Any) -> Any:
        from zoneinfo import ZoneInfo

        from django.db.models import Count, Max

        from clearline.lib.models import ContentGeneration
        from clearline.providers.models import Provider
        from clearline.telephony.models import (
            Attempt,
            AttemptStatus,
            Call,
            CallbackRequest,
            CallbackStatus,
            LineSlot,
            RotationCredit,
        )
        from clearline.telephony.roster_counts import Counts, rotation_period
        from clearline.telephony.routing_stamp import STAMP_NAME

        ids = [p.id for p in inputs.providers if only is None or p.id in only]
        counts = Counts()
        counts.stamp = (
            ContentGeneration.objects.filter(name=STAMP_NAME).values_list("value", flat=True).first() or 0
        )
        for pk, active, paused, auto, lines, cap, since in Provider.objects.filter(pk__in=ids).values_list(
            "pk", "active", "paused", "auto_paused", "lines", "daily_cap", "offers_counted_since"
        ):
            counts.flags[pk] = (active, paused, auto, lines, cap, since)

        def grouped(queryset: Any, column: str) -> dict[int, int]:
            rows = queryset.values(column).annotate(n=Count("pk")).values_list(column, "n").order_by()
            return dict(rows)

        counts.lines_in_use = grouped(LineSlot.objects.held().filter(provider_id__in=ids), "provider_id")
        counts.ringing = grouped(
            Attempt.objects.filter(provider_id__in=ids, status=AttemptStatus.RINGING), "provider_id"
        )
        for pk, latest in (
            Provider.objects.filter(pk__in=ids)
            .annotate(latest=Max("attempts__started_at"))
            .values_list("pk", "latest")
        ):
            if latest is not None:
                counts.last_offered[pk] = latest
        counts.open_callbacks = grouped(
            CallbackRequest.objects.filter(provider_id__in=ids, status=CallbackStatus.OPEN), "provider_id"
        )
        for pk, at in Attempt.objects.filter(
            provider_id__in=ids,
            status=AttemptStatus.NO_ANSWER,
            started_at__gte=now - dt.timedelta(minutes=window_min),
        ).values_list("provider_id", "started_at"):
            counts.unanswered[pk].append(at)
        counts.credits = dict(
            RotationCredit.objects.filter(provider_id__in=ids, period=rotation_period(now)).values_list(
                "provider_id", "credit"
            )
        )
        wanted = set(ids)
        for zone_name, zone_ids in inputs.zones.items():
            members = [i for i in zone_ids if i in wanted]
            if not members:
                continue
            tz = ZoneInfo(zone_name)
            start = dt.datetime.combine(now.astimezone(tz).date(), dt.time(0, 0), tzinfo=tz)
            day = (start, start + dt.timedelta(days=1))
            calls = grouped(
                Call.objects.filter(
                    connected_provider_id__in=members, answered_at__gte=day[0], answered_at__lt=day[1]
                ),
                "connected_provider_id",
            )
            callbacks = grouped(
                CallbackRequest.objects.filter(
                    provider_id__in=members, created_at__gte=day[0], created_at__lt=day[1]
                ),
                "provider_id",
            )
            for source in (calls, callbacks):
                for pk, n in source.items():
                    counts.delivered[pk] += n
        return counts


def statements_child(args: argparse.Namespace) -> int:
    """Each statement of a set-up, hand-written and through the ORM, alternating call by call on one database."""
    prepare_database()
    from django.db import connection, transaction
    from django.utils import timezone

    from clearline.content.models import Helpline
    from clearline.providers.models import Provider
    from clearline.telephony import roster, statements
    from clearline.telephony.models import Call
    from clearline.wsgi import application

    for _ in range(30):  # some history for the counts to read
        in_process_setup(application)
    helpline = Helpline.objects.get(number=HELPLINE)
    providers = list(Provider.objects.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        _backend[0] = int(cursor.fetchone()[0])
    costs: dict[tuple[str, str], list[Cost]] = {}

    def timed(name: str, how: str, function: Callable[..., Any], *arguments: Any) -> Any:
        db_before, cpu_before, started = (
            backend_cpu_ns(_backend[0]),
            time.thread_time_ns(),
            time.perf_counter(),
        )
        result = function(*arguments)
        costs.setdefault((name, how), []).append(
            Cost(
                (time.perf_counter() - started) * 1000,
                (time.thread_time_ns() - cpu_before) / 1e6,
                (backend_cpu_ns(_backend[0]) - db_before) / 1e6,
            )
        )
        return result

    def one_call(how: str, impl: Any, counts_impl: Callable[..., Any]) -> None:
        now = timezone.now()
        inputs, _ = roster.current(now)
        timed("read_counts (voice)", how, counts_impl, inputs, now, 60, None)
        sid = "CA" + uuid.uuid4().hex
        call = Call.objects.create(
            call_sid=sid,
            helpline=helpline,
            number_kind="helpline",
            seed=1,
            plan={},
            trace={},
            routing_started_at=now,
        )
        changes = {str(p): (0.5 if i else -0.5) for i, p in enumerate(providers)}
        timed("apply_share_credit (voice)", how, impl.apply_share_credit, changes, now)
        with transaction.atomic():
            timed("lock_live_call (menu)", how, impl.lock_live_call, call.pk)
            lines = timed("lock_provider_lines (menu)", how, impl.lock_provider_lines, providers[:2])
            timed("open_lines (menu)", how, impl.open_lines, list(lines), call.pk)
            timed("insert_line_slots (menu)", how, impl.insert_line_slots, call.pk, providers[:2], now)
            first = timed("upsert_attempts (menu)", how, impl.upsert_attempts, call.pk, 0, providers[:2], now)
        again = impl.upsert_attempts(call.pk, 0, providers[:2], now)
        if first != again:
            raise RuntimeError(f"{how} upsert_attempts found {again}, not {first}")
        with transaction.atomic():
            timed(
                "advance_status (status)",
                how,
                impl.advance_status,
                sid,
                "completed",
                ["ringing", "in-progress"],
            )
            timed("end_call (status)", how, impl.end_call, sid, now, 60, "pending", "abandoned")

    def hand_written_counts(inputs: Any, now: dt.datetime, window: int, only: Any) -> Any:
        return roster.read_counts(inputs, now, window, only)

    # Both spellings answer alike (the check a reader would want before trusting the figures).
    now = timezone.now()
    inputs, _ = roster.current(now)
    sql_counts, orm_counts = (
        roster.read_counts(inputs, now, 60, None),
        OrmStatements.read_counts(inputs, now, 60, None),
    )
    if (sql_counts.lines_in_use, sql_counts.ringing, sql_counts.delivered, sql_counts.flags) != (
        orm_counts.lines_in_use,
        orm_counts.ringing,
        orm_counts.delivered,
        orm_counts.flags,
    ):
        raise RuntimeError(f"the ORM counts differ: {sql_counts} != {orm_counts}")
    for index in range(args.setups + 30):
        if index == 30:
            costs.clear()  # the warm-up: imports, prepared statements
        one_call("SQL", statements, hand_written_counts)
        one_call("ORM", OrmStatements, OrmStatements.read_counts)
    names = list(dict.fromkeys(name for name, _ in costs))
    print(
        f"Statements of a set-up, hand-written (SQL) and through the ORM, {args.setups} calls each, alternating; "
        "median ms: wall, this process's CPU + the PostgreSQL backend's CPU:"
    )
    totals = {"SQL": 0.0, "ORM": 0.0}
    for name in names:
        line = f"  {name:<28}"
        for how in ("SQL", "ORM"):
            samples = costs[(name, how)]
            wall = statistics.median(c.wall_ms for c in samples)
            cpu = statistics.median(c.cpu_ms for c in samples)
            db = statistics.median(c.db_cpu_ms for c in samples)
            totals[how] += cpu + db
            line += f"  {how} {wall:6.3f} ({cpu:5.3f} + {db:5.3f})"
        print(line)
    print(
        f"  per set-up, CPU (process + PostgreSQL): SQL {totals['SQL']:.2f} ms, ORM {totals['ORM']:.2f} ms "
        f"({totals['ORM'] - totals['SQL']:+.2f} ms through the ORM)"
    )
    return 0


def fresh_database(name: str) -> str:
    """A new empty database on the server ``DATABASE_URL`` names; returns its URL."""
    import psycopg

    base = os.environ["DATABASE_URL"]
    with psycopg.connect(dj_url_to_conninfo(base), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def dj_url_to_conninfo(url: str) -> str:
    from urllib.parse import unquote

    parts = urlsplit(url)
    return f"host={unquote(parts.hostname or '')} user={parts.username} dbname={parts.path.lstrip('/')}"


YARDSTICK_PATH = "/call-tracking/forward-call"


def yardstick_child(args: argparse.Namespace) -> int:
    """The yardstick's inbound webhook (``bench/yardstick``), measured as ours is: same harness, same database
    server, a connection kept; the same field names Twilio posts to a call-tracking number."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.yardstick.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from bench.yardstick.models import LeadSource

    settings.MIGRATION_MODULES = {config.label: None for config in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    LeadSource._default_manager.create(
        name="Bench billboard", incoming_number=HELPLINE, forwarding_number="+12065550130"
    )
    application = get_wsgi_application()
    fields = {"Called": HELPLINE, "Caller": "+12065550177", "CallerCity": "SEATTLE", "CallerState": "WA"}

    def forward() -> Cost:
        status, body, cost = wsgi_post(
            application, YARDSTICK_PATH, {**fields, "CallSid": "CA" + uuid.uuid4().hex}
        )
        if status != 200 or b"<Dial>" not in body:
            raise RuntimeError(f"yardstick answered {status}: {body[:300]!r}")
        return cost

    for _ in range(60):
        forward()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        _backend[0] = int(cursor.fetchone()[0])
    costs = [forward() for _ in range(args.setups)]
    figures = {
        "voice": statistics.median(c.wall_ms for c in costs),
        "voice_cpu": statistics.median(c.cpu_ms for c in costs),
        "voice_db": statistics.median(c.db_cpu_ms for c in costs),
        "voice_p90": percentile(sorted(c.wall_ms for c in costs), 0.9),
    }
    print("IN-PROCESS " + " ".join(f"{key}={value:.3f}" for key, value in figures.items()), flush=True)
    return 0


def in_process_child(args: argparse.Namespace) -> int:
    if args.yardstick and args.child:
        return yardstick_child(args)
    prepare_database()
    figures = measure_in_process(args.setups, args.profile, args.wsgi)
    print("IN-PROCESS " + " ".join(f"{key}={value:.3f}" for key, value in figures.items()), flush=True)
    return 0


def compare_in_process(args: argparse.Namespace) -> None:
    """This tree against ``--baseline`` (another checkout), in the same run: the same PostgreSQL, a fresh
    database each, alternating trees round by round so drifting load on the machine hits both alike."""
    trees = {"baseline": Path(args.baseline).resolve()} if args.baseline else {}
    trees |= {"this tree": APP_ROOT, "yardstick": ROOT / "bench"}
    served = {
        "baseline": args.baseline_wsgi or args.wsgi,
        "this tree": args.wsgi,
        "yardstick": YARDSTICK_PATH,
    }
    results: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
    for round_ in range(args.rounds):
        for index, (label, tree) in enumerate(trees.items()):
            env = dict(os.environ, PYTHONPATH=str(tree))
            env["DATABASE_URL"] = fresh_database(f"bench_inproc_{round_}_{index}")
            output = subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__)),
                    "--in-process-only",
                    "--child",
                    "--setups",
                    str(args.setups),
                    "--wsgi",
                    served[label],
                    *(["--yardstick"] if label == "yardstick" else []),
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            line = next((s for s in output.stdout.splitlines() if s.startswith("IN-PROCESS ")), None)
            if line is None:
                print(f"  {label} ({tree}) failed:\n{output.stdout[-2000:]}\n{output.stderr[-4000:]}")
                return
            results[label].append({k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])})
    print(
        f"\nIn-process (the WSGI application called directly; {args.setups} signed set-ups after a warm-up; median "
        f"ms per webhook: wall, this process's CPU, the PostgreSQL backend's CPU; {args.rounds} rounds "
        "alternating trees, each on a fresh database):"
    )
    summary: dict[str, dict[str, float]] = {}
    for label, rounds in results.items():
        summary[label] = figures = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
        others = (
            f"  menu {figures['menu']:5.2f} ({figures['menu_cpu']:.2f} + {figures['menu_db']:.2f})"
            f"  status {figures['status']:5.2f} ({figures['status_cpu']:.2f} + {figures['status_db']:.2f})"
            if "menu" in figures
            else "  (one lookup, one insert, a <Dial>: no signature, no routing)"
        )
        print(
            f"  {label:<9} voice {figures['voice']:5.2f} (CPU {figures['voice_cpu']:5.2f} + PostgreSQL "
            f"{figures['voice_db']:5.2f}; p90 {figures['voice_p90']:5.2f}; rounds "
            + ", ".join(f"{r['voice']:.2f}" for r in rounds)
            + ")"
            + others
            + f"  [{trees[label]}, {served[label]}]"
        )
    new, yardstick = summary["this tree"], summary["yardstick"]
    if "baseline" in summary:
        base = summary["baseline"]
        ratio = new["voice"] / base["voice"]
        cpu_ratio = (new["voice_cpu"] + new["voice_db"]) / (base["voice_cpu"] + base["voice_db"])
        print(
            f"  voice webhook, this tree / baseline: wall {ratio:.2f}x, CPU (process + PostgreSQL) {cpu_ratio:.2f}x "
            f"(goal <= 0.70x): {verdict(ratio <= 0.7)}"
        )
    against = new["voice"] / yardstick["voice"]
    print(
        f"  voice webhook, this tree / the yardstick (Twilio's call-tracking sample's shape, bench/yardstick): "
        f"wall {against:.2f}x, CPU (process + PostgreSQL) "
        f"{(new['voice_cpu'] + new['voice_db']) / (yardstick['voice_cpu'] + yardstick['voice_db']):.2f}x "
        f"(goal <= 1.5x): {verdict(against <= 1.5)}"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--rate", type=float, default=100.0, help="steady set-ups/s (default 100)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the steady run (default 20)")
    parser.add_argument(
        "--step-seconds", type=float, default=6.0, help="length of each ramp step (default 6)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=170.0, help="stop ramping after this (default 170)"
    )
    parser.add_argument(
        "--baseline",
        metavar="TREE",
        help="first measure the webhooks in-process for this checkout (a `git worktree` of main, say) and this one",
    )
    parser.add_argument(
        "--wsgi",
        default="clearline.wsgi:application",
        help="the WSGI application served, as gunicorn reads it (default clearline.wsgi:application)",
    )
    parser.add_argument(
        "--baseline-wsgi", metavar="SPEC", help="the baseline's application (default: --wsgi)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="in-process rounds per tree (default 3)")
    parser.add_argument("--setups", type=int, default=300, help="in-process set-ups per round (default 300)")
    parser.add_argument(
        "--in-process-only",
        action="store_true",
        help="only the in-process figures (with --baseline: both trees')",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="only each statement of a set-up, hand-written and through the ORM (--setups calls each)",
    )
    parser.add_argument("--profile", action="store_true", help="with --in-process-only: cProfile the set-ups")
    parser.add_argument(
        "--yardstick",
        action="store_true",
        help="with --in-process-only: this tree and the yardstick's webhook (bench/yardstick), in the same run",
    )
    parser.add_argument(
        "--child", action="store_true", help=argparse.SUPPRESS
    )  # one tree's figures, for a parent
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        rerun_under_postgres(argv)
    if args.statements:
        return statements_child(args)
    if args.baseline or (args.in_process_only and args.yardstick and not args.child):
        compare_in_process(args)
        if args.in_process_only:
            return 0
    elif args.in_process_only:
        return in_process_child(args)
    began = time.perf_counter()
    prepare_database()
    database_pid = postmaster_pid()
    port = free_port()
    server = start_gunicorn(port, args.workers, args.wsgi)
    try:
        client = Client(port)
        for _ in range(300):  # up to 30 s for the workers to boot
            try:
                if client.request("GET", STATIC)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None:
                print("gunicorn exited before it answered")
                return 0
            time.sleep(0.1)
        else:
            print("gunicorn did not answer within 30 s")
            return 0
        print(
            f"gunicorn {args.workers} sync workers serving {args.wsgi} from {APP_ROOT} on {HOST}:{port}, "
            "PostgreSQL via tools/with_postgres.py, "
            f"{os.cpu_count()} CPUs (client, server and database share them); "
            f"load average before: {os.getloadavg()[0]:.2f}"
        )
        meter = CpuMeter(server.pid, database_pid)
        run_open_loop(Step("warm-up", 20, 3), client, "setup")  # every worker imports, connects, caches

        baseline = Step("static GET (baseline)", args.rate * 3, 5)
        measured(baseline, meter, lambda: run_open_loop(baseline, client, "static"))
        serial = Step("set-ups one at a time", 0.0, 5)
        measured(serial, meter, lambda: one_at_a_time(serial, client))
        steady = Step("call set-ups", args.rate, args.seconds)
        measured(steady, meter, lambda: run_open_loop(steady, client, "setup"))
        print("\nSteady load (latency from the moment each request was due):")
        print("  " + describe(baseline, "GET"))
        print("  " + describe(serial, "voice") + "  (no load: one client, back to back)")
        print("  " + describe(steady, "voice"))
        print("\nCPU time per completed unit, from /proc (holds under contention from other work):")
        for step, what in ((baseline, "GET"), (serial, "set-up"), (steady, "set-up")):
            print(f"  {step.label:<22} " + cpu_line(step, what))
        static_max = closed_loop_rate(client, 4, 16)
        print(f"  static GET as fast as 16 clients go: {static_max:.0f} requests/s")

        print(
            f"\nRamp ({args.step_seconds:.0f} s steps; sustained = >= 95% done at >= 95% of the rate, no errors, "
            "set-up p99 < 1 s):"
        )
        best = args.rate if sustained(steady) else 0.0
        # Up from the steady rate if it held; otherwise up from low rates to find where it stops holding.
        ladder = (5, 10, 15, 20, 30, 40, 60, 80, 100, 150, 200, 300, 400, 600)
        for rate in [r for r in ladder if r > best]:
            if time.perf_counter() - began + args.step_seconds + 5 > args.max_seconds:
                print("  (time limit reached: ramp stopped)")
                break
            step = Step(f"ramp {rate}/s", rate, args.step_seconds)
            measured(step, meter, lambda step=step: run_open_loop(step, client, "setup"))  # type: ignore[misc]
            ok = sustained(step)
            print("  " + describe(step, "voice") + ("  sustained" if ok else "  NOT sustained"))
            print("  " + " " * 23 + cpu_line(step, "set-up"))
            if not ok:
                break
            best = rate
        voice_p99 = percentile([s.first_ms for s in steady.ok], 0.99)
        print(f"\nmaximum sustained: {best:.0f} set-ups/s (static baseline: {static_max:.0f} GETs/s)")
        print(
            f"goal: voice webhook p99 <= 20 ms at {args.rate:.0f}/s ({voice_p99:.1f} ms): {verdict(voice_p99 <= 20)}"
        )
        print(f"goal: >= 300 set-ups/s ({best:.0f}): {verdict(best >= 300)}")
        print(f"total {time.perf_counter() - began:.0f} s; load average after: {os.getloadavg()[0]:.2f}")
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
