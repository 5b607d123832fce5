"""Killing the web process between "callback recorded" and "confirmation spoken" loses no callback (rule 6).

A child process serves one whole call through the real Twilio webhooks (signed, with Twilio's form fields) with
``django.test.Client`` against a file-based SQLite database in a temporary folder: greeting, menu, every wave
unanswered, then "press 1 for a callback". The child replaces ``twiml.render_callback_confirmed``, the first
thing the view does after ``services.record_callback`` returns, with a SIGKILL of its own process: no exception
handler, no ``finally``, no atexit runs, as when the OS or a supervisor kills a worker. The parent then opens the
database file itself and finds the callback request, committed, with the caller's encrypted number.

The child builds its tables straight from the models (``migrate --run-syncdb`` with migrations disabled, what
pytest-django's ``--no-migrations`` does): applying every migration to a fresh file takes several times longer,
and migrations are exercised by the PostgreSQL run of the suite anyway. The database file uses the settings'
own SQLite options (WAL, synchronous=NORMAL), so this also checks that those keep a commit across a process
kill.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from clearline.lib.phone import decrypt_number
from clearline.telephony.tests.conftest import CALLER

REPO = Path(__file__).resolve().parents[3]
CALL_SID = "CA" + "d" * 32
TOKEN = "durability-test-token-0123456789"
ACCOUNT = "AC" + "0" * 32

CHILD = textwrap.dedent(
    f"""
    import os, signal, sys, datetime as dt
    import django
    from django.apps import apps
    from django.conf import settings

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # locmem email, testserver host; the database stays the file
    settings.MIGRATION_MODULES = {{config.label: None for config in apps.get_app_configs()}}
    settings.TASKS = {{"default": {{"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}}}
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)

    from defusedxml.ElementTree import fromstring
    from django.test import Client
    from twilio.request_validator import RequestValidator

    from clearline.content.models import Helpline
    from clearline.content.tests.conftest import add_provider
    from clearline.telephony.tests.conftest import CALLER, HELPLINE
    from clearline.telephony.twilio import twiml

    Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)
    for name, phone in (("Alder Recovery", "+12065550131"), ("Birch Health", "+12065550132")):
        provider = add_provider(name)
        provider.phone, provider.open_24_7, provider.lines = phone, True, 1
        provider.license_expires_on = provider.certification_expires_on = dt.date(dt.date.today().year + 5, 1, 1)
        provider.save()

    client = Client()

    def post(url, **fields):
        url = url.removeprefix("http://testserver")
        data = {{"CallSid": {CALL_SID!r}, "AccountSid": {ACCOUNT!r}, "From": CALLER, "To": HELPLINE,
                "CallStatus": "in-progress", "Direction": "inbound", "ApiVersion": "2010-04-01", **fields}}
        signature = RequestValidator({TOKEN!r}).compute_signature("http://testserver" + url, data)
        response = client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)
        assert response.status_code == 200, response.content
        return fromstring(response.content)

    def action(root, tag):
        return root.find(".//" + tag).get("action")

    root = post("/telephony/twilio/voice")
    root = post(action(root, "Gather"), Digits="")
    while root.find(".//Dial/Number") is not None:  # a provider wave: nobody answers
        root = post(action(root, "Dial"), DialCallStatus="no-answer")
    offer = " ".join(say.text for say in root.iter("Say"))
    assert "call you back" in offer, offer

    def killed_before_speaking(*args, **kwargs):
        print("KILLING AFTER RECORD", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    twiml.render_callback_confirmed = killed_before_speaking
    print("PRESSING 1", flush=True)
    post(action(root, "Gather"), Digits="1")
    print("CONFIRMATION RENDERED: the kill did not happen", flush=True)
    """
)


def test_a_callback_recorded_before_the_process_is_killed_is_committed(tmp_path):
    database = tmp_path / "clearline.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {
        **os.environ,
        "CLEARLINE_ENV": "test",
        "DJANGO_SETTINGS_MODULE": "clearline.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "CLEARLINE_VAR_DIR": str(tmp_path),
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "CLEARLINE_PUBLIC_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    child = subprocess.run(
        [sys.executable, str(script)], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    report = f"stdout:\n{child.stdout}\nstderr:\n{child.stderr[-3000:]}"
    assert child.returncode == -signal.SIGKILL, report
    assert "KILLING AFTER RECORD" in child.stdout and "CONFIRMATION RENDERED" not in child.stdout, report

    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT r.status, r.encrypted_number, c.outcome FROM telephony_callbackrequest r "
            "JOIN telephony_call c ON c.id = r.call_id WHERE c.call_sid = ?",
            (CALL_SID,),
        ).fetchall()
    assert len(rows) == 1, report
    status, encrypted_number, outcome = rows[0]
    assert (status, outcome) == ("open", "callback")
    assert decrypt_number(encrypted_number) == CALLER
