"""Fault benchmark: signed call set-ups through gunicorn and PostgreSQL while the database, the network's callers
and the mail server misbehave (issue 11, "Done means").

Run: ``.venv/bin/python bench/faults.py [--seconds 8] [--rate 10] [--workers 4] [--only NAME ...]``.
Goal per fault (PASS/MISS): 100% of webhook answers valid within 1 s, 0 events lost, 0 slots leaked, 0 promises
over capacity.

A benchmark, not a test: it prints a table and PASS/MISS per fault, and exits 0 either way.

How: like ``bench/webhooks.py`` (whose helpers it imports: the database set-up, signing, the client, gunicorn), it
re-runs itself under ``tools/with_postgres.py``, builds the tables and a helpline with three providers open 24/7,
and starts gunicorn on 127.0.0.1 (a fresh one per fault, so no per-process cache carries one fault into the next),
with the database task backend (notifications are worker tasks, as in production). Calls arrive open-loop at
``--rate`` per second for ``--seconds``, one thread per call: the signed voice webhook, the menu action its
``<Gather>`` names, then the final status (``completed``). A call whose voice or menu answer was the fallback still
gets its final status, as Twilio sends it whatever the TwiML was. The faults:

- hung server: the postmaster and every backend get SIGSTOP (pids from ``postmaster.pid`` and ``pgrep -P``) a
  second in, SIGCONT a few seconds later;
- stopped server: ``pg_ctl stop -m fast``, then ``pg_ctl start`` with the options the server had
  (``postmaster.opts``);
- restart: the calls of the stopped-server run that started after ``pg_ctl start`` returned; here an answer counts
  only if it is the real flow (greeting with the menu, then a ``<Dial>``), not the fallback;
- held lock: another connection holds ``LOCK TABLE providers_provider IN ACCESS EXCLUSIVE MODE``;
- replayed and reordered: every webhook is sent twice, and the status callbacks arrive out of order
  (``completed`` twice, then ``in-progress`` and ``ringing``); replays answered differently are counted (note);
- 40 callback acceptances: one provider with 2 lines (the others paused), 40 calls planned to offer it a
  callback, then all 40 press 1 at once (the callback action, driven directly after the voice webhook, as
  clearline/telephony/tests/test_callback_capacity.py does through the service);
- hung mail server: a sink on 127.0.0.1 accepts SMTP connections and never answers; the worker
  (``clearline worker``) sends the notices through it while calls press 1 for a callback.

Figures per fault, read after recovery (and after ``replay_event_journal``, when clearline.telephony.tasks has
it, run in a management shell with the server's environment):
- calls: call set-ups started;
- TwiML <= 1 s: share of webhook answers that were valid within 1 s (a TwiML webhook: 200 and an XML
  ``<Response>``, the fallback included; a status callback: 2xx and no TwiML, since the caller's fallback there
  hides a failed write), latency from the request's send;
- events lost: final statuses sent but not in the Call row (also when the call has no row at all: the count of
  those is in the notes);
- slots leaked: LineSlot rows still held for calls whose final status was sent;
- promises over: open callbacks plus held lines above ``lines x callback_max_per_line``, summed over providers.

Everything it starts (gunicorn, the worker, the SMTP sink, and PostgreSQL through with_postgres.py) is stopped when
it ends, whatever happens; a stopped PostgreSQL is continued first. Only 127.0.0.1 and a Unix socket are used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from defusedxml.ElementTree import fromstring

sys.path.insert(0, str(Path(__file__).resolve().parent))
import webhooks
from webhooks import GATHER_ACTION, HOST, ROOT, Client, free_port, path_of, prepare_database

sys.path.insert(0, str(ROOT / "tools"))
from with_postgres import find_bin_dir

CLIENT_TIMEOUT_S = 5.0  # Twilio waits 15 s; past 1 s it is a miss anyway, and the run stays short
WITHIN_S = 1.0
MAX_CALL_THREADS = 64
CALLBACK_CALLERS = 40
CALLBACK_LINES = 2
FINAL = "completed"
FAULT_NAMES = ("hung", "stopped", "lock", "replay", "callbacks", "mail")


def rerun_under_postgres(argv: list[str]) -> None:
    helper = str(ROOT / "tools" / "with_postgres.py")
    os.execv(sys.executable, [sys.executable, helper, "--", sys.executable, str(Path(__file__)), *argv])  # noqa: S606


BASE_ENV = webhooks.server_env
WSGI = "clearline.wsgi:application"  # the production entry point (pages and the lean webhook handler)


# The event journal (and the fallback alert's stamp) of this run only, not the checkout's var/journal: made in
# ``main`` once running under PostgreSQL, removed at the end.
JOURNAL_DIR = ""


def fault_env(extra: dict[str, str]) -> dict[str, str]:
    """bench/webhooks.py's server environment, with the database task backend (the webhook only enqueues)."""
    return {
        **BASE_ENV(),
        "CLEARLINE_TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "CLEARLINE_EVENT_JOURNAL_DIR": JOURNAL_DIR,
        "LOG_LEVEL": "CRITICAL",  # the faults make the server log errors by design; the table says what matters
        **extra,
    }


def start_gunicorn(port: int, workers: int, extra: dict[str, str]) -> subprocess.Popen[bytes]:
    # webhooks.start_gunicorn reads its environment from webhooks.server_env: swapped for the call only.
    webhooks.server_env = lambda: fault_env(extra)  # type: ignore[assignment]
    try:
        return webhooks.start_gunicorn(port, workers, WSGI)
    finally:
        webhooks.server_env = BASE_ENV  # type: ignore[assignment]


def stop_quickly(process: subprocess.Popen[bytes], grace_s: float = 3.0) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


# --- PostgreSQL: the server with_postgres.py started, found from DATABASE_URL ----------------------------------


class Postgres:
    def __init__(self) -> None:
        host = unquote(urlsplit(os.environ["DATABASE_URL"]).netloc.split("@", 1)[1])
        self.sock_dir = Path(host)
        self.data_dir = self.sock_dir.parent / "data"
        self.log = self.sock_dir.parent / "server.log"
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise SystemExit("PostgreSQL binaries not found")
        self.pg_ctl = str(bin_dir / "pg_ctl")
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.stopped: list[int] = []
        self.options = ""

    def postmaster(self) -> int:
        return int((self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0])

    def hang(self) -> int:
        main = self.postmaster()
        os.kill(main, signal.SIGSTOP)  # first, so it forks no backend we would miss
        self.stopped = [main]
        found = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True, check=False)
        for pid in (int(p) for p in found.stdout.split()):
            try:
                os.kill(pid, signal.SIGSTOP)
                self.stopped.append(pid)
            except ProcessLookupError:
                pass
        return len(self.stopped)

    def resume(self) -> None:
        for pid in reversed(self.stopped):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        self.stopped = []

    def stop(self) -> None:
        # The server's own command line, kept to start it the same way (pg_ctl start does not read it).
        words = shlex.split((self.data_dir / "postmaster.opts").read_text())
        self.options = shlex.join(words[3:] if words[1:2] == ["-D"] else words[1:])
        self.ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        self.ctl("-o", self.options, "-l", str(self.log), "-w", "start")

    def ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, self.pg_ctl, "-D", str(self.data_dir), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def is_down(self) -> bool:
        return not (self.data_dir / "postmaster.pid").exists()


# --- a mail server that accepts and never answers ------------------------------------------------------------------


class HungSmtp:
    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind((HOST, 0))
        self.listener.listen(64)
        self.listener.settimeout(0.2)
        self.port = int(self.listener.getsockname()[1])
        self.held: list[socket.socket] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.done.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(connection)  # no greeting, ever

    def close(self) -> None:
        self.done.set()
        self.thread.join(timeout=2)
        for connection in [*self.held, self.listener]:
            connection.close()


# --- calls ---------------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    what: str
    ms: float
    valid: bool  # right status and body, whatever the latency
    real: bool = True  # the flow, not the fallback (set by the caller of ``post``)


@dataclass
class CallRun:
    sid: str
    started: float
    answers: list[Answer] = field(default_factory=list)
    final_sent: bool = False
    replay_differs: int = 0
    pressed: bool = False


def is_twiml(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    try:
        return fromstring(body).tag == "Response"
    except Exception:
        return False


def post(client: Client, run: CallRun, what: str, path: str, **extra: str) -> tuple[int, bytes]:
    began = time.perf_counter()
    try:
        status, body = client.twilio_post(path, run.sid, **extra)
    except (OSError, http.client.HTTPException):
        status, body = 0, b""
    ms = (time.perf_counter() - began) * 1000
    if what == "status":  # 2xx without a body; the caller's fallback TwiML here hides a failure (issue 11)
        valid = 200 <= status < 300 and not is_twiml(status, body)
        run.answers.append(Answer(what, ms, valid, real=not is_twiml(status, body)))
    else:
        run.answers.append(Answer(what, ms, is_twiml(status, body)))
    return status, body


def final_status(client: Client, run: CallRun, replay: bool = False) -> None:
    sequence = [FINAL, FINAL, "in-progress", "ringing", "in-progress"] if replay else [FINAL]
    for call_status in sequence:
        post(client, run, "status", "/telephony/twilio/status", CallStatus=call_status, CallDuration="60")
    run.final_sent = True


def call_setup(client: Client, run: CallRun, replay: bool = False) -> None:
    """Voice, menu action, final status (each sent twice with ``replay``, statuses out of order)."""
    try:
        times = 2 if replay else 1
        bodies = []
        for _ in range(times):
            _status, body = post(client, run, "voice", "/telephony/twilio/voice")
            bodies.append(body)
        run.replay_differs += len(set(bodies)) - 1
        action = GATHER_ACTION.search(bodies[0])
        if action is None or b"/telephony/twilio/menu" not in action.group(1):  # the fallback's own menu
            for answer in run.answers:
                answer.real = False
            return
        bodies = []
        for _ in range(times):
            _status, body = post(
                client, run, "menu", path_of(action.group(1)), Digits="", CallStatus="in-progress"
            )
            bodies.append(body)
        run.replay_differs += len(set(bodies)) - 1
        if b"/telephony/twilio/dial" not in bodies[0]:  # the fallback dials the free helpline, no action
            run.answers[-1].real = False
    finally:
        final_status(client, run, replay)


def callback_call(client: Client, run: CallRun, gate: Callable[[], None] | None = None) -> None:
    """Voice (the plan names the callback offer), then press 1 at the offer, then the final status."""
    try:
        _status, body = post(client, run, "voice", "/telephony/twilio/voice")
        if b"/telephony/twilio/menu" not in body:
            run.answers[-1].real = False
        if gate is not None:
            gate()
        _status, body = post(
            client,
            run,
            "callback",
            f"/telephony/twilio/callback?call={run.sid}",
            Digits="1",
            CallStatus="in-progress",
        )
        run.pressed = b"call you back" in body
    finally:
        final_status(client, run)


@dataclass
class Fault:
    name: str
    calls: list[CallRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lost: int = 0
    no_row: int = 0
    leaked: int = 0
    over: int = 0
    strict: bool = False  # the restart row: a fallback answer does not count
    error: str = ""

    @property
    def answers(self) -> list[Answer]:
        return [a for c in self.calls for a in c.answers]

    def share_ok(self) -> float:
        answers = self.answers
        good = [a for a in answers if a.valid and a.ms <= WITHIN_S * 1000 and (a.real or not self.strict)]
        return 100.0 * len(good) / len(answers) if answers else 0.0

    def passed(self) -> bool:
        return (
            not self.error
            and bool(self.calls)
            and self.share_ok() == 100.0
            and self.lost == self.leaked == self.over == 0
        )


def drive(
    client: Client, rate: float, seconds: float, job: Callable[[Client, CallRun], None], runs: list[CallRun]
) -> threading.Thread:
    """Start a call every 1/rate s for ``seconds`` (open loop, one thread per call); returns the launcher."""
    slots = threading.BoundedSemaphore(MAX_CALL_THREADS)
    origin = time.perf_counter()

    def one(run: CallRun) -> None:
        try:
            job(client, run)
        finally:
            slots.release()

    def launcher() -> None:
        threads = []
        for i in range(max(1, round(rate * seconds))):
            wait = origin + i / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            slots.acquire()
            run = CallRun(sid="CA" + uuid.uuid4().hex, started=time.perf_counter())
            runs.append(run)
            thread = threading.Thread(target=one, args=(run,))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join()

    thread = threading.Thread(target=launcher)
    thread.start()
    return thread


# --- measuring after recovery --------------------------------------------------------------------------------------


def wait_for_database(seconds: float = 30.0) -> None:
    from django.db import connection

    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.close()
            connection.ensure_connection()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def replay_journal(env: dict[str, str]) -> str:
    """Give the worker's journal replay its chance, when the tree has one."""
    from clearline.telephony import tasks

    if not hasattr(tasks, "replay_event_journal"):
        return ""
    code = (
        "from clearline.telephony import tasks; t = tasks.replay_event_journal; "
        "print('replayed:', getattr(t, 'call', t)())"
    )
    done = subprocess.run(
        [sys.executable, "-m", "clearline", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # The shell may print a banner (objects it imported) around the task's result.
    lines = [line for line in done.stdout.splitlines() if line.startswith("replayed: ")]
    result = (
        lines[-1].removeprefix("replayed: ") if lines else (done.stderr.strip().splitlines() or ["?"])[-1]
    )
    return f"journal replay: {result} applied"[:80]


def promises_over_capacity() -> int:
    from django.db.models import Count

    from clearline.providers.models import Provider
    from clearline.providers.routing_settings import current_routing_settings
    from clearline.telephony.models import CallbackRequest, CallbackStatus, LineSlot

    per_line = current_routing_settings().to_policy("1").callback_max_per_line
    open_callbacks = dict(
        CallbackRequest.objects.filter(status=CallbackStatus.OPEN)
        .values("provider_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "n")
    )
    held = dict(
        LineSlot.objects.filter(released_at__isnull=True)
        .values("provider_id")
        .annotate(n=Count("id"))
        .values_list("provider_id", "n")
    )
    over = 0
    for provider_id, lines in Provider.objects.values_list("id", "lines"):
        used = open_callbacks.get(provider_id, 0) + held.get(provider_id, 0)
        over += max(0, used - int(lines * per_line))
    return over


def measure(fault: Fault, env: dict[str, str]) -> None:
    from clearline.telephony.models import Call, LineSlot

    wait_for_database()
    note = replay_journal(env)
    if note:
        fault.notes.append(note)
    ended = [c.sid for c in fault.calls if c.final_sent]
    stored = dict(Call.objects.filter(call_sid__in=ended).values_list("call_sid", "status"))
    fault.no_row = sum(1 for sid in ended if sid not in stored)
    fault.lost = sum(1 for sid in ended if stored.get(sid) != FINAL)
    fault.leaked = LineSlot.objects.filter(call__call_sid__in=ended, released_at__isnull=True).count()
    fault.over = max(fault.over, promises_over_capacity())
    if fault.no_row:
        fault.notes.append(f"{fault.no_row} of the lost have no Call row")
    fallbacks = sum(1 for a in fault.answers if not a.real)
    if fallbacks:
        fault.notes.append(f"{fallbacks} fallback answers")
    if fault.answers:
        fault.notes.append(f"slowest answer {max(a.ms for a in fault.answers):.0f} ms")
    slow = [a for a in fault.answers if a.ms > WITHIN_S * 1000]
    if slow:
        fault.notes.append(f"{len(slow)} answers > 1 s (max {max(a.ms for a in slow) / 1000:.1f} s)")
    invalid = [a for a in fault.answers if not a.valid]
    if invalid:
        kinds = sorted({a.what for a in invalid})
        fault.notes.append(f"{len(invalid)} invalid/failed ({', '.join(kinds)})")


# --- the run -------------------------------------------------------------------------------------------------------


@contextmanager
def server(workers: int, extra: dict[str, str]) -> Iterator[Client]:
    port = free_port()
    process = start_gunicorn(port, workers, extra)
    try:
        client = Client(port)
        for _ in range(300):
            try:
                if client.request("GET", webhooks.STATIC)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise RuntimeError("gunicorn exited before it answered")
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer within 30 s")
        warm: list[CallRun] = []
        drive(client, 20, 0.5, call_setup, warm).join()  # every worker imports, connects, caches
        yield client
    finally:
        stop_quickly(process, grace_s=10)


def set_providers(**fields: object) -> None:
    from clearline.providers.models import Provider

    for provider in Provider.objects.order_by("pk"):
        for name, value in fields.items():
            setattr(provider, name, value(provider) if callable(value) else value)
        provider.save()


def run_fault(name: str, args: argparse.Namespace, pg: Postgres) -> list[Fault]:
    seconds, rate = args.seconds, args.rate
    fault_at, fault_s = 1.0, max(1.0, seconds - 3.0)
    extra: dict[str, str] = {}
    env = fault_env(extra)
    if name == "callbacks":
        first = None

        def only_first(provider: object) -> bool:
            nonlocal first
            first = first or provider
            return provider is not first

        set_providers(lines=CALLBACK_LINES, paused=only_first)
        return [callbacks_fault(args, env)]
    if name == "mail":
        smtp = HungSmtp()
        extra = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": HOST,
            "EMAIL_PORT": str(smtp.port),
        }
        env = fault_env(extra)
        set_providers(notify_email=lambda p: f"intake-{p.pk}@example.org")
        fault = Fault("hung mail server")
        worker = subprocess.Popen(
            [sys.executable, "-m", "clearline", "worker", "--interval", "0.2", "--no-scheduler"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            with server(args.workers, extra) as client:
                drive(client, rate, seconds, callback_call, fault.calls).join()
            time.sleep(0.5)
        finally:
            stop_quickly(worker)
            smtp.close()
        pressed = sum(1 for c in fault.calls if c.pressed)
        fault.notes.append(f"{pressed} callbacks confirmed, {len(smtp.held)} SMTP connections held")
        measure(fault, env)
        close_promises()  # whatever ran next (--only mail callbacks) would count them as over capacity
        return [fault]

    label = {"hung": "hung server", "stopped": "stopped server", "lock": "held lock"}.get(
        name, "replayed+reordered"
    )
    fault = Fault(label)
    restart = Fault("restart", strict=True)
    job = (lambda c, r: call_setup(c, r, replay=True)) if name == "replay" else call_setup
    with server(args.workers, extra) as client:
        launcher = drive(client, rate, seconds, job, fault.calls)
        time.sleep(fault_at)
        if name == "hung":
            try:
                fault.notes.append(f"{pg.hang()} processes stopped {fault_s:.0f} s")
                time.sleep(fault_s)
            finally:
                pg.resume()
        elif name == "stopped":
            try:
                pg.stop()
                time.sleep(fault_s)
            finally:
                pg.start()
            back = time.perf_counter()
            fault.notes.append(f"down {fault_s:.0f} s")
        elif name == "lock":
            hold_lock(fault_s, fault)
        launcher.join()
    if name == "stopped":
        restart.calls = [c for c in fault.calls if c.started >= back]
        measure(restart, env)
        restart.notes = [n for n in restart.notes if "journal" not in n]
    measure(fault, env)
    if name == "replay":
        fault.notes.append(f"{sum(c.replay_differs for c in fault.calls)} replays answered differently")
    return [fault, restart] if name == "stopped" else [fault]


def hold_lock(seconds: float, fault: Fault) -> None:
    from django.db import connection, transaction

    held = threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE providers_provider IN ACCESS EXCLUSIVE MODE")
                held.set()
                time.sleep(seconds)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    if held.wait(5):
        fault.notes.append(f"ACCESS EXCLUSIVE on providers {seconds:.0f} s")
    thread.join()


def callbacks_fault(args: argparse.Namespace, env: dict[str, str]) -> Fault:
    fault = Fault(f"{CALLBACK_CALLERS} callback accepts")
    barrier = threading.Barrier(CALLBACK_CALLERS)
    try:
        with server(args.workers, {}) as client:
            runs = [
                CallRun(sid="CA" + uuid.uuid4().hex, started=time.perf_counter())
                for _ in range(CALLBACK_CALLERS)
            ]
            fault.calls = runs
            threads = [
                threading.Thread(target=callback_call, args=(client, run, lambda: barrier.wait(30)))
                for run in runs
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            fault.over = promises_over_capacity()
        pressed = sum(1 for c in runs if c.pressed)
        fault.notes.append(f"1 provider, {CALLBACK_LINES} lines: {pressed} promises given")
        measure(fault, env)
    finally:
        close_promises()
        set_providers(lines=500, paused=False)
    return fault


def close_promises() -> None:
    """The callbacks a fault promised are the providers' to keep, not the next fault's: closed."""
    from clearline.telephony.models import CallbackRequest, CallbackStatus

    CallbackRequest.objects.filter(status=CallbackStatus.OPEN).update(
        status=CallbackStatus.RETURNED, closed_at=dt.datetime.now(dt.UTC)
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=8.0, help="calls per fault run this long (default 8)"
    )
    parser.add_argument("--rate", type=float, default=10.0, help="call set-ups per second (default 10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--only", nargs="*", choices=FAULT_NAMES, help="run only these faults")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        rerun_under_postgres(argv)
    global JOURNAL_DIR
    JOURNAL_DIR = tempfile.mkdtemp(prefix="clearline-faults-journal-")
    began = time.perf_counter()
    # A signal ends the run through the finally blocks (PostgreSQL continued, processes stopped).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    webhooks.TIMEOUT_S = CLIENT_TIMEOUT_S  # webhooks.Client reads it at each request
    prepare_database()
    pg = Postgres()
    print(
        f"gunicorn {args.workers} sync workers on {HOST} (a fresh one per fault), PostgreSQL via "
        f"tools/with_postgres.py; {args.rate:.0f} call set-ups/s for {args.seconds:.0f} s per fault; "
        f"{os.cpu_count()} CPUs"
    )
    faults: list[Fault] = []
    try:
        for name in args.only or FAULT_NAMES:
            try:
                faults += run_fault(name, args, pg)
            except Exception as error:
                failed = Fault(name, error=f"{type(error).__name__}: {error}"[:100])
                faults.append(failed)
                if pg.is_down():
                    pg.start()
    finally:
        pg.resume()
        if pg.is_down() and pg.options:
            pg.start()
        shutil.rmtree(JOURNAL_DIR, ignore_errors=True)
    print()
    header = (
        f"{'fault':<22} {'calls':>5} {'TwiML<=1s':>10} {'events lost':>11} {'slots leaked':>12} "
        f"{'promises over':>13}"
    )
    print(header)
    print("-" * len(header))
    for fault in faults:
        print(
            f"{fault.name:<22} {len(fault.calls):>5} {fault.share_ok():>9.1f}% {fault.lost:>11} "
            f"{fault.leaked:>12} {fault.over:>13}"
        )
    print()
    for fault in faults:
        detail = fault.error or "; ".join(fault.notes)
        print(f"{fault.name:<22} {'PASS' if fault.passed() else 'MISS'}  {detail}")
    print(f"\ngoal: 100% / 0 / 0 / 0 per fault; total {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
