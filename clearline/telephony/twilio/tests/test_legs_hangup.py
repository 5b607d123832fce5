"""Hanging up a provider's leg is tried again when it failed for a passing reason, never when Twilio refused it."""

from __future__ import annotations

import pytest

from clearline.telephony.twilio import client, legs


@pytest.fixture(autouse=True)
def no_pause(monkeypatch):
    monkeypatch.setattr(legs, "END_CALL_PAUSE_S", 0)


def failing(*errors: Exception):
    calls: list[str] = []

    def end_call(sid: str) -> None:
        calls.append(sid)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]

    return end_call, calls


def test_a_leg_twilio_could_not_be_reached_for_is_hung_up_at_the_next_try(monkeypatch):
    end_call, calls = failing(client.TwilioApiError("connection reset"))
    monkeypatch.setattr(client, "end_call", end_call)
    assert legs._end_call("CA" + "1" * 32) == ""
    assert len(calls) == 2


def test_a_busy_api_is_tried_until_the_last_try(monkeypatch):
    end_call, calls = failing(*[client.TwilioApiError("busy", status=503)] * legs.END_CALL_TRIES)
    monkeypatch.setattr(client, "end_call", end_call)
    assert legs._end_call("CA" + "1" * 32) == "503"
    assert len(calls) == legs.END_CALL_TRIES


def test_a_leg_twilio_does_not_know_is_not_tried_again(monkeypatch):
    end_call, calls = failing(client.TwilioApiError("not found", status=404))
    monkeypatch.setattr(client, "end_call", end_call)
    assert legs._end_call("CA" + "1" * 32) == "404"
    assert len(calls) == 1
