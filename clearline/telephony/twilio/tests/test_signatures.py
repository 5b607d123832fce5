from __future__ import annotations

import pytest
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from clearline.telephony.twilio.signatures import expected_signature, is_valid_twilio_request, twilio_webhook

TOKEN = "12345678901234567890123456789012"
PATH = "/telephony/twilio/voice?call=7"
FIELDS = {
    "CallSid": "CA33333333333333333333333333333333",
    "AccountSid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "From": "+15555550199",
    "To": "+15555550101",
    "CallStatus": "ringing",
    "Direction": "inbound",
}
calls: list[str] = []


@twilio_webhook
def dummy_view(request):
    calls.append(request.POST["CallSid"])
    return HttpResponse("<Response/>", content_type="text/xml")


@pytest.fixture(autouse=True)
def twilio_on(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.CLEARLINE_PUBLIC_URL = ""
    calls.clear()


def signed_post(url_signed: str, fields=FIELDS, token=TOKEN, path=PATH, **headers):
    signature = RequestValidator(token).compute_signature(url_signed, fields)
    return RequestFactory().post(path, fields, HTTP_X_TWILIO_SIGNATURE=signature, **headers)


def test_it_accepts_a_request_signed_for_the_url_django_sees():
    request = signed_post("http://testserver" + PATH)
    assert is_valid_twilio_request(request)
    assert dummy_view(request).status_code == 200
    assert calls == [FIELDS["CallSid"]]


def test_it_rejects_a_forged_signature_and_does_nothing_else():
    request = signed_post("http://testserver" + PATH, token="not-the-token-not-the-token-1234")
    assert not is_valid_twilio_request(request)
    response = dummy_view(request)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert calls == []


def test_it_rejects_changed_fields():
    signature = RequestValidator(TOKEN).compute_signature("http://testserver" + PATH, FIELDS)
    tampered = {**FIELDS, "To": "+15555550102"}
    request = RequestFactory().post(PATH, tampered, HTTP_X_TWILIO_SIGNATURE=signature)
    assert dummy_view(request).status_code == 403


def test_it_rejects_a_request_without_the_header():
    request = RequestFactory().post(PATH, FIELDS)
    assert not is_valid_twilio_request(request)
    assert dummy_view(request).status_code == 403
    assert calls == []


def test_behind_a_proxy_it_checks_the_public_url(settings):
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"
    public = signed_post("https://help.example.org" + PATH)
    assert is_valid_twilio_request(public)
    assert dummy_view(public).status_code == 200
    internal = signed_post("http://testserver" + PATH)
    assert not is_valid_twilio_request(internal)


def test_the_query_string_is_part_of_what_is_signed():
    request = signed_post("http://testserver/telephony/twilio/voice?call=8")
    assert dummy_view(request).status_code == 403


@pytest.mark.parametrize("token", [None, ""])
def test_with_the_integration_off_webhooks_are_not_found(settings, token):
    request = signed_post("http://testserver" + PATH)
    settings.TWILIO_AUTH_TOKEN = token
    assert dummy_view(request).status_code == 404
    assert not is_valid_twilio_request(request)
    assert calls == []


def test_webhooks_need_no_csrf_token():
    assert getattr(dummy_view, "csrf_exempt", False)


def test_a_signature_made_for_the_url_with_its_port_is_still_accepted():
    """Twilio signs some URLs with the port: the first, exact check fails and the validator's variants decide."""
    request = signed_post("http://testserver:80" + PATH)
    assert is_valid_twilio_request(request)


def test_a_signature_that_is_not_ascii_is_refused_not_an_error():
    request = RequestFactory().post(PATH, FIELDS, HTTP_X_TWILIO_SIGNATURE="sïgnature")
    assert not is_valid_twilio_request(request)
    assert dummy_view(request).status_code == 403


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    fields=st.lists(
        st.tuples(st.text(min_size=1, max_size=12), st.text(max_size=20)), min_size=0, max_size=8
    ),
    url=st.sampled_from(
        ["http://testserver/telephony/twilio/voice", "https://help.example.org/x?call=CA1&step=2"]
    ),
    algorithm=st.sampled_from(["hmac_sha1", "HMAC_SHA256"]),
)
def test_the_expected_signature_is_twilios_for_any_fields(fields, url, algorithm):
    """Repeated names, repeated values, any characters: the same signature as Twilio's own library."""
    params = QueryDict(mutable=True)
    for name, value in fields:
        params.appendlist(name, value)
    assert expected_signature(TOKEN, url, params, algorithm.upper()) == RequestValidator(
        TOKEN
    ).compute_signature(url, params, algorithm)


def test_a_sha256_signature_from_the_signature_settings_header_is_accepted():
    signature = RequestValidator(TOKEN).compute_signature("http://testserver" + PATH, FIELDS, "HMAC_SHA256")
    request = RequestFactory().post(
        PATH,
        FIELDS,
        HTTP_X_TWILIO_SIGNATURE=signature,
        HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS="key=webhooks_sharedkey_1,algorithm=HMAC_SHA256",
    )
    assert is_valid_twilio_request(request)
