"""The Twilio adapter's review fixes that need no database: its modules use the TwiML package's public names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.twiml import check_dialable

TWIML_PACKAGE = "clearline.telephony.twilio.twiml"


def test_only_e164_numbers_are_dialable_through_the_public_check():
    assert check_dialable("+15555550111") == "+15555550111"
    for number in ("911", "+1911", "112", "933", "5555550111", "+1 555 555 0111"):
        with pytest.raises(ValueError, match=r"not an E\.164 number"):
            check_dialable(number)


def test_nothing_outside_the_twiml_package_imports_its_private_names():
    package = Path(twiml.__file__).parent
    clearline = package.parents[2]
    private = []
    for module in clearline.rglob("*.py"):
        if package in module.parents:
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(TWIML_PACKAGE):
                private += [f"{module.name}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert not private
