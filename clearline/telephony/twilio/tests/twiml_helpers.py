"""Reading TwiML back as XML, so tests assert on structure rather than substrings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

CONTINUING = {"Redirect", "Hangup"}


def parse(twiml: str) -> ET.Element:
    root = ET.fromstring(twiml)  # noqa: S314 - our own output, never input from outside
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    return [child.tag for child in root]


def spoken(root: ET.Element) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def dialled(root: ET.Element) -> list[str]:
    numbers = []
    for dial in root.iter("Dial"):
        if dial.text and dial.text.strip():
            numbers.append(dial.text.strip())
        numbers += [(n.text or "").strip() for n in dial.iter("Number")]
    return numbers


def assert_never_silent(twiml: str) -> ET.Element:
    """The caller always hears something next: the last verb continues the call or ends it after a goodbye."""
    root = parse(twiml)
    children = list(root)
    assert children, "an empty response leaves the caller in silence"
    last = children[-1]
    if last.tag == "Dial":
        assert last.get("action"), "a final <Dial> needs an action URL to continue the call"
    elif last.tag == "Hangup":
        assert len(children) >= 2 and children[-2].tag in {"Say", "Gather"}, "hang up only after speaking"
    else:
        assert last.tag in CONTINUING, f"the response ends in <{last.tag}>"
    for say in root.iter("Say"):
        assert say.get("language") in {"en-US", "es-US"}
        assert (say.text or "").strip()
        assert "voice" not in say.attrib
    return root
