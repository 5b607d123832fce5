"""The WSGI application sends telephony webhooks through the lean middleware chain and pages through the full one."""

from __future__ import annotations

import io
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections
from twilio.request_validator import RequestValidator

from clearline.telephony.models import Call
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_webhooks import ACCOUNT, TOKEN, twilio_on  # noqa: F401 (autouse fixture)
from clearline.wsgi import build_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request must not close the connection the test's transaction is on."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call_wsgi(application, method: str, path: str, fields: dict[str, str] | None = None, headers=None):
    body = urlencode(fields or {}).encode()
    environ: dict = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **(headers or {}),
    }
    setup_testing_defaults(environ)
    captured: dict = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(response_headers)

    captured["body"] = b"".join(application(environ, start_response))
    return captured


def test_a_signed_webhook_is_answered_by_the_lean_chain_and_a_page_by_the_full_one(helpline, providers):
    application = build_application()
    fields = {
        "CallSid": "CA" + "7" * 32,
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": HELPLINE,
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    signature = RequestValidator(TOKEN).compute_signature("http://testserver/telephony/twilio/voice", fields)
    webhook = call_wsgi(
        application, "POST", "/telephony/twilio/voice", fields, {"HTTP_X_TWILIO_SIGNATURE": signature}
    )
    assert webhook["status"] == 200, webhook["body"]
    assert webhook["headers"]["Content-Type"].startswith("text/xml")
    # The greeting names the first wave (which of the three providers rotation puts first is not this test's point).
    assert b"<Gather" in webhook["body"] and any(p.name.encode() in webhook["body"] for p in providers)
    # None of the page middleware ran: no policy header, no cookies, no language negotiation.
    assert "Content-Security-Policy" not in webhook["headers"]
    assert "Set-Cookie" not in webhook["headers"] and "Vary" not in webhook["headers"]
    assert Call.objects.filter(call_sid="CA" + "7" * 32).exists()

    page = call_wsgi(application, "GET", "/where-do-calls-go/")
    assert page["status"] == 200
    assert "Content-Security-Policy" in page["headers"]


def test_a_forged_webhook_is_still_refused_on_the_lean_chain(helpline, providers):
    fields = {"CallSid": "CA" + "8" * 32, "AccountSid": ACCOUNT, "From": CALLER, "To": HELPLINE}
    response = call_wsgi(
        build_application(), "POST", "/telephony/twilio/voice", fields, {"HTTP_X_TWILIO_SIGNATURE": "forged"}
    )
    assert response["status"] == 403
    assert not Call.objects.exists()


def test_the_full_chain_keeps_its_middleware_after_the_lean_one_is_built(settings):
    before = list(settings.MIDDLEWARE)
    build_application()
    assert before == settings.MIDDLEWARE
