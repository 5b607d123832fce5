"""The stored disclosure names keys while phones ring exactly when the routing policy makes them work then."""

from __future__ import annotations

import pytest

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider

pytestmark = pytest.mark.django_db

WHILE_RINGING = {
    "en": "while providers' phones ring",
    "es": "mientras suenan los teléfonos de los proveedores",
}


def test_the_web_and_spoken_disclosure_say_keys_work_while_phones_ring_only_when_they_do(settings):
    Helpline.objects.create(label="Heroin Detox", intent="detox", number="+12065550101")
    provider = add_provider("Alder Recovery")
    provider.open_24_7 = True
    provider.save()
    for on in (False, True):
        settings.CLEARLINE_KEYS_WHILE_RINGING = on
        version = ensure_current_disclosure()
        for language, words in WHILE_RINGING.items():
            for text in (getattr(version, f"text_{language}"), getattr(version, f"spoken_{language}")):
                assert (words in text) is on, (on, language, text)
        keys = [c for claims in version.claims["numbers"].values() for c in claims if c["kind"] == "keys"]
        assert keys and all(("ringing" in c["moments"]) is on for c in keys)
