"""The call flow: what happens at each event of a call, the same for every adapter (Twilio, the SIP controller).

One function per event, in the order a call meets them: the call starts, the caller answers the ZIP prompt or the
menu, a wave ends (or a key is pressed while a later wave is announced, or while a wave rings where its keys work
then), a provider's leg answers and presses a key, the caller answers the callback offer (and types a number when
theirs is withheld) or the options, and the call's or a leg's status changes. Each takes plain values (the CallSid,
the digits, how a wave ended), records what happened (``services``), asks the routing engine for the next step
(this module is its only caller during a call) and returns an ``Answer`` for the adapter to render. Adapters parse
their wire format, call one function, render the answer; they never search the plan themselves.

Every event is idempotent: a repeated one (an adapter's retry) gets the same answer and writes nothing twice.

Each event takes an optional ``now``: the moment it happens, for every row it writes and every count the engine
reads (the adapters leave it out: the clock; the demo's month of calls, ``clearline.demo.calls``, passes the
simulated moment).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.routing import (
    CRISIS_NUMBER,
    CallbackOffer,
    Dial,
    Ended,
    Outcome,
    Plan,
    Progress,
    Result,
    Step,
    Transfer,
    next_step,
)
from clearline.routing.steps import RINGING
from clearline.telephony import disclosed, journal, keys, services
from clearline.telephony.answers import (
    Answer,
    AskNumber,
    AskPlace,
    CallbackGiven,
    CallbackRefused,
    Greeting,
    OptionTaken,
    Whisper,
    WhisperResult,
)
from clearline.telephony.models import Attempt, Call, CallOutcome
from clearline.telephony.services import DialEnd


def load_call(call_sid: str) -> Call:
    # Not the trace (every filter of every provider): no event after the first reads it.
    return Call.objects.defer("trace").get(call_sid=call_sid)


# --- the call starts ---------------------------------------------------------------------------------------------


def call_started(
    *,
    call_sid: str,
    to_number: str,
    caller_number: str | None,
    caller_state: str = "",
    now: dt.datetime | None = None,
    adapter: str = "",
) -> Answer:
    """A call comes in: its record and plan (once per CallSid), then the ZIP prompt, the greeting, or, on a
    listing number, its facility ringing. ``adapter`` names who carries it (``Call.adapter``), in the same insert."""
    started = services.start_call(
        call_sid=call_sid,
        to_number=to_number,
        caller_number=caller_number,
        caller_state=caller_state,
        now=now,
        adapter=adapter,
    )
    if started.ask_place:
        return _answer(started.call, AskPlace(started.plan.menu()))
    return _greet(started.call, now)


def place_entered(
    *, call_sid: str, digits: str, to_number: str, caller_number: str | None, now: dt.datetime | None = None
) -> Answer:
    """The caller answered the ZIP prompt: a ZIP code (only its first three digits go on), 9 or 0 (the menu's
    transfers), 2 (the other language), or nothing (the plan stands). Then the greeting, for that place."""
    call = load_call(call_sid)
    menu = call.routing_plan.menu()
    typed = keys.read_place_digits(digits, menu)
    if typed.switch_language:
        services.set_call_language(call, _other_language(call))
        return _answer(call, AskPlace(menu))
    if typed.menu is not None:
        services.record_key(call, digits.strip().rstrip("#"), "place_prompt")
        return _advance(call, next_step(call.routing_plan, Progress(at=menu.index), typed.menu), now)
    placed = services.place_call(
        call_sid=call_sid,
        to_number=to_number,
        caller_number=caller_number,
        language=call.language,
        zip3=typed.zip3,
        now=now,
    )
    return _greet(placed.call, now)


def _greet(call: Call, now: dt.datetime | None = None) -> Answer:
    plan = call.routing_plan
    if call.number_kind == "listing":
        first = plan.first_dial()
        return _advance(call, first if first is not None else plan.terminal, now)
    return _answer(call, Greeting(tuple(disclosed.greeting_sentences(call)), plan.menu()))


def menu_pressed(*, call_sid: str, digits: str, now: dt.datetime | None = None) -> Answer:
    """A key during the greeting, or none (``""``: the caller heard it all): 2 the greeting again in the other
    language, 9/0 the transfers, anything else the first wave."""
    call = load_call(call_sid)
    if digits == keys.SWITCH_LANGUAGE_DIGIT:
        services.set_call_language(call, _other_language(call))
        return _greet(call, now)
    services.record_key(call, digits, "greeting")
    menu = call.routing_plan.menu()
    return _advance(
        call,
        next_step(call.routing_plan, Progress(at=menu.index), keys.read_menu_digits(digits, menu)),
        now,
    )


# --- waves -------------------------------------------------------------------------------------------------------


def wave_ended(*, call_sid: str, step_index: int, ending: DialEnd, now: dt.datetime | None = None) -> Answer:
    """A wave's dial ended (a listing's: its facility's). Connected: the call is over when the conversation ends;
    otherwise the next wave, the callback offer or the free helpline. A repeated event writes nothing."""
    call = load_call(call_sid)
    plan = call.routing_plan
    if call.number_kind == "listing":
        if ending is DialEnd.CANCELED:  # the caller hung up: the facility did not fail to answer
            return _answer(call, Ended())
        answered = ending is DialEnd.ANSWERED
        services.record_listing_result(call, answered)
        if answered:
            return _answer(call, Ended(reason="facility_answered"))  # hang up when the conversation ends
        return _advance(call, next_step(plan, Progress(at=step_index), Result(Outcome.NO_ANSWER)), now)
    return _wave_over(call, step_index, ending, now)


def _wave_over(call: Call, step_index: int, ending: DialEnd, now: dt.datetime | None = None) -> Answer:
    wave = _wave(call.routing_plan, step_index)
    ended = services.end_wave(
        call, step_index, ending, wave.ring_timeout_s if ending is DialEnd.NO_ANSWER else 0, now=now
    )
    if ending is DialEnd.CANCELED and call.connected_provider_id is None:
        # The caller hung up while it rang: no next wave holds lines or records offers for nobody.
        return _answer(call, Ended())
    if call.outcome in CHOSEN_LINES:  # the caller pressed 9 or 0 while it rang (``ringing_keys_pressed``)
        return _answer(call, _chosen_line(call, step_index))
    step = next_step(call.routing_plan, ended.progress, ended.result)
    return _again(call, step) if ended.repeated else _advance(call, step, now)


def wave_keys_pressed(
    *, call_sid: str, step_index: int, digits: str, now: dt.datetime | None = None
) -> Answer:
    """A key while a later wave was announced, before it rang (its lines are held already). 9 or 0: the lines go
    back, its attempts are dropped (nobody was rung) and the call is transferred. Anything else: it rings."""
    call = load_call(call_sid)
    plan = call.routing_plan
    result = keys.read_menu_digits(digits, plan.menu())
    if result.outcome is not Outcome.NO_INPUT:
        services.record_key(call, digits, "wave_announcement")
        services.leave_unrung_wave(call, step_index, now=now)
        return _advance(call, next_step(plan, Progress(at=step_index), result), now)
    wave = _wave(plan, step_index)
    held = services.ringing_providers(call, step_index)
    targets = tuple(t for t in wave.targets if int(t.id) in held)
    if not targets:  # nothing held for this wave any more: it counts as unanswered
        return _wave_over(call, step_index, DialEnd.FAILED, now)
    return _advance(call, dataclasses.replace(wave, targets=targets, announce=""), now)


def ringing_keys_pressed(
    *, call_sid: str, step_index: int, digits: str, now: dt.datetime | None = None
) -> Answer:
    """A key while a wave's phones ring, where the wave says the caller's keys work then (``Dial.caller_keys``,
    from the policy the keys claim was made under). 9 or 0: the wave ends for the caller's choice (lines back,
    nobody's offer counted unanswered), and the answer is the transfer; the adapter hangs up the wave's legs.
    Any other key, a wave whose keys do not work, or a key after a provider accepted: the wave rings on (the
    answer is the wave). A repeated event gets the same transfer and writes nothing."""
    call = load_call(call_sid)
    plan = call.routing_plan
    wave = _wave(plan, step_index)
    result = keys.read_menu_digits(digits, plan.menu())
    if not wave.caller_keys or result.outcome is Outcome.NO_INPUT:
        return _answer(call, wave)
    if services.leave_ringing_wave(
        call, step_index, crisis=result.outcome is Outcome.PRESSED_CRISIS, now=now
    ):
        services.record_key(call, digits, RINGING)
        return _advance(call, next_step(plan, Progress(at=step_index), result), now)
    call.refresh_from_db(fields=["outcome"])
    if call.outcome in CHOSEN_LINES:
        return _answer(call, _chosen_line(call, step_index))
    return _answer(call, wave)  # a provider accepted first: the caller is being connected


def provider_answered(*, attempt_id: int) -> Answer:
    """A provider's leg answered: the whisper (in English), asking them to press 1."""
    attempt = Attempt.objects.select_related("provider", "call").get(pk=attempt_id)
    whisper = Whisper(attempt.provider.name, str(attempt.pk), attempt.call.language)
    return Answer(attempt.call.call_sid, "en", whisper)


def provider_pressed(*, attempt_id: int, digits: str, now: dt.datetime | None = None) -> Answer:
    """The provider's key after the whisper: 1 wins the call if nobody won it first (the winner's repeated event
    wins again); anything else, or too late, hangs up that leg."""
    attempt = Attempt.objects.select_related("call").get(pk=attempt_id)
    won = keys.is_whisper_accepted(digits) and services.accept_attempt(
        attempt.call, attempt.step_index, str(attempt.provider_id), now=now
    )
    return Answer(attempt.call.call_sid, "en", WhisperResult(bool(won)))


# --- nobody answered: the callback offer, the options ------------------------------------------------------------


def callback_pressed(
    *, call_sid: str, digits: str, caller_number: str | None, now: dt.datetime | None = None
) -> Answer:
    """The caller's key at the callback offer: 1 accepts (``caller_number`` None: withheld, so ask for one),
    9/0 transfer, nothing the offer's own end."""
    call = load_call(call_sid)
    offer = call.routing_plan.callback_offer()
    if digits == keys.CALLBACK_DIGIT:
        if caller_number is None:
            return _answer(call, AskNumber(offer.index))
        return _promise(call, offer, caller_number, now)
    services.record_key(call, digits, "callback_offer")
    return _advance(
        call, next_step(call.routing_plan, Progress(at=offer.index), keys.read_menu_digits(digits)), now
    )


def callback_number_typed(*, call_sid: str, digits: str, now: dt.datetime | None = None) -> Answer:
    """Caller ID was withheld and the caller typed the number to call back; asked again when it is not one."""
    call = load_call(call_sid)
    offer = call.routing_plan.callback_offer()
    try:
        number = normalize_e164(digits)
    except InvalidPhoneNumber:
        return _answer(call, AskNumber(offer.index))
    return _promise(call, offer, number, now)


def _promise(call: Call, offer: CallbackOffer, number: str, now: dt.datetime | None = None) -> Answer:
    """Store the request (committed before a word of confirmation), given to the provider the offer named or a
    backup it named, whoever has room now; the confirmation names that one. Nobody: the free helpline."""
    callback = services.record_callback(call, offer.provider_id, offer.deadline, number, now=now)
    if callback is None:
        return _answer(call, CallbackRefused())
    heard = {offer.provider_id: offer.provider_name, **{b.id: b.name for b in offer.backups}}
    name = heard.get(str(callback.provider_id)) or callback.provider.name
    return _answer(call, CallbackGiven(offer.index, name, offer.minutes))


def options_pressed(*, call_sid: str, digits: str, now: dt.datetime | None = None) -> Answer:
    """A key at the options prompt (after a callback was promised, or a listing's facility did not answer)."""
    call = load_call(call_sid)
    if digits in ("9", "0"):
        services.record_key(
            call, digits, "listing_options" if call.number_kind == "listing" else "callback_offer"
        )
        services.record_transfer(call, crisis=digits == "9", now=now)
    return _answer(call, OptionTaken(digits))


# --- status ------------------------------------------------------------------------------------------------------


def status_changed(event: dict[str, Any]) -> None:
    """The call's or a provider leg's status (an event made by ``journal.status_event``): applied in order and
    idempotently. When the database cannot take it, the adapter keeps the same event in the journal
    (``journal.keep``) and the worker applies it later through this same function's ``journal.apply``."""
    journal.apply(event)


# --- preparing a step --------------------------------------------------------------------------------------------


def _advance(call: Call, step: Step, now: dt.datetime | None = None) -> Answer:
    """Make the engine's ``step`` ready to say: a wave's lines held and attempts recorded before it rings
    (providers whose last line was just taken are dropped; a wave left with nobody counts as unanswered), a
    transfer recorded. A listing's facility without a verified phone goes straight to the options."""
    if call.number_kind == "listing":
        if isinstance(step, Dial) and not all(t.phone for t in step.targets):
            services.record_listing_result(call, answered=False)
            after = next_step(call.routing_plan, Progress(at=step.index), Result(Outcome.FAILED))
            return _answer(call, after, rang=False)
        return _answer(call, step)
    while isinstance(step, Dial):
        attempts = services.ring_wave(call, step.index, [t.id for t in step.targets], now=now)
        if attempts:
            return _ringing(call, step, attempts)
        progress = Progress(at=step.index, ring_elapsed_s=call.ring_elapsed_s)
        step = next_step(call.routing_plan, progress, Result(Outcome.NO_ANSWER))
    if isinstance(step, Transfer):
        services.record_transfer(call, crisis=step.number == CRISIS_NUMBER, now=now)
    return _answer(call, step)


def _again(call: Call, step: Step) -> Answer:
    """What ``_advance`` prepared for ``step`` the first time, read back and not written again: the next wave that
    rang with the attempts it recorded then (the waves it skipped had no free line and recorded none), else the
    step after them. A transfer was recorded the first time; no line is held again, even if one is free now."""
    while isinstance(step, Dial):
        attempts = services.wave_attempts(call, step.index, [t.id for t in step.targets])
        if attempts:
            return _ringing(call, step, attempts)
        progress = Progress(at=step.index, ring_elapsed_s=call.ring_elapsed_s)
        step = next_step(call.routing_plan, progress, Result(Outcome.NO_ANSWER))
    return _answer(call, step)


def _ringing(call: Call, wave: Dial, attempts: dict[str, str]) -> Answer:
    rung = dataclasses.replace(wave, targets=tuple(t for t in wave.targets if t.id in attempts))
    return _answer(call, rung, attempt_ids=attempts)


def _answer(call: Call, step: Any, *, attempt_ids: dict[str, str] | None = None, rang: bool = True) -> Answer:
    return Answer(
        call.call_sid,
        call.language,
        step,
        listing=call.number_kind == "listing",
        attempt_ids=attempt_ids or {},
        rang=rang,
    )


def _wave(plan: Plan, step_index: int) -> Dial:
    wave = plan.wave_at(step_index)
    if wave is None:
        raise LookupError(f"the plan has no wave at step {step_index}")
    return wave


def wave_ring_time(call: Call, step_index: int) -> int:
    """How long the call's wave at ``step_index`` rings (0 when the plan has no such wave): for an adapter that
    must give a wave up itself (Twilio's queue shape), so it never searches the plan."""
    wave = call.routing_plan.wave_at(step_index)
    return wave.ring_timeout_s if wave is not None else 0


# The outcomes of a caller who chose the crisis line (9) or the free helpline (0) while a wave rang.
CHOSEN_LINES = {CallOutcome.TRANSFERRED_CRISIS: "9", CallOutcome.TRANSFERRED_FREE: "0"}


def _chosen_line(call: Call, step_index: int) -> Step:
    """The transfer a key pressed while the wave at ``step_index`` rang led to, read back (written once)."""
    result = keys.read_menu_digits(CHOSEN_LINES[CallOutcome(call.outcome)], call.routing_plan.menu())
    return next_step(call.routing_plan, Progress(at=step_index), result)


def wave_hears_keys(call: Call, step_index: int) -> bool:
    """Whether the caller's 9 and 0 work while the call's wave at ``step_index`` rings (``Dial.caller_keys``):
    for an adapter that listens for them itself (Twilio's hold loop), so it never searches the plan."""
    wave = call.routing_plan.wave_at(step_index)
    return wave is not None and wave.caller_keys


def _other_language(call: Call) -> str:
    return "en" if call.language == "es" else "es"


__all__ = [
    "Answer",
    "DialEnd",
    "call_started",
    "callback_number_typed",
    "callback_pressed",
    "load_call",
    "menu_pressed",
    "options_pressed",
    "place_entered",
    "provider_answered",
    "provider_pressed",
    "ringing_keys_pressed",
    "status_changed",
    "wave_ended",
    "wave_keys_pressed",
]
