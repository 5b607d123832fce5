"""A decision trace told in plain words: pure functions over hand-made traces (no database)."""

from __future__ import annotations

import datetime as dt

from clearline.routing.eligibility import FILTERS
from clearline.telephony import trace_words as words

NAMES = {"1": "Alder Recovery", "2": "Birch Health", "3": "Cedar Care"}
UTC = dt.UTC


def trace(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "call_id": "CA-words",
        "number_kind": "helpline",
        "at": "2026-11-03T15:00:00+00:00",
        "seed": 42,
        "policy_version": "3",
        "filters": list(FILTERS),
        "providers": [
            {"id": "1", "eligible": True, "failed": []},
            {"id": "2", "eligible": False, "failed": ["open_now", "free_slot"]},
            {"id": "3", "eligible": True, "failed": []},
        ],
        "order": ["3", "1"],
        "waves": [["3"], ["1"]],
        "continuity": None,
        "callback_provider": "1",
        "terminal": "callback_offer",
    }
    return {**base, **changes}


def test_every_routing_rule_has_a_name_and_words():
    assert set(words.RULES) == set(FILTERS)
    assert words.rule_name("serves_area") == "Area served"


def test_who_was_eligible_and_who_was_filtered_out_by_which_rule():
    assert words.eligibility_sentences(trace(), NAMES) == [
        "3 providers were considered; 2 passed every rule.",
        "Eligible: Alder Recovery, Cedar Care.",
        "Birch Health was filtered out: closed at that moment (rule: Opening hours); every line busy (rule: Free "
        "line).",
    ]


def test_nobody_eligible_a_listing_number_an_empty_roster_and_an_erased_trace():
    nobody = trace(providers=[{"id": "2", "eligible": False, "failed": ["serves_area"]}], order=[], waves=[])
    assert words.eligibility_sentences(nobody, NAMES) == [
        "1 provider was considered; 0 passed every rule.",
        "Nobody was eligible.",
        "Birch Health was filtered out: does not serve the caller's area (rule: Area served).",
    ]
    assert (
        "listing number" in words.eligibility_sentences(trace(number_kind="listing", providers=[]), NAMES)[0]
    )
    assert "No provider was on the roster" in words.eligibility_sentences(trace(providers=[]), NAMES)[0]
    assert "erased" in words.eligibility_sentences({}, NAMES)[0]


def test_the_zip_prompt_is_told():
    typed = words.eligibility_sentences(trace(place={"asked": True, "answer": "zip"}), NAMES)
    assert typed[-1].startswith("The caller was asked for a ZIP code and typed one")
    skipped = words.eligibility_sentences(trace(place={"asked": True, "answer": "skip"}), NAMES)
    assert skipped[-1] == "The caller was asked for a ZIP code and skipped the question."


def test_the_order_and_why():
    sentences = words.order_sentences(trace(), NAMES)
    assert sentences[0] == "Order: 1. Cedar Care; 2. Alder Recovery."
    assert sentences[1].startswith("The providers are in fair-rotation order")
    assert "fair share)" in sentences[1] and "(rotation)" in sentences[1] and "seed, 42" in sentences[1]
    assert sentences[2] == "Decided at 2026-11-03 15:00:00 UTC under routing settings version 3."
    continuity = words.order_sentences(trace(continuity="1", order=["1", "3"]), NAMES)
    assert continuity[1].startswith(
        "Alder Recovery went first because it answered this caller's previous call"
    )
    assert continuity[2].startswith("The others are in fair-rotation order")
    assert words.order_sentences(trace(order=[]), NAMES) == []


def test_each_wave_and_what_each_provider_rung_did():
    rang = dt.datetime(2026, 11, 3, 15, 0, 10, tzinfo=UTC)
    attempts = [
        {"step_index": 1, "provider_id": 3, "status": "no-answer", "started_at": rang, "answered_at": None},
        {
            "step_index": 3,
            "provider_id": 1,
            "status": "accepted",
            "started_at": rang + dt.timedelta(seconds=15),
            "answered_at": rang + dt.timedelta(seconds=22),
        },
    ]
    assert words.wave_sentences(trace(), attempts, NAMES, {1: 1, 3: 2}) == [
        "Wave 1 (planned: Cedar Care): Cedar Care: no answer.",
        "Wave 2 (planned: Alder Recovery): Alder Recovery: accepted (pressed 1) after 7 s.",
    ]
    # Without the plan, the attempts' steps are numbered in order; a planned wave never rung says so.
    only_first = words.wave_sentences(trace(), attempts[:1], NAMES)
    assert only_first == [
        "Wave 1 (planned: Cedar Care): Cedar Care: no answer.",
        "Wave 2 (planned: Alder Recovery): not rung (the call had ended or been answered before).",
    ]
    assert words.wave_sentences(trace(waves=[]), [], NAMES) == ["No provider was rung."]


def test_what_the_plan_held_when_nobody_accepts():
    assert words.ending_sentences(trace(), NAMES) == [
        "If nobody accepted, the caller would be offered a callback from Alder Recovery."
    ]
    assert "free national helpline" in words.ending_sentences(trace(terminal="free_helpline"), NAMES)[0]


def test_a_provider_left_out_of_the_callback_by_its_record_is_named_with_the_rule():
    from clearline.routing.callback_choice import CALLBACK_RECORD_RULE

    assert CALLBACK_RECORD_RULE in words.CALLBACK_RULES
    refused = {"callback_refused": {"3": CALLBACK_RECORD_RULE}}
    assert words.ending_sentences(trace(**refused), NAMES)[1] == (
        "Cedar Care was not offered for the callback: more than one in ten of its callbacks of the last 7 days "
        "were late or not made (rule: Callback record); it could still be rung."
    )
    alone = words.ending_sentences(trace(terminal="free_helpline", callback_provider=None, **refused), NAMES)
    assert len(alone) == 2 and "Cedar Care was not offered" in alone[1]
    assert len(words.ending_sentences(trace(), NAMES)) == 1  # a trace from before the rule
    unknown = words.ending_sentences(trace(callback_refused={"1": "some_rule"}), NAMES)[1]
    assert unknown.startswith("Alder Recovery was not offered for the callback: some_rule")


def test_the_callback_and_a_provider_no_longer_on_file(settings):
    settings.TIME_ZONE = "UTC"
    created = dt.datetime(2026, 11, 3, 15, 1, tzinfo=UTC)
    callback = {
        "provider_id": 9,
        "assignees": ["1", "9"],
        "consent": {"provider_ids": ["1", "9"]},
        "created_at": created,
        "due_at": created + dt.timedelta(minutes=15),
        "closed_at": created + dt.timedelta(minutes=20),
        "status": "returned",
    }
    assert words.callback_sentences(callback, NAMES) == [
        "Callback assigned to, in order: Alder Recovery, provider #9 (no longer on file).",
        "The caller agreed to be called back by: Alder Recovery, provider #9 (no longer on file).",
        "Requested 2026-11-03 15:01, due 2026-11-03 15:16; returned on 2026-11-03 15:21.",
    ]
    assert words.callback_sentences(None, NAMES) == []


def test_the_caller_tag_is_a_short_cut_of_the_hash_never_the_hash():
    assert words.caller_tag("ab" * 32) == "abababab"
    assert words.caller_tag("") == ""
