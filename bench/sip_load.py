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
import os
import re
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

import webhooks as wh  # noqa: E402 (bench/webhooks.py: PostgreSQL, gunicorn, signed Twilio posts, CPU)
from sip_rig import SipRig, records  # noqa: E402

HELPLINE = wh.HELPLINE
DIAL_ACTION = re.compile(rb'<Dial[^>]*\saction="([^"]+)"')
NUMBER_URL = re.compile(rb'<Number[^>]*\surl="([^"]+)"')


def pct(values: list[float], q: float) -> str:
    return f"{wh.percentile(values, q):.1f}" if values else "-"


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
