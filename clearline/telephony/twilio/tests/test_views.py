from __future__ import annotations

from urllib.parse import urljoin

import pytest
from django.test import RequestFactory
from twilio.request_validator import RequestValidator

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse
from clearline.telephony.twilio.views import fallback_crisis

TOKEN = "12345678901234567890123456789012"


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"


def gather_fetch(failing_view_url: str, language: str):
    """The GET Twilio makes when the caller presses 9 during the fallback a failing view returned."""
    action = parse(twiml.render_fallback(language)).find("Gather").get("action")
    url = urljoin(failing_view_url, action)
    path = url.removeprefix("https://help.example.org")
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    return url, RequestFactory().get(path, HTTP_X_TWILIO_SIGNATURE=signature)


def test_a_failing_views_fallback_reaches_the_crisis_line_without_the_database():
    url, request = gather_fetch("https://help.example.org/telephony/twilio/menu?call=CA1&step=1", "en")
    assert url == "https://help.example.org/telephony/twilio/fallback-crisis.xml"
    response = fallback_crisis(request)
    assert response.status_code == 200
    root = assert_never_silent(response.content.decode())
    assert dialled(root) == [CRISIS_NUMBER, FREE_HELPLINE_NUMBER]


def test_the_spanish_fallback_keeps_its_language():
    url, request = gather_fetch("https://help.example.org/telephony/twilio/voice", "es")
    assert url.endswith("/telephony/twilio/fallback-crisis.xml?lang=es")
    root = parse(fallback_crisis(request).content.decode())
    assert {say.get("language") for say in root.iter("Say")} == {"es-US"}


def test_the_crisis_fallback_checks_its_signature():
    request = RequestFactory().get("/telephony/twilio/fallback-crisis.xml", HTTP_X_TWILIO_SIGNATURE="forged")
    assert fallback_crisis(request).status_code == 403
