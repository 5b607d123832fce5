"""Wave set-up benchmark: what ringing a wave in Twilio's queue shape adds to the webhook that starts it.

Run: ``.venv/bin/python bench/waves.py [--calls 40] [--rtt-ms 0 150]``.

A benchmark, not a test: it prints figures and exits 0.

In the ``<Dial>`` shape the webhook that starts a wave (the greeting's menu action) holds the lines, records the
attempts and answers one ``<Dial>``: Twilio then rings the providers. In the queue shape the same webhook also
starts each provider's leg through the REST API (one ``POST Calls.json`` per provider, sent in parallel) and
answers ``<Enqueue>`` only when Twilio has answered them all. The added set-up time is the difference between the
two, measured here on the same database, for the same calls (a helpline and three providers open 24/7, two in the
first wave), through Django's test client in this process (the request handling, not the network to Twilio).

Twilio is played by a stand-in on 127.0.0.1 that answers each ``Calls.json`` after ``--rtt-ms`` milliseconds: 0
measures Clearline's own cost (threads, requests, the leg SIDs stored); a figure such as 150 adds a round trip to
``api.twilio.com`` with a TLS handshake, which the REST client pays per request (no connection reuse). The legs
are started in parallel, so a wave of N pays about one round trip, not N. The database is a throw-away SQLite
file built from the models; nothing else is started and nothing is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "bench-auth-token-0123456789abcdef"  # noqa: S105 - a bench-only token for a throw-away database
ACCOUNT = "AC" + "0" * 32
HELPLINE = "+12065550101"
CALLER = "+12065550177"


def stand_in(rtt_ms: float) -> ThreadingHTTPServer:
    """Twilio's REST API, answering every request after ``rtt_ms``; every leg it "starts" never rings."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            time.sleep(rtt_ms / 1000)
            body = json.dumps({"sid": "CA" + uuid.uuid4().hex, "status": "queued"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=40, help="calls per shape (default 40)")
    parser.add_argument("--rtt-ms", type=float, nargs="+", default=[0.0, 150.0], help="stand-in delays")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="clearline-bench-waves-")
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: str) -> None:
    Path(folder, "static").mkdir()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="clearline.settings",
        CLEARLINE_ENV="test",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        CLEARLINE_VAR_DIR=folder,
        TWILIO_ACCOUNT_SID=ACCOUNT,
        TWILIO_AUTH_TOKEN=TOKEN,
        CLEARLINE_PUBLIC_URL="",
    )
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from twilio.request_validator import RequestValidator

    logging.disable(logging.WARNING)
    call_command("migrate", run_syncdb=True, verbosity=0)
    from clearline.content.models import Helpline
    from clearline.content.tests.conftest import add_provider

    Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)
    for name, phone in (("Alder", "+12065550131"), ("Birch", "+12065550132"), ("Cedar", "+12065550133")):
        provider = add_provider(name)
        provider.phone, provider.lines = phone, 1000
        provider.save()

    client = Client()

    def post(path: str, call_sid: str, **fields: str) -> tuple[float, bytes]:
        data = {"CallSid": call_sid, "AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE, **fields}
        url = "http://testserver" + path
        signature = RequestValidator(TOKEN).compute_signature(url, data)
        started = time.perf_counter()
        response = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code in (200, 204), response.content[:200]
        return elapsed, response.content

    def wave_starts(shape: str) -> list[float]:
        settings.CLEARLINE_TWILIO_WAVES = shape
        times = []
        for _ in range(args.calls):
            sid = "CA" + uuid.uuid4().hex
            _, greeting = post("/telephony/twilio/voice", sid, CallStatus="ringing")
            menu = greeting.decode().split('action="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
            elapsed, body = post(menu.removeprefix("http://testserver"), sid, Digits="")
            assert (b"<Enqueue" if shape == "queue" else b"<Dial") in body, body[:300]
            times.append(elapsed)
            post("/telephony/twilio/status", sid, CallStatus="completed", CallDuration="30")
        return times

    def line(label: str, times: list[float]) -> str:
        ordered = sorted(times)
        p90 = ordered[max(0, int(len(ordered) * 0.9) - 1)]
        return (
            f"{label:<34} p50 {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   ({len(times)} calls)"
        )

    wave_starts("dial")  # warm-up: imports, the roster's cache, the first statements
    dial = wave_starts("dial")
    print("The webhook that starts a wave of 2 providers (the greeting's menu action):")
    print(line("<Dial> shape", dial))
    for rtt in args.rtt_ms:
        server = stand_in(rtt)
        settings.TWILIO_API_ROOT = f"http://127.0.0.1:{server.server_address[1]}"
        queue = wave_starts("queue")
        server.shutdown()
        server.server_close()
        print(line(f"queue shape, REST round trip {rtt:g} ms", queue))
        added = statistics.median(queue) - statistics.median(dial)
        print(f"{'':<34} added set-up per wave: {added:+.1f} ms (median)")


if __name__ == "__main__":
    main()
