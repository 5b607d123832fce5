from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest
import requests

from clearline.telephony.twilio import client
from clearline.telephony.twilio.client import TwilioApiError, TwilioNotConfigured

RESPONSES = Path(__file__).parent / "responses"
SID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
TOKEN = "12345678901234567890123456789012"
ACCOUNT = f"https://api.twilio.com/2010-04-01/Accounts/{SID}"


def recorded(name: str, status: int = 200) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = (RESPONSES / f"{name}.json").read_bytes()
    response.reason = {200: "OK", 201: "CREATED", 400: "BAD REQUEST", 404: "NOT FOUND"}.get(status, "")
    return response


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_SMS_FROM = "+15555550100"


def test_a_request_authenticates_and_times_out():
    with mock.patch("requests.request", return_value=recorded("call")) as request:
        call = client.fetch_call("CA33333333333333333333333333333333")
    assert call["status"] == "completed"
    request.assert_called_once_with(
        "GET",
        f"{ACCOUNT}/Calls/CA33333333333333333333333333333333.json",
        params=None,
        data=None,
        auth=(SID, TOKEN),
        timeout=10,
    )


def test_a_4xx_raises_twilio_api_error_with_twilios_message():
    with (
        mock.patch("requests.request", return_value=recorded("error_not_found", 404)),
        pytest.raises(TwilioApiError) as raised,
    ):
        client.fetch_call("CA00000000000000000000000000000000")
    assert raised.value.status == 404
    assert raised.value.code == 20404
    assert "was not found" in raised.value.message
    assert "was not found" in str(raised.value)


def test_a_5xx_without_a_json_body_still_raises_a_typed_error():
    response = requests.Response()
    response.status_code, response._content, response.reason = (
        503,
        b"<html>down</html>",
        "Service Unavailable",
    )
    with mock.patch("requests.request", return_value=response), pytest.raises(TwilioApiError) as raised:
        client.twilio_request("GET", "Calls.json")
    assert raised.value.status == 503
    assert raised.value.message == "Service Unavailable"


def test_a_network_failure_raises_a_typed_error():
    with (
        mock.patch("requests.request", side_effect=requests.ConnectTimeout("slow")),
        pytest.raises(TwilioApiError, match="could not reach Twilio"),
    ):
        client.twilio_request("GET", "Calls.json")


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_without_credentials_it_refuses_before_any_http(settings, missing):
    setattr(settings, missing, None)
    with mock.patch("requests.request") as request, pytest.raises(TwilioNotConfigured):
        client.twilio_request("GET", "Calls.json")
    request.assert_not_called()


def test_listing_numbers_follows_the_pages():
    pages = [recorded("incoming_numbers_page0"), recorded("incoming_numbers_page1")]
    with mock.patch("requests.request", side_effect=pages) as request:
        numbers = client.list_incoming_numbers()
    assert [n.phone_number for n in numbers] == ["+15555550101", "+15555550102"]
    assert numbers[1].voice_fallback_url == "https://static.example.org/clearline/fallback.xml"
    first, second = request.call_args_list
    assert first.args == ("GET", f"{ACCOUNT}/IncomingPhoneNumbers.json")
    assert first.kwargs["params"] == {"PageSize": 100}
    next_page = json.loads((RESPONSES / "incoming_numbers_page0.json").read_text())["next_page_uri"]
    assert second.args == ("GET", "https://api.twilio.com" + next_page)
    assert second.kwargs["params"] is None


def test_updating_a_number_posts_the_webhooks_and_a_get_fallback():
    with mock.patch.object(client, "twilio_request", autospec=True) as twilio_request:
        twilio_request.return_value = json.loads((RESPONSES / "incoming_number_updated.json").read_text())
        number = client.update_incoming_number(
            "PN11111111111111111111111111111111",
            "https://help.example.org/telephony/twilio/voice",
            "https://help.example.org/telephony/twilio/status",
            "https://static.example.org/clearline/fallback.xml",
        )
    twilio_request.assert_called_once_with(
        "POST",
        "IncomingPhoneNumbers/PN11111111111111111111111111111111.json",
        {
            "VoiceUrl": "https://help.example.org/telephony/twilio/voice",
            "VoiceMethod": "POST",
            "StatusCallback": "https://help.example.org/telephony/twilio/status",
            "StatusCallbackMethod": "POST",
            "VoiceFallbackUrl": "https://static.example.org/clearline/fallback.xml",
            "VoiceFallbackMethod": "GET",
        },
    )
    assert number.voice_url == "https://help.example.org/telephony/twilio/voice"


def test_sending_a_text_uses_the_configured_sender():
    with mock.patch("requests.request", return_value=recorded("message_created", 201)) as request:
        message = client.send_sms("+15555550150", "Clearline: a callback is waiting in your portal.")
    assert message["sid"].startswith("SM")
    assert request.call_args.args == ("POST", f"{ACCOUNT}/Messages.json")
    assert request.call_args.kwargs["data"] == {
        "From": "+15555550100",
        "To": "+15555550150",
        "Body": "Clearline: a callback is waiting in your portal.",
    }


def test_a_rejected_text_raises_with_twilios_message():
    with (
        mock.patch("requests.request", return_value=recorded("error_invalid_to", 400)),
        pytest.raises(TwilioApiError, match="Invalid 'To' Phone Number") as raised,
    ):
        client.send_sms("+1555555", "hello")
    assert raised.value.code == 21211


def test_texts_need_a_sender(settings):
    settings.TWILIO_SMS_FROM = None
    with pytest.raises(TwilioNotConfigured, match="TWILIO_SMS_FROM"):
        client.send_sms("+15555550150", "hello")
