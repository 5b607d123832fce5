"""What the controller reads from an INVITE: the number dialled, the caller's number, the call's CallSid."""

from __future__ import annotations

from clearline.telephony.sip.events import call_sid_for, caller_number, invite_facts, uri_user

INVITE = (
    "INVITE sip:+12065550101@127.0.0.1:5090;transport=udp SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1\r\n"
    'From: "A Caller" <sip:+12065550177@203.0.113.10>;tag=abc\r\n'
    "To: <sip:+12065550101@edge.example>\r\n"
    "Call-ID: 1-2345@127.0.0.1\r\n"
    "CSeq: 1 INVITE\r\n\r\n"
)


def test_the_number_dialled_is_the_request_uri_s_user_and_the_caller_the_from_uri_s() -> None:
    facts = invite_facts(INVITE, "1-2345@127.0.0.1")
    assert facts.to_number == "+12065550101"
    assert facts.caller_number == "+12065550177"
    assert facts.call_sid == call_sid_for("1-2345@127.0.0.1")


def test_a_call_sid_names_the_sip_adapter_and_is_the_same_for_the_same_call_id() -> None:
    sid = call_sid_for("1-2345@127.0.0.1")
    assert sid.startswith("SIP") and len(sid) == 35 and sid == call_sid_for("1-2345@127.0.0.1")
    assert sid != call_sid_for("1-2346@127.0.0.1")


def test_a_withheld_or_odd_caller_id_is_no_number() -> None:
    assert caller_number("anonymous") is None
    assert caller_number("") is None
    assert caller_number("alice") is None
    assert invite_facts(INVITE.replace("+12065550177", "Anonymous"), "x").caller_number is None
    assert uri_user("<sip:anonymous@anonymous.invalid>;tag=1") == "anonymous"
    assert uri_user("sip:edge.example:5060") == ""
