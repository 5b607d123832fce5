"""Webhook benchmark: call set-ups through gunicorn and PostgreSQL, as Twilio would send them.

Run: ``.venv/bin/python bench/webhooks.py [--workers 4] [--rate 100] [--seconds 20] [--max-seconds 170]``.
Goals (PASS/MISS): voice webhook p99 <= 20 ms at 100 set-ups/s; >= 300 set-ups/s sustained.

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
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
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
    sys.path.insert(0, str(ROOT))
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


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "clearline.wsgi:application",
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
    return subprocess.Popen(command, cwd=ROOT, env=server_env(), start_new_session=True)


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
        fields = {
            "CallSid": call_sid,
            "AccountSid": ACCOUNT,
            "From": "+12065550177",
            "To": HELPLINE,
            "CallStatus": "ringing",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }
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
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        rerun_under_postgres(argv)
    began = time.perf_counter()
    prepare_database()
    database_pid = postmaster_pid()
    port = free_port()
    server = start_gunicorn(port, args.workers)
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
            f"gunicorn {args.workers} sync workers on {HOST}:{port}, PostgreSQL via tools/with_postgres.py, "
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
