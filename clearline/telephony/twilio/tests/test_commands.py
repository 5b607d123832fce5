from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse

RESPONSES = Path(__file__).parent / "responses"
PAGES = [json.loads((RESPONSES / f"incoming_numbers_page{n}.json").read_text()) for n in (0, 1)]
UPDATED = json.loads((RESPONSES / "incoming_number_updated.json").read_text())
FALLBACK = "https://static.example.org/clearline/fallback.xml"


@pytest.fixture
def twilio_on(settings, db):
    # db: the sync reads which of the account's numbers are Clearline's listing numbers.
    settings.TWILIO_ACCOUNT_SID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    settings.TWILIO_AUTH_TOKEN = "12345678901234567890123456789012"
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"


def recorded_twilio(method, path, data=None):
    """Twilio's answers, as recorded: two pages of numbers, and the number after an update."""
    if method == "POST":
        return UPDATED
    pages = {"IncomingPhoneNumbers.json": PAGES[0], PAGES[0]["next_page_uri"]: PAGES[1]}
    return pages[path]


@pytest.fixture
def twilio_request():
    with mock.patch("clearline.telephony.twilio.client.twilio_request", autospec=True) as patched:
        patched.side_effect = recorded_twilio
        yield patched


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_dry_run_lists_the_numbers_and_changes_nothing(twilio_on, twilio_request):
    out, _ = run("twilio_sync_numbers", "--dry-run", "--fallback-url", FALLBACK)
    assert "+15555550101 (Heroin helpline): voice URL https://demo.twilio.com/welcome/voice/ -> " in out
    assert "https://help.example.org/telephony/twilio/voice" in out
    assert "+15555550101 (Heroin helpline): status callback (none) -> " in out
    assert f"fallback URL (none) -> {FALLBACK}" in out
    assert "+15555550102 (Listing: Harbor Light Recovery): up to date" in out
    assert "2 numbers, 1 would change." in out
    assert all(call.args[0] == "GET" for call in twilio_request.call_args_list)


def test_the_sync_updates_only_numbers_that_differ(twilio_on, twilio_request):
    out, _ = run("twilio_sync_numbers", "--fallback-url", FALLBACK)
    posts = [call for call in twilio_request.call_args_list if call.args[0] == "POST"]
    assert len(posts) == 1
    _, path, data = posts[0].args
    assert path == "IncomingPhoneNumbers/PN11111111111111111111111111111111.json"
    assert data["VoiceUrl"] == "https://help.example.org/telephony/twilio/voice"
    assert data["StatusCallback"] == "https://help.example.org/telephony/twilio/status"
    assert data["VoiceFallbackUrl"] == FALLBACK
    assert "2 numbers, 1 changed." in out


def test_without_a_fallback_url_it_warns_about_numbers_that_have_none(twilio_on, twilio_request):
    _, err = run("twilio_sync_numbers", "--dry-run")
    assert "+15555550101 (Heroin helpline) has no fallback URL" in err
    assert "+15555550102" not in err


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "CLEARLINE_PUBLIC_URL"])
def test_the_sync_refuses_without_its_settings(twilio_on, twilio_request, settings, missing):
    setattr(settings, missing, "" if missing == "CLEARLINE_PUBLIC_URL" else None)
    with pytest.raises(CommandError, match=missing):
        run("twilio_sync_numbers", "--dry-run")
    twilio_request.assert_not_called()


def test_the_sync_refuses_a_fallback_served_by_clearline_itself(twilio_on, twilio_request):
    with pytest.raises(CommandError, match="must not be served by Clearline"):
        run("twilio_sync_numbers", "--fallback-url", "https://help.example.org/static/fallback.xml")


def test_the_export_writes_the_fallback_and_its_crisis_document(tmp_path):
    target = tmp_path / "fallback.xml"
    out, _ = run("export_fallback_twiml", "--output", str(target))
    main = target.read_text()
    crisis = (tmp_path / "fallback-crisis.xml").read_text()
    root = assert_never_silent(main)
    assert root.find("Gather").get("action") == "fallback-crisis.xml"
    assert dialled(root) == [FREE_HELPLINE_NUMBER]
    assert "http" not in main and "http" not in crisis
    assert_never_silent(crisis)
    assert str(target) in out


def test_the_export_prints_to_standard_output_in_spanish():
    out, _ = run("export_fallback_twiml", "--language", "es")
    root = parse(out)
    assert {say.get("language") for say in root.iter("Say")} == {"es-US"}
    assert root.find("Gather").get("action") == "fallback-crisis.xml"
    crisis, _ = run("export_fallback_twiml", "--language", "es", "--crisis")
    assert dialled(parse(crisis))[0] == CRISIS_NUMBER


def test_a_spanish_pair_links_to_its_own_crisis_document(tmp_path):
    run("export_fallback_twiml", "--output", str(tmp_path / "fallback-es.xml"), "--language", "es")
    root = parse((tmp_path / "fallback-es.xml").read_text())
    assert root.find("Gather").get("action") == "fallback-es-crisis.xml"
    crisis = parse((tmp_path / "fallback-es-crisis.xml").read_text())
    assert {say.get("language") for say in crisis.iter("Say")} == {"es-US"}
