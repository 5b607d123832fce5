"""Every claim renders, on the web and on the phone, in English and in Spanish, from the same values."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from clearline.content.claims_text import link_label, spoken_sentence, web_sentence
from clearline.routing.claims import (
    CLAIM_TYPES,
    AnsweredBy,
    CallbackPromise,
    Claim,
    FairTurns,
    FlatEqualFee,
    KeysWork,
    ListingRingsOnlyFacility,
    NobodyNow,
    NoCallback,
    NoProvider,
    OtherwiseFreeHelpline,
    ProviderScope,
    RingsAtOnce,
    WillRing,
)

CEDAR = ProviderScope(
    id="1",
    name="Cedar Harbor",
    timezone="America/Los_Angeles",
    states=("OR", "WA"),
    zip_prefixes=("980",),
    languages=("en", "es"),
    weekly=(("mon", "08:00", "20:00"), ("tue", "08:00", "20:00"), ("sat", "09:00", "14:00")),
    special_days=("2026-12-25",),
)
MESA = ProviderScope(id="2", name="Mesa Verde", timezone="America/Phoenix", always_open=True)

EXAMPLES: list[Claim] = [
    ListingRingsOnlyFacility(),
    AnsweredBy((CEDAR, MESA)),
    AnsweredBy((MESA,)),
    NoProvider(),
    FairTurns(),
    FairTurns(continuity_days=7),
    RingsAtOnce(first=2, later=2, ring_s=13, budget_s=40),
    RingsAtOnce(first=1, later=3, ring_s=13, budget_s=40, again=False, press_to_accept=False),
    RingsAtOnce(first=1, later=1, ring_s=20, budget_s=60),
    FlatEqualFee("monthly", ("1", "2")),
    CallbackPromise(minutes=15, open_hours=48),
    NoCallback(),
    OtherwiseFreeHelpline(),
    KeysWork(),
    WillRing(("1",), ("Cedar Harbor",)),
    WillRing(("1", "2"), ("Cedar Harbor", "Mesa Verde")),
    NobodyNow(),
]


def test_the_examples_cover_every_kind_of_claim() -> None:
    assert {type(c) for c in EXAMPLES} == set(CLAIM_TYPES.values())


@pytest.mark.parametrize("render", [web_sentence, spoken_sentence], ids=["web", "spoken"])
@pytest.mark.parametrize("claim", EXAMPLES, ids=lambda c: c.kind)
def test_every_claim_renders_in_english_and_in_spanish(claim: Claim, render) -> None:
    with override("en"):
        english = render(claim)
    with override("es"):
        spanish = render(claim)
    assert english.strip() and spanish.strip()
    assert spanish != english, f"{claim.kind} has no Spanish wording"
    for name in getattr(claim, "names", ()):
        assert name in english and name in spanish


def test_a_provider_is_described_with_its_area_hours_and_languages() -> None:
    with override("en"):
        text = web_sentence(AnsweredBy((CEDAR,)))
    assert "Cedar Harbor (callers in OR, WA and ZIP codes starting 980, or whose area we cannot tell;" in text
    assert "Monday to Tuesday 08:00–20:00; Saturday 09:00–14:00 (Los Angeles time)" in text
    assert "except posted closures" in text and "in English and Spanish" in text


def test_link_labels_are_one_sentence_in_both_languages() -> None:
    claims = (AnsweredBy((CEDAR, MESA)), FlatEqualFee("monthly", ("1", "2")))
    with override("en"):
        english = link_label(claims)
    with override("es"):
        spanish = link_label(claims)
    assert english == (
        "answered or returned by Cedar Harbor or Mesa Verde, paid advertisers on one flat fee, or else the free "
        "SAMHSA National Helpline"
    )
    assert spanish != english and "Cedar Harbor" in spanish
    with override("en"):
        assert link_label((NoProvider(),)) == "goes to the free SAMHSA National Helpline right now"


def test_the_greeting_never_speaks_of_a_listing_moment() -> None:
    with override("en"):
        spoken = spoken_sentence(KeysWork())
    assert "listed facility" not in spoken and "during this message" in spoken
