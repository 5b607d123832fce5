"""Whole calls through the SIP call controller, with real SIP: sipp calls a helpline number through Kamailio
(deploy/kamailio/kamailio.cfg), the controller (pjsua2, in a thread of this process so it sees the test database)
plays the call flow, and a sipp trunk plays the providers and the free lines.

The controller and its edge are started once per module (``running.py``).
"""

from __future__ import annotations

import array
import math
import statistics
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone

from clearline.content.models import Helpline, HelplineKind
from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility, ListingConsent, Phone
from clearline.providers.routing_settings import RoutingSettings
from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Dial, Menu
from clearline.telephony import disclosed, flow
from clearline.telephony.answers import Answer, Greeting
from clearline.telephony.models import (
    Attempt,
    AttemptStatus,
    Call,
    CallAdapter,
    CallbackRequest,
    CallOutcome,
)
from clearline.telephony.sip.script import Gather, script_for
from clearline.telephony.sip.tests.callers import Caller, Trunk, media_port, wait_for
from clearline.telephony.sip.tests.conftest import HELPLINE, LISTING
from clearline.telephony.sip.tests.phones import HOST, Edge, options_ping
from clearline.telephony.sip.tests.running import (
    CONTROLLER_MARKS,
    Running,
    call_helpline,
    read,
    settled,
    the_call,
)
from clearline.telephony.tests.conftest import helpline, providers  # noqa: F401 - fixtures

pytestmark = CONTROLLER_MARKS

PJ_CALLER = Path(__file__).with_name("pj_caller.py")
# When the caller presses its key in the greeting: late enough for the test to read the plan and start the trunk.
KEY_AT_MS = 1500


def test_a_provider_who_presses_1_is_bridged_and_the_call_is_connected(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, person=r"[0-9]+") as trunk:
        caller = call_helpline(tmp_path, controller_edge, trusted_port, [(800, "1")], hang_up_ms=4000)
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        call = the_call(sip_controller)
        assert call is not None
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    attempts = read(sip_controller, lambda: list(Attempt.objects.filter(call=call).order_by("pk")))
    first_wave = next(s for s in call.routing_plan.steps if isinstance(s, Dial))
    assert call.outcome == CallOutcome.CONNECTED
    assert call.call_sid.startswith("SIP") and call.duration_s is not None
    assert call.adapter == CallAdapter.SIP
    assert {a.step_index for a in attempts} == {first_wave.index}
    accepted = [a for a in attempts if a.status == AttemptStatus.ACCEPTED]
    assert len(accepted) == 1 and call.connected_provider_id == accepted[0].provider_id
    assert {a.status for a in attempts if a not in accepted} <= {AttemptStatus.CANCELED}
    assert sorted(trunk.dialled()) == sorted(t.phone for t in first_wave.targets)
    assert trunk.caller_ids() == [HELPLINE] * len(trunk.dialled())  # the number dialled, as on Twilio


def tone_fraction(samples: array.array[int], hz: int = 1000, block: int = 800) -> float:
    """How much of a block's energy is at ``hz`` (Goertzel): 1.0 for a pure tone, near 0 for speech or silence."""
    if len(samples) < block:
        return 0.0
    part = samples[-block:]
    coefficient = 2 * math.cos(2 * math.pi * hz / 8000)
    before = before2 = 0.0
    for sample in part:
        before, before2 = sample + coefficient * before - before2, before
    power = before2 * before2 + before * before - coefficient * before * before2
    energy = sum(s * s for s in part)
    return 2 * power / (block * energy) if energy else 0.0


def test_a_bridged_call_carries_audio_both_ways(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    """The caller (pjsua2, its own process) sends a 1 kHz tone; the provider who pressed 1 sends back whatever it
    receives (sipp's RTP echo). Once bridged, the caller hears its own tone: caller -> provider -> caller."""
    heard = tmp_path / "heard.wav"
    command = [
        sys.executable, str(PJ_CALLER), "--port", str(trusted_port), "--rtp", str(media_port()),
        "--to", f"sip:{HELPLINE}@{HOST}:{controller_edge.port}", "--record", str(heard), "--seconds", "5",
        "--key", "0.8:1", "--tone", "1000",
    ]  # fmt: skip
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, person=r"[0-9]+", echo=True):
        done = subprocess.run(command, capture_output=True, timeout=30, check=False)
        assert done.returncode == 0, (done.stdout + done.stderr).decode(errors="replace")[-2000:]
        call = the_call(sip_controller)
        assert call is not None
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
    samples = _samples(heard)
    assert tone_fraction(samples[:4000]) < 0.2  # the greeting's first half second: speech, not the tone
    assert tone_fraction(samples) > 0.8  # the last 0.1 s: the tone, back through the bridge
    assert read(sip_controller, lambda: Call.objects.get(pk=call.pk).outcome) == CallOutcome.CONNECTED


def test_a_busy_first_wave_rings_the_next_wave(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    caller = call_helpline(tmp_path, controller_edge, trusted_port, [(KEY_AT_MS, "1")], hang_up_ms=8000)
    assert wait_for(lambda: the_call(sip_controller) is not None, timeout=KEY_AT_MS / 1000)
    call = the_call(sip_controller)
    assert call is not None
    waves = [s for s in call.routing_plan.steps if isinstance(s, Dial)]
    assert len(waves) >= 2, "the test needs a plan of two waves or more"
    busy = "|".join(t.phone.lstrip("+") for t in waves[0].targets)
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, busy=busy, person=r"[0-9]+"):
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    attempts = read(sip_controller, lambda: list(Attempt.objects.filter(call=call)))
    assert {a.status for a in attempts if a.step_index == waves[0].index} == {AttemptStatus.BUSY}
    accepted = [a for a in attempts if a.status == AttemptStatus.ACCEPTED]
    assert len(accepted) == 1 and accepted[0].step_index == waves[1].index
    assert call.outcome == CallOutcome.CONNECTED


@pytest.mark.parametrize(
    ("key", "number", "outcome"),
    [
        ("0", FREE_HELPLINE_NUMBER, CallOutcome.TRANSFERRED_FREE),
        ("9", CRISIS_NUMBER, CallOutcome.TRANSFERRED_CRISIS),
    ],
)
def test_a_key_in_the_greeting_transfers_to_the_free_helpline_or_the_crisis_line(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path, key: str, number: str,
    outcome: str,
) -> None:  # fmt: skip
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port) as trunk:
        # "Connecting you to ..." plays first (about 3 to 4.4 s).
        caller = call_helpline(tmp_path, controller_edge, trusted_port, [(500, key)], hang_up_ms=6500)
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        call = the_call(sip_controller)
        assert call is not None
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
        assert trunk.dialled() == [number]
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    assert call.outcome == outcome
    assert [key, "greeting"] in call.key_presses
    assert not read(sip_controller, lambda: Attempt.objects.filter(call=call).exists())


def test_the_controller_answers_the_dispatchers_probe(sip_controller: Running) -> None:
    started = time.monotonic()
    assert options_ping(sip_controller.controller.config.port) == "SIP/2.0 200 OK"  # type: ignore[attr-defined]
    assert time.monotonic() - started < 0.2


def test_with_the_database_failing_the_caller_still_reaches_the_crisis_line(
    sip_controller: Running,
    controller_edge: Edge,
    trusted_port: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    """The flow fails at the call's start (the database is down): the fallback plays, 9 reaches the crisis line
    through the trunk, and the call is kept in the event journal for the worker to store."""
    settings.CLEARLINE_EVENT_JOURNAL_DIR = str(tmp_path / "journal")

    def database_down(**_kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(flow, "call_started", database_down)
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port) as trunk:
        # "Connecting you to the 988 Suicide and Crisis Lifeline." plays first (about 3 s).
        caller = call_helpline(tmp_path, controller_edge, trusted_port, [(800, "9")], hang_up_ms=5500)
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        assert trunk.dialled() == [CRISIS_NUMBER]
    assert not read(sip_controller, lambda: Call.objects.exists())
    kept = (tmp_path / "journal" / "events.jsonl").read_text().splitlines()
    assert any('"kind":"fallback"' in line and f'"to":"{HELPLINE}"' in line for line in kept)


def _samples(path: Path) -> array.array[int]:
    with wave.open(str(path), "rb") as sound:
        assert (sound.getframerate(), sound.getnchannels(), sound.getsampwidth()) == (8000, 1, 2)
        samples = array.array("h")
        samples.frombytes(sound.readframes(sound.getnframes()))
    return samples


def _onset(samples: array.array[int], level: int = 400) -> int:
    return next(i for i, s in enumerate(samples) if abs(s) > level)


def block_correlations(heard: array.array[int], source: array.array[int], block: int = 800) -> list[float]:
    """How well each 0.1 s of the source's speech matches what was heard, each block at its best shift within
    10 ms of the previous block's: a jitter buffer may drop or repeat a 10 ms frame now and then, which moves
    the rest of the recording without changing a sound of it. Blocks of near silence are left out."""
    start, lag = _onset(source), _onset(heard) - _onset(source)
    found: list[float] = []
    for at in range(start, len(source) - block, block):
        part = source[at : at + block]
        if max(abs(s) for s in part) < 1000:
            continue
        same = heard[at + lag : at + lag + block]
        if len(same) == block and at + lag >= 0 and (kept := statistics.correlation(part, same)) >= 0.99:
            found.append(kept)  # still in step: no need to look around
            continue
        shifts = []
        for shift in range(lag - 80, lag + 81):
            other = heard[at + shift : at + shift + block]
            if len(other) < block or at + shift < 0:
                continue
            shifts.append((statistics.correlation(part, other), shift))
        if not shifts:
            break
        best, lag = max(shifts)
        found.append(best)
    return found


def test_the_caller_hears_the_disclosure_exactly_as_the_prompt_file_says_it(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    """A pjsua2 caller (its own process) records what it receives; the recording matches the greeting's prompt
    file (correlation >= 0.99 after PCMU and the network, 0.1 s at a time), so the caller hears the claims' words,
    not silence or noise."""
    heard = tmp_path / "heard.wav"
    command = [
        sys.executable, str(PJ_CALLER), "--port", str(trusted_port), "--rtp", str(media_port()),
        "--to", f"sip:{HELPLINE}@{HOST}:{controller_edge.port}", "--record", str(heard), "--seconds", "3.5",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, timeout=30, check=False)
    assert done.returncode == 0, (done.stdout + done.stderr).decode(errors="replace")[-2000:]
    call = the_call(sip_controller)
    assert call is not None
    sentences = read(sip_controller, lambda: disclosed.greeting_sentences(Call.objects.get(pk=call.pk)))
    greeting = script_for(Answer(call.call_sid, "en", Greeting(tuple(sentences), Menu())))[0]
    assert isinstance(greeting, Gather)
    source = sip_controller.controller.prompts.path_for(greeting.phrases)  # type: ignore[attr-defined]
    assert source.exists()
    found = block_correlations(_samples(heard), _samples(source))
    assert len(found) >= 15, f"only {len(found) / 10} s of speech heard"
    assert statistics.median(found) >= 0.99 and sum(c >= 0.99 for c in found) >= 0.75 * len(found), found


def test_a_listing_number_rings_its_facility_and_nobody_else(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    load_demo_facilities()
    facility = Facility.objects.order_by("pk").first()
    assert facility is not None
    Helpline.objects.create(
        label="Listing", intent="rehabilitation", number=LISTING, kind=HelplineKind.LISTING, facility=facility
    )
    phone = facility.phones.exclude(kind=Phone.Kind.HOTLINE).first()
    assert phone is not None
    phone.verified_at, phone.verified_by, phone.extension = timezone.now(), "staff", ""
    phone.save()
    ListingConsent.objects.create(
        facility=facility, person_name="A. Director", person_role="Director", recorded_by="staff",
        recorded_at=timezone.now(),
    )  # fmt: skip
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port) as trunk:
        # "Connecting you to <facility>. This number rings only <facility>." plays first.
        caller = Caller(
            tmp_path, controller_edge.port, LISTING, source_port=trusted_port, keys=[], hang_up_ms=9000
        )
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        call = the_call(sip_controller)
        assert call is not None
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
        assert trunk.dialled() == [phone.number]
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    assert call.outcome == CallOutcome.LISTING_CONNECTED
    assert not read(sip_controller, lambda: Attempt.objects.filter(call=call).exists())


# Last in the module: its three cancelled legs hold pjsua call slots for about 32 s (docs/sip.md, "Known limits").
def test_nobody_answering_cancels_the_wave_at_its_ring_time_and_the_caller_takes_a_callback(
    sip_controller: Running, controller_edge: Edge, trusted_port: int, tmp_path: Path
) -> None:
    """One wave of every provider, ringing 5 s with nobody picking up: each leg gets a CANCEL, the callback offer
    plays, the caller presses 1 during it and the request is stored for the offer's provider."""
    RoutingSettings.objects.create(
        wave_size=3, ring_timeout_s=5, ring_budget_s=5, repeat_rounds=False, note="one short wave"
    )
    with Trunk(tmp_path / "trunk", sip_controller.trunk_port, silent=r"[0-9]+") as trunk:
        # The menu key at 0.8 s; the wave rings from about 0.9 s to 5.9 s; the offer starts soon after.
        caller = call_helpline(
            tmp_path, controller_edge, trusted_port, [(800, "1"), (7500, "1")], hang_up_ms=10000
        )
        ended = caller.wait()
        assert (ended.successful, ended.failed) == (1, 0), ended.errors
        call = the_call(sip_controller)
        assert call is not None
        assert wait_for(lambda: settled(sip_controller, call.call_sid))
        assert len(trunk.dialled()) == 3
    assert (tmp_path / "trunk" / "trunk-sip.log").read_text().count("CANCEL sip:") == 3
    call = read(sip_controller, lambda: Call.objects.get(pk=call.pk))
    statuses = read(
        sip_controller, lambda: set(Attempt.objects.filter(call=call).values_list("status", flat=True))
    )
    callback = read(sip_controller, lambda: CallbackRequest.objects.filter(call=call).first())
    assert statuses == {AttemptStatus.NO_ANSWER}
    assert call.outcome == CallOutcome.CALLBACK
    assert callback is not None and callback.encrypted_number
