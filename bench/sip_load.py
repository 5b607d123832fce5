"""SIP load benchmark: whole calls through Kamailio and the call controllers at increasing call rates, next to
the same calls through the Twilio webhooks, in the same run.

Run (as root: the edge tap reads loopback packets):
``.venv/bin/python bench/sip_load.py [--rates 0.5,1,2] [--seconds 20] [--controllers 12] [--max-calls 4]
[--talk-s 10] [--no-twilio]``. Goals (PASS/MISS): 0 failed calls below saturation, >= 50 bridged calls at once
on this machine, Kamailio adds <= 2 ms p95. A benchmark, not a test: it prints figures and exits 0 either way.

Each SIP call (sipp, open loop at the step's rate): INVITE to a helpline number through Kamailio
(deploy/kamailio/kamailio.cfg, 4 workers, dispatcher round robin over ``--controllers`` processes of
``clearline sip_controller``), the disclosure plays, the caller presses 1 at 1.5 s (the first wave), the wave's
two providers ring at the trunk (a sipp UAS: each answers, hears the whisper and presses 1 after 0.6 s; the
first wins), the caller talks ``--talk-s`` with the winner, then hangs up. Per step it prints:

- completed and failed calls (sipp's own count) and how many the records call connected;
- INVITE-to-first-prompt p50/p95: from the INVITE entering Kamailio (kernel timestamp) to the controller
  starting the first prompt (its ``clearline.telephony.sip.timing`` log line, same clock; the first RTP packet
  follows within one 20 ms frame);
- bridged calls at once: the peak overlap of the calls' [answered_at, ended_at] in the records;
- CPU per call (ms): controllers, Kamailio, PostgreSQL; the sipp peers apart (they stand in for the trunk);
- Kamailio's added latency: each INVITE's and each 200's time inside Kamailio (kernel timestamps on lo,
  ``sip_tap.py``), p50/p95.

The Twilio line: the same call through the webhooks (gunicorn, 4 sync workers, same database): voice, the menu
with 1, the first provider's whisper and its 1, ``--talk-s`` of talk, the dial action, the final status. Its
first-prompt figure is the voice webhook's time (Twilio's own network and speech time come on top).

The controllers run as separate processes, each holding at most ``PJSUA_MAX_CALLS`` legs (4 with the PyPI
wheel; docs/sip.md, "Calls per controller"); ``PYTHONPATH=DIR`` puts another pjsua2 build first. Everything runs
on 127.0.0.1 and is stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

import webhooks as wh  # noqa: E402 (bench/webhooks.py: PostgreSQL, gunicorn, signed Twilio posts, CPU)
from sip_tap import EdgeTap  # noqa: E402

HELPLINE = wh.HELPLINE
PRESS_AT_MS = 1500
SETTLE_S = 20.0
FIRST_PROMPT = re.compile(
    r"SIP call (SIP[0-9a-f]{32}): first prompt [0-9.]+ ms after the INVITE \(at ([^)]+)\)"
)
DIAL_ACTION = re.compile(rb'<Dial[^>]*\saction="([^"]+)"')
NUMBER_URL = re.compile(rb'<Number[^>]*\surl="([^"]+)"')


def pct(values: list[float], q: float) -> str:
    return f"{wh.percentile(values, q):.1f}" if values else "-"


def peak_overlap(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    peak = now = 0
    for _, change in edges:
        now += change
        peak = max(peak, now)
    return peak


def records(prefix: str, since: float) -> tuple[int, int, int]:
    """Calls started since ``since`` with CallSids starting ``prefix``: all, connected, peak bridged at once."""
    from django.db import connection

    from clearline.telephony.models import Call

    calls = list(
        Call.objects.filter(
            call_sid__startswith=prefix, started_at__gte=dt.datetime.fromtimestamp(since, dt.UTC)
        ).values_list("outcome", "answered_at", "ended_at")
    )
    connection.close()
    spans = [(a.timestamp(), e.timestamp()) for _, a, e in calls if a and e]
    return len(calls), sum(1 for outcome, _, _ in calls if outcome == "connected"), peak_overlap(spans)


class Controllers:
    """``count`` processes of ``clearline sip_controller`` on free ports, sharing one prompts folder."""

    def __init__(self, folder: Path, count: int, max_calls: int, trunk: str) -> None:
        self.folder, self.count, self.max_calls, self.trunk = folder, count, max_calls, trunk
        self.processes: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        self.logs: list[Path] = []

    def start(self) -> None:
        from clearline.telephony.sip.tests.phones import _wait_alive, free_port

        span = max(self.max_calls * 4, 100) + 8
        env = {
            **wh.server_env(),
            "LOG_LEVEL": "INFO",
            "CLEARLINE_SIP_PROMPTS_DIR": str(self.folder / "prompts"),
            "CLEARLINE_SIP_MAX_CALLS": str(self.max_calls),
        }
        for n in range(self.count):
            port, log = free_port(), self.folder / f"controller-{n}.log"
            command = [str(ROOT / ".venv" / "bin" / "clearline"), "sip_controller", "--port", str(port)]
            command += ["--rtp-port", str(20000 + n * span), "--trunk", self.trunk]
            with log.open("wb") as out:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                )
            self.processes.append(process)
            self.ports.append(port)
            self.logs.append(log)
            if n == 0:  # the first renders the fixed prompts the others then find
                _wait_alive(port, process, "controller 0", log, limit=60)
        for n, process in enumerate(self.processes):
            _wait_alive(self.ports[n], process, f"controller {n}", self.logs[n], limit=60)

    @property
    def uris(self) -> tuple[str, ...]:
        return tuple(f"sip:{wh.HOST}:{port}" for port in self.ports)

    def cpu_s(self) -> float:
        return sum(wh.process_tree_cpu_s(p.pid) for p in self.processes)

    def first_prompts(self) -> dict[str, float]:
        found: dict[str, float] = {}
        for log in self.logs:
            for sid, at in FIRST_PROMPT.findall(log.read_text(errors="replace")):
                found[sid] = dt.datetime.fromisoformat(at).timestamp()
        return found

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


class SipRig:
    """The trunk, the fallback, the controllers, Kamailio and the tap; ``call_step`` places one step's calls."""

    def __init__(self, folder: Path, args: argparse.Namespace) -> None:
        from clearline.telephony.sip.tests.callers import Trunk
        from clearline.telephony.sip.tests.phones import StandIn, free_port

        self.folder, self.args = folder, args
        self.caller_port = free_port()
        self.trunk = Trunk(folder / "trunk", free_port(), person=r"[0-9]+", press_after_ms=600)
        self.fallback = StandIn(folder / "fallback", "fallback")
        self.controllers = Controllers(
            folder, args.controllers, args.max_calls, f"{wh.HOST}:{self.trunk.port}"
        )
        self.edge = None
        self.tap: EdgeTap | None = None

    def start(self) -> None:
        from clearline.telephony.sip.edge import EdgeConfig, parse_trusted
        from clearline.telephony.sip.tests.phones import Edge

        self.trunk.__enter__()
        self.fallback.start()
        self.controllers.start()
        config = EdgeConfig(
            trusted=parse_trusted([f"{wh.HOST}:{self.caller_port}"]),
            controllers=self.controllers.uris,
            trunk=f"{wh.HOST}:{self.trunk.port}",
            fallback_uri=f"sip:+18006624357@{wh.HOST}:{self.fallback.port}",
            numbers={HELPLINE: "general"},
        )
        self.edge = Edge(self.folder / "edge", config, children=4).start()
        try:
            self.tap = EdgeTap(self.edge.port).start()
        except PermissionError:
            print("(no edge tap: reading loopback packets needs root; Kamailio's latency is not measured)")
        time.sleep(2.5)  # every controller answered a dispatcher probe

    def stop(self) -> None:
        for stop in (
            self.tap and self.tap.stop,
            self.edge and self.edge.stop,
            self.controllers.stop,
            self.fallback.stop,
            lambda: self.trunk.__exit__(None, None, None),
        ):
            if stop:
                try:
                    stop()
                except Exception as error:
                    print(f"stopping: {error}")

    def call_step(self, rate: float, seconds: float) -> dict[str, object]:
        from clearline.telephony.sip.events import call_sid_for
        from clearline.telephony.sip.tests.callers import caller_scenario, dtmf_capture, media_port
        from clearline.telephony.sip.tests.phones import SIPP

        assert self.edge is not None and SIPP
        count = max(1, round(rate * seconds))
        hang_up_ms = PRESS_AT_MS + 3000 + int(self.args.talk_s * 1000)
        name = f"step-{uuid.uuid4().hex[:6]}"
        scenario = self.folder / f"{name}.xml"
        scenario.write_text(caller_scenario([(PRESS_AT_MS, "1", dtmf_capture("1"))], hang_up_ms))
        stat = self.folder / f"{name}.csv"
        command = [
            SIPP, "-sf", str(scenario), "-i", wh.HOST, "-p", str(self.caller_port), "-s", HELPLINE,
            f"{wh.HOST}:{self.edge.port}", "-mi", wh.HOST, "-mp", str(media_port()),
            "-r", str(round(rate * 10)), "-rp", "10000", "-m", str(count), "-l", str(count), "-nostdin",
            "-timeout", f"{int(seconds + hang_up_ms / 1000 + 60)}s",
            "-recv_timeout", "30000", "-trace_stat", "-stf", str(stat), "-fd", "1",
            "-trace_err", "-error_file", str(self.folder / f"{name}-errors.log"),
        ]  # fmt: skip
        cpu = self._cpu()
        since = time.time()
        sipp = subprocess.run(
            command, cwd=self.folder, stdin=subprocess.DEVNULL, capture_output=True, check=False
        )
        self._settle(since, count)
        until = time.time()
        cpu = [after - before for before, after in zip(cpu, self._cpu(), strict=True)]
        ok = failed = 0
        if stat.exists():
            rows = list(csv.DictReader(stat.read_text().splitlines(), delimiter=";"))
            if rows:
                ok, failed = int(rows[-1]["SuccessfulCall(C)"]), int(rows[-1]["FailedCall(C)"])
        first, invites, oks = [], [], []
        if self.tap is not None:
            call_ids = self.tap.call_ids(since - 1, until)
            prompts = self.controllers.first_prompts()
            for call_id in call_ids:
                at = prompts.get(call_sid_for(call_id))
                if at is not None:
                    first.append((at - self.tap.seen[call_id, "invite_in"]) * 1000)
            invites, oks = self.tap.hops_ms(call_ids)
        made, connected, bridged = records("SIP", since - 1)
        return {
            "calls": count, "ok": ok, "failed": failed + max(0, count - ok - failed), "made": made,
            "connected": connected, "bridged": bridged, "first": first, "edge": invites + oks,
            "cpu": cpu, "sipp": sipp.returncode,
        }  # fmt: skip

    def _cpu(self) -> list[float]:
        edge = wh.process_tree_cpu_s(self.edge.process.pid) if self.edge and self.edge.process else 0.0
        peers = sum(
            wh.process_tree_cpu_s(p.pid) for p in (self.trunk.process, self.fallback.process) if p is not None
        )
        return [self.controllers.cpu_s(), edge, wh.process_tree_cpu_s(self.args.postmaster), peers]

    def _settle(self, since: float, count: int) -> None:
        """Until every call of the step has its end in the records (or ``SETTLE_S``)."""
        from django.db import connection

        from clearline.telephony.models import Call

        deadline = time.monotonic() + SETTLE_S
        start = dt.datetime.fromtimestamp(since - 1, dt.UTC)
        while time.monotonic() < deadline:
            open_calls = Call.objects.filter(
                call_sid__startswith="SIP", started_at__gte=start, ended_at__isnull=True
            ).count()
            connection.close()
            if not open_calls:
                return
            time.sleep(0.5)


def twilio_call(client: wh.Client, due: float, talk_s: float, result: dict[str, object]) -> None:
    sid = "CA" + uuid.uuid4().hex
    try:
        status, body = client.twilio_post("/telephony/twilio/voice", sid)
        result["first"] = (time.perf_counter() - due) * 1000
        action = wh.GATHER_ACTION.search(body)
        assert status == 200 and action, f"voice {status}"
        status, body = client.twilio_post(
            wh.path_of(action.group(1)), sid, Digits="1", CallStatus="in-progress"
        )
        dial, number = DIAL_ACTION.search(body), NUMBER_URL.search(body)
        assert status == 200 and dial and number, f"menu {status}"
        leg = "CA" + uuid.uuid4().hex
        status, body = client.twilio_post(wh.path_of(number.group(1)), leg, CallStatus="in-progress")
        accept = wh.GATHER_ACTION.search(body)
        assert status == 200 and accept, f"whisper {status}"
        status, body = client.twilio_post(
            wh.path_of(accept.group(1)), leg, Digits="1", CallStatus="in-progress"
        )
        assert status == 200, f"whisper accept {status}"
        time.sleep(talk_s)
        fields = {
            "DialCallStatus": "completed",
            "DialCallDuration": str(int(talk_s)),
            "CallStatus": "in-progress",
        }
        status, _ = client.twilio_post(wh.path_of(dial.group(1)), sid, **fields)
        assert status == 200, f"dial action {status}"
        status, _ = client.twilio_post(
            "/telephony/twilio/status", sid, CallStatus="completed", CallDuration="15"
        )
        assert status == 204, f"status {status}"
        result["ok"] = True
    except (AssertionError, OSError) as error:
        result["error"] = str(error) or type(error).__name__


def twilio_step(client: wh.Client, rate: float, seconds: float, talk_s: float, meter: list[int]) -> dict:
    count = max(1, round(rate * seconds))
    results: list[dict[str, object]] = [{} for _ in range(count)]
    before = [wh.process_tree_cpu_s(pid) for pid in meter]
    since, start = time.time(), time.perf_counter() + 0.05
    threads = []
    for i in range(count):
        due = start + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        thread = threading.Thread(target=twilio_call, args=(client, due, talk_s, results[i]))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    cpu = [wh.process_tree_cpu_s(pid) - b for pid, b in zip(meter, before, strict=True)]
    made, connected, bridged = records("CA", since - 1)
    ok = sum(1 for r in results if r.get("ok"))
    return {
        "calls": count, "ok": ok, "failed": count - ok, "made": made, "connected": connected,
        "bridged": bridged, "first": [float(r["first"]) for r in results if "first" in r],
        "errors": sorted({str(r["error"]) for r in results if "error" in r})[:3], "cpu": cpu,
    }  # fmt: skip


def line(label: str, rate: float, r: dict) -> str:
    done = max(int(r["ok"]), 1)
    cpu = " + ".join(
        f"{name} {s * 1000 / done:.0f}" for name, s in zip(r["cpu_names"], r["cpu"], strict=True)
    )
    edge = f"  edge +{pct(r['edge'], 0.5)}/{pct(r['edge'], 0.95)} ms" if r.get("edge") else ""
    return (
        f"{rate:5.2f}/s {label:7} {r['ok']:4}/{r['calls']:<4} failed {r['failed']:<3} "
        f"recorded {r['made']:<4} connected {r['connected']:<4} "
        f"first prompt p50 {pct(r['first'], 0.5):>6} p95 {pct(r['first'], 0.95):>6} ms  "
        f"bridged at once {r['bridged']:<3} CPU/call ms: {cpu}{edge}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="0.5,1,2", help="calls/s, comma-separated (default 0.5,1,2)")
    parser.add_argument(
        "--seconds", type=float, default=20.0, help="seconds of new calls per rate (default 20)"
    )
    parser.add_argument("--controllers", type=int, default=12, help="controller processes (default 12)")
    parser.add_argument("--max-calls", type=int, default=4, help="CLEARLINE_SIP_MAX_CALLS (default 4)")
    parser.add_argument("--talk-s", type=float, default=10.0, help="seconds bridged before BYE (default 10)")
    parser.add_argument("--no-twilio", action="store_true", help="only the SIP calls")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):  # a throw-away PostgreSQL on a Unix socket, as bench/webhooks.py
        helper = str(ROOT / "tools" / "with_postgres.py")
        os.execv(sys.executable, [sys.executable, helper, "--", sys.executable, __file__, *argv])  # noqa: S606
    # SIGTERM (a timeout, say) stops what this run started, as the end of a run does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    wh.prepare_database()
    args.postmaster = wh.postmaster_pid()
    folder = Path(tempfile.mkdtemp(prefix="sip-load-"))
    rig, server = SipRig(folder, args), None
    goals = {"failed": True, "bridged": 0, "edge95": 0.0}
    try:
        rig.start()
        port = wh.free_port()
        if not args.no_twilio:
            server = wh.start_gunicorn(port, 4, "clearline.wsgi:application")
        import pjsua2

        print(
            f"{args.controllers} controllers (CLEARLINE_SIP_MAX_CALLS {args.max_calls}, pjsua2 from "
            f"{Path(pjsua2.__file__).parent}), Kamailio 4 workers on {wh.HOST}:{rig.edge.port}, sipp trunk and "
            f"caller; talk {args.talk_s:.0f} s; {os.cpu_count()} CPUs shared with everything else on this machine; "
            f"load average before: {os.getloadavg()[0]:.2f}; logs in {folder}"
        )
        rig.call_step(0.5, 2)  # warm-up: each prompt of the call rendered once
        client = wh.Client(port)
        for rate in [float(r) for r in args.rates.split(",")]:
            sip = rig.call_step(rate, args.seconds)
            sip["cpu_names"] = ("controllers", "kamailio", "db", "[sipp peers]")
            print(line("SIP", rate, sip), flush=True)
            goals["failed"] = goals["failed"] and not sip["failed"]
            goals["bridged"] = max(goals["bridged"], int(sip["bridged"]))
            goals["edge95"] = max(goals["edge95"], wh.percentile(sip["edge"], 0.95) if sip["edge"] else 0.0)
            if server is not None:
                twilio = twilio_step(client, rate, args.seconds, args.talk_s, [server.pid, args.postmaster])
                twilio["cpu_names"] = ("gunicorn", "db")
                print(
                    line("Twilio", rate, twilio)
                    + (f"  errors: {twilio['errors']}" if twilio["errors"] else "")
                )
        print(f"load average after: {os.getloadavg()[0]:.2f}")
        print(f"{wh.verdict(goals['failed'])} 0 failed SIP calls at every rate run")
        print(f"{wh.verdict(goals['bridged'] >= 50)} >= 50 bridged calls at once (peak {goals['bridged']})")
        print(
            f"{wh.verdict(goals['edge95'] <= 2.0)} Kamailio adds <= 2 ms p95 (worst step {goals['edge95']:.2f} ms)"
        )
    finally:
        if server is not None:
            wh.stop(server)
        rig.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
