"""The SIP side of bench/sip_load.py: the controller processes, the sipp trunk and fallback, Kamailio with the
edge tap, and one step of sipp calls with its figures (the Twilio side and the report are in sip_load.py)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import webhooks as wh  # bench/webhooks.py: PostgreSQL, signed Twilio posts, CPU from /proc
from sip_tap import EdgeTap

ROOT = Path(__file__).resolve().parent.parent
HELPLINE = wh.HELPLINE
PRESS_AT_MS = 1500  # when the caller presses 1 in the greeting: the first wave rings
SETTLE_S = 20.0  # how long a step waits for its calls' records to end
FIRST_PROMPT = re.compile(
    r"SIP call (SIP[0-9a-f]{32}): first prompt [0-9.]+ ms after the INVITE \(at ([^)]+)\)"
)


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
