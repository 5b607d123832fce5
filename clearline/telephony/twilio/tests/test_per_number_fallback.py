"""A fallback per number: while Clearline is down, a listing number still rings its facility and nobody else.

DESIGN.md §3 rule 1: the static fallback Twilio plays when the app fails must not turn a listing number into the
helpline (which said "This is the Clearline helpline ... treatment provider" and sent the caller to SAMHSA
instead of the facility). ``export_fallback_twiml --per-number DIR`` writes one file per number and
``twilio_sync_numbers --fallback-base URL`` points each number at its own file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError

from clearline.content.models import Helpline, HelplineKind
from clearline.content.tests.conftest import add_provider
from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility
from clearline.directory.services import record_listing_consent, verified_destination_for, verify_phone
from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER
from clearline.telephony.twilio.tests.test_commands import FALLBACK, recorded_twilio, run
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, dialled, parse, spoken
from clearline.telephony.twilio.twiml.fallback import (
    FALLBACK_CRISIS_DOCUMENT,
    FALLBACK_FREE_HELPLINE_DOCUMENT,
    LISTING_FALLBACK_RING_S,
    fallback_document_for,
    render_fallback_free_helpline,
    render_listing_fallback,
)

# The two numbers of the recorded Twilio account (responses/incoming_numbers_page*.json).
HELPLINE = "+15555550101"
LISTING = "+15555550102"
UNVERIFIED_LISTING = "+15555550103"
BASE = "https://static.example.org/clearline/numbers"
HELPLINE_SENTENCE = "This is the Clearline helpline"


def actions(root: ET.Element) -> list[str]:
    return [gather.get("action") or "" for gather in root.iter("Gather")]


# --- the renderer: plain values in, XML out ---


def test_a_listing_fallback_rings_the_facility_only_then_offers_the_free_lines():
    twiml = render_listing_fallback("Cedar Hollow", "+13035550101")
    root = assert_never_silent(twiml)
    assert dialled(root) == ["+13035550101"]
    dial = root.find("Dial")
    assert dial is not None and dial.get("timeout") == str(LISTING_FALLBACK_RING_S)
    assert [child.tag for child in root] == ["Say", "Dial", "Gather", "Gather", "Say", "Hangup"]
    text = spoken(root)
    assert "Connecting you to Cedar Hollow. This number rings only Cedar Hollow." in text
    assert HELPLINE_SENTENCE not in text and "provider" not in text
    # Each prompt names only its own key, and its action is a static document next to this one.
    assert actions(root) == [FALLBACK_CRISIS_DOCUMENT, FALLBACK_FREE_HELPLINE_DOCUMENT]
    gathers = root.findall("Gather")
    assert "press 9" in spoken(gathers[0]) and "press 0" not in spoken(gathers[0])
    assert "press 0" in spoken(gathers[1]) and "press 9" not in spoken(gathers[1])
    assert all(gather.get("method") == "GET" for gather in gathers)
    assert "1-800-662-4357" in spoken(root.findall("Say")[-1]) and "Goodbye" in text
    assert "http" not in twiml


@pytest.mark.parametrize("phone", [None, ""])
def test_a_listing_without_a_verified_phone_says_so_and_offers_the_free_lines(phone):
    root = assert_never_silent(render_listing_fallback("Cedar Hollow", phone))
    assert dialled(root) == []
    assert "We cannot connect you to Cedar Hollow right now." in spoken(root)
    assert actions(root) == [FALLBACK_CRISIS_DOCUMENT, FALLBACK_FREE_HELPLINE_DOCUMENT]
    assert HELPLINE_SENTENCE not in spoken(root)


def test_a_listing_fallback_speaks_spanish():
    root = assert_never_silent(render_listing_fallback("Cedar Hollow", "+13035550101", "es"))
    assert {say.get("language") for say in root.iter("Say")} == {"es-US"}
    assert dialled(root) == ["+13035550101"]
    free = assert_never_silent(render_fallback_free_helpline("es"))
    assert {say.get("language") for say in free.iter("Say")} == {"es-US"}


@pytest.mark.parametrize("phone", ["911", "+1911", "3035550101"])
def test_a_listing_fallback_dials_only_e164(phone):
    with pytest.raises(ValueError, match=r"not an E\.164 number"):
        render_listing_fallback("Cedar Hollow", phone)


def test_the_free_helpline_document_transfers_then_says_goodbye():
    root = assert_never_silent(render_fallback_free_helpline())
    assert dialled(root) == [FREE_HELPLINE_NUMBER]


def test_each_numbers_file_is_named_by_its_digits():
    assert fallback_document_for("+12065550101") == "12065550101.xml"
    with pytest.raises(ValueError):
        fallback_document_for("12065550101")


# --- the export and the sync, with Clearline's numbers in the database ---


@pytest.fixture
def numbers(db) -> dict[str, Facility]:
    """A general helpline, a listing number whose facility has a verified phone, and one whose facility has none,
    with participating providers that no listing may ever ring."""
    load_demo_facilities()
    verified = Facility.objects.get(source_id="demo-1")
    record_listing_consent(verified.pk, "Robin Ames", "Director", "Dana at Clearline")
    verify_phone(verified.phones.get(kind="main").pk, "Dana at Clearline")
    unverified = Facility.objects.get(source_id="demo-2")
    Helpline.objects.create(label="Heroin helpline", intent="detox", number=HELPLINE)
    for number, facility in ((LISTING, verified), (UNVERIFIED_LISTING, unverified)):
        Helpline.objects.create(
            label=f"Listing: {facility.name}",
            intent="rehabilitation",
            number=number,
            kind=HelplineKind.LISTING,
            facility=facility,
        )
    for name, phone in (("Alder Recovery", "+12065550131"), ("Birch Health", "+12065550132")):
        provider = add_provider(name)
        provider.phone = phone
        provider.save()
    return {"verified": verified, "unverified": unverified}


def export(folder: Path, *extra: str) -> tuple[str, str]:
    return run("export_fallback_twiml", "--per-number", str(folder), *extra)


def test_the_export_writes_one_fallback_per_number_and_the_shared_documents(tmp_path, numbers):
    out, err = export(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "15555550101.xml",
            "15555550102.xml",
            "15555550103.xml",
            FALLBACK_CRISIS_DOCUMENT,
            FALLBACK_FREE_HELPLINE_DOCUMENT,
        ]
    )
    assert "host the whole folder" in out
    assert UNVERIFIED_LISTING in err and "no verified phone" in err
    for path in tmp_path.iterdir():
        text = path.read_text()
        assert "http" not in text
        root = assert_never_silent(text)
        # Every key press lands on a document that was written next to it.
        assert all((tmp_path / action).exists() for action in actions(root))


def test_a_listing_numbers_exported_fallback_rings_its_facilitys_verified_phone_only(tmp_path, numbers):
    export(tmp_path)
    facility = numbers["verified"]
    phone = verified_destination_for(facility.pk)
    assert phone
    root = parse((tmp_path / "15555550102.xml").read_text())
    assert dialled(root) == [phone]
    text = spoken(root)
    assert f"Connecting you to {facility.name}" in text
    assert HELPLINE_SENTENCE not in text and "treatment provider" not in text
    assert not {"+12065550131", "+12065550132"} & set(dialled(root))
    # Pressing a key goes to a free line, never anywhere else.
    assert dialled(parse((tmp_path / FALLBACK_CRISIS_DOCUMENT).read_text()))[0] == CRISIS_NUMBER
    assert dialled(parse((tmp_path / FALLBACK_FREE_HELPLINE_DOCUMENT).read_text())) == [FREE_HELPLINE_NUMBER]


def test_an_unverified_facilitys_fallback_says_it_cannot_be_reached_and_offers_the_options(tmp_path, numbers):
    export(tmp_path)
    root = parse((tmp_path / "15555550103.xml").read_text())
    assert dialled(root) == []
    assert f"We cannot connect you to {numbers['unverified'].name} right now." in spoken(root)
    assert actions(root) == [FALLBACK_CRISIS_DOCUMENT, FALLBACK_FREE_HELPLINE_DOCUMENT]
    assert HELPLINE_SENTENCE not in spoken(root)


def test_a_helpline_number_keeps_the_helpline_fallback(tmp_path, numbers):
    export(tmp_path)
    root = parse((tmp_path / "15555550101.xml").read_text())
    assert HELPLINE_SENTENCE in spoken(root)
    assert actions(root) == [FALLBACK_CRISIS_DOCUMENT]
    assert dialled(root) == [FREE_HELPLINE_NUMBER]


def test_the_spanish_export_is_spanish_throughout(tmp_path, numbers):
    export(tmp_path, "--language", "es")
    for path in tmp_path.iterdir():
        root = parse(path.read_text())
        assert {say.get("language") for say in root.iter("Say")} == {"es-US"}, path.name


def test_the_export_refuses_without_any_number(tmp_path, db):
    with pytest.raises(CommandError, match="no numbers"):
        export(tmp_path)


@pytest.fixture
def sync_ready(settings):
    settings.TWILIO_ACCOUNT_SID = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    settings.TWILIO_AUTH_TOKEN = "12345678901234567890123456789012"
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"


@pytest.fixture
def rest():
    """The one REST seam, answering as Twilio did (test_commands.recorded_twilio)."""
    with mock.patch("clearline.telephony.twilio.client.twilio_request", autospec=True) as patched:
        patched.side_effect = recorded_twilio
        yield patched


def posts(rest) -> dict[str, dict[str, str]]:
    """Path -> form data of every POST the sync sent."""
    return {call.args[1]: call.args[2] for call in rest.call_args_list if call.args[0] == "POST"}


def test_the_sync_gives_each_number_its_own_fallback_file(sync_ready, rest, numbers):
    out, _ = run("twilio_sync_numbers", "--fallback-base", BASE + "/")
    sent = posts(rest)
    helpline = sent["IncomingPhoneNumbers/PN11111111111111111111111111111111.json"]
    listing = sent["IncomingPhoneNumbers/PN22222222222222222222222222222222.json"]
    assert helpline["VoiceFallbackUrl"] == f"{BASE}/15555550101.xml"
    assert listing["VoiceFallbackUrl"] == f"{BASE}/15555550102.xml"
    assert helpline["VoiceFallbackMethod"] == listing["VoiceFallbackMethod"] == "GET"
    assert listing["VoiceUrl"] == "https://help.example.org/telephony/twilio/voice"
    assert "2 numbers, 2 changed." in out


def test_the_sync_refuses_to_give_a_listing_number_the_helpline_fallback(sync_ready, rest, numbers):
    # On main this sent the listing number the helpline's fallback.xml.
    with pytest.raises(CommandError, match=r"Listing numbers \+15555550102 would get the helpline fallback"):
        run("twilio_sync_numbers", "--fallback-url", FALLBACK)
    assert posts(rest) == {}


def test_with_both_options_only_numbers_clearline_does_not_know_get_the_helpline_fallback(
    sync_ready, rest, numbers
):
    Helpline.objects.filter(number=HELPLINE).delete()
    run("twilio_sync_numbers", "--fallback-base", BASE, "--fallback-url", FALLBACK)
    sent = posts(rest)
    assert (
        sent["IncomingPhoneNumbers/PN11111111111111111111111111111111.json"]["VoiceFallbackUrl"] == FALLBACK
    )
    assert (
        sent["IncomingPhoneNumbers/PN22222222222222222222222222222222.json"]["VoiceFallbackUrl"]
        == f"{BASE}/15555550102.xml"
    )


def test_a_number_clearline_does_not_know_keeps_its_fallback_under_a_base_alone(sync_ready, rest, numbers):
    Helpline.objects.filter(number=HELPLINE).delete()
    _, err = run("twilio_sync_numbers", "--fallback-base", BASE, "--dry-run")
    assert "+15555550101 (Heroin helpline) is not a Clearline number" in err
    assert "+15555550101 (Heroin helpline) has no fallback URL; pass --fallback-url." in err


def test_without_a_fallback_option_a_listing_on_the_shared_file_is_warned_about(sync_ready, rest, numbers):
    _, err = run("twilio_sync_numbers", "--dry-run")
    assert "listing number +15555550102" in err and "not its own file 15555550102.xml" in err


def test_the_sync_refuses_a_fallback_base_served_by_clearline_itself(sync_ready, rest, numbers):
    with pytest.raises(CommandError, match="must not be served by Clearline"):
        run("twilio_sync_numbers", "--fallback-base", "https://help.example.org/static/numbers")
    rest.assert_not_called()
