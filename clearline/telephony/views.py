"""Twilio webhooks. Each view parses Twilio's form fields, calls the services, and renders TwiML.

Every view answers valid TwiML even when something inside fails: the safe fallback (disclosure, crisis option,
then the free national helpline), so no caller ever hears silence or an error (DESIGN.md rule 8). Signatures
are checked first by ``twilio_webhook``: a forged request gets 403 and changes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.routing import (
    CallbackOffer,
    Connect,
    Dial,
    ListingOptions,
    Menu,
    Outcome,
    Progress,
    Result,
    Step,
    next_step,
)
from clearline.telephony import disclosed, flow, journal, services
from clearline.telephony.faults import use_webhook_timeouts
from clearline.telephony.models import Attempt, AttemptStatus, Call
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.signatures import signed_url
from clearline.telephony.twilio.twiml.callback import render_callback_unavailable
from clearline.telephony.twilio.webhooks import provider_leg_webhook, respond, status_webhook, webhook

logger = logging.getLogger(__name__)

WITHHELD_CALLER_IDS = {"", "anonymous", "restricted", "unknown", "blocked", "+266696687", "+86282452253"}


@functools.cache
def _paths(script_prefix: str) -> dict[str, str]:
    """The webhooks' paths, reversed once per script prefix (the URL configuration never changes at run time)."""
    names = (
        "menu",
        "dial",
        "wave_keys",
        "whisper",
        "whisper_accept",
        "callback",
        "number",
        "options",
        "status",
    )
    return {name: reverse(f"telephony:{name}") for name in names}


def build_urls(request: HttpRequest, call: Call, step_index: int | None = None) -> twiml.Urls:
    base = signed_url(request)
    origin = base[: base.index("/", base.index("//") + 2)]
    paths = _paths(get_script_prefix())
    query = urlencode(
        {"call": call.call_sid, **({"step": str(step_index)} if step_index is not None else {})}
    )

    def url(name: str) -> str:
        return f"{origin}{paths[name]}?{query}"

    return twiml.Urls(
        menu_action=url("menu"),
        dial_action=url("dial"),
        wave_keys=url("wave_keys"),
        whisper=origin + paths["whisper"],
        whisper_accept=origin + paths["whisper_accept"],
        callback_action=url("callback"),
        number_action=url("number"),
        options_action=url("options"),
        status_callback=origin + paths["status"],
    )


def caller_number(request: HttpRequest) -> str | None:
    raw = request.POST.get("From", "").strip()
    if raw.lower() in WITHHELD_CALLER_IDS:
        return None
    try:
        return normalize_e164(raw)
    except InvalidPhoneNumber:
        return None


def render(request: HttpRequest, call: Call, step: Step) -> HttpResponse:
    """Prepare (lines, attempts, transfers) and render the step the engine chose."""
    return render_prepared(request, call, flow.advance(call, call.routing_plan, step))


def render_prepared(request: HttpRequest, call: Call, prepared: flow.Prepared) -> HttpResponse:
    step = prepared.step
    index = getattr(step, "index", None)
    urls = build_urls(request, call, index)
    if isinstance(step, Connect):
        return respond(twiml.render_hangup())  # the bridged conversation has ended
    if isinstance(step, ListingOptions):
        return respond(
            twiml.render_listing_options(call.language, urls, step.facility_name, rang=prepared.rang)
        )
    if isinstance(step, Dial) and call.number_kind == "listing":
        target = step.targets[0]
        return respond(
            twiml.render_listing_dial(target.name, target.phone, step.ring_timeout_s, call.language, urls)
        )
    return respond(twiml.render_step(step, call.language, urls, prepared.attempt_ids))


def greet(request: HttpRequest, call: Call) -> HttpResponse:
    plan = call.routing_plan
    if call.number_kind == "listing":
        first = plan.first_dial()
        return render(request, call, first if first is not None else plan.terminal)
    sentences = disclosed.greeting_sentences(call)
    return respond(twiml.render_greeting(sentences, call.language, build_urls(request, call)))


def load_call(request: HttpRequest) -> Call:
    # Not the trace (every filter of every provider): no webhook after the first reads it. The disclosure version
    # is loaded only by the one answer that needs it (the greeting again, in the other language).
    return Call.objects.defer("trace").get(call_sid=request.GET["call"])


@webhook
def voice(request: HttpRequest) -> HttpResponse:
    """A call comes in: create or find the call record, then disclosure and menu (or the listing's facility)."""
    started = services.start_call(
        call_sid=request.POST["CallSid"],
        to_number=normalize_e164(request.POST["To"]),
        caller_number=caller_number(request),
        caller_state=request.POST.get("FromState", "")[:2].upper(),
    )
    if started.ask_place:
        return ask_place(request, started.call)
    return greet(request, started.call)


def ask_place(request: HttpRequest, call: Call) -> HttpResponse:
    """The ZIP prompt (before the greeting), answered at ``place``."""
    base = signed_url(request)
    origin = base[: base.index("/", base.index("//") + 2)]
    action = f"{origin}{reverse('telephony:place')}?{urlencode({'call': call.call_sid})}"
    menu_step = next((s for s in call.routing_plan.steps if isinstance(s, Menu)), Menu())
    return respond(twiml.render_place_prompt(call.language, action, menu_step))


@webhook
def place(request: HttpRequest) -> HttpResponse:
    """The caller answered the ZIP prompt: a ZIP code, 9 or 0 (then pound), 2 (the other language), or nothing.

    Only the ZIP code's first three digits go on to the services (DESIGN.md rule 7); then the greeting, as for any
    call, from the plan for that place. 9 and 0 transfer as at the greeting; nothing typed keeps the plan.
    """
    call = load_call(request)
    plan = call.routing_plan
    menu_step = next((s for s in plan.steps if isinstance(s, Menu)), Menu())
    answer = twiml.read_place_digits(request.POST.get("Digits", ""), menu_step)
    if answer.switch_language:
        services.set_call_language(call, "en" if call.language == "es" else "es")
        return ask_place(request, call)
    if answer.menu is not None:
        services.record_key(call, request.POST.get("Digits", "").rstrip("#"), "place_prompt")
        return render(request, call, next_step(plan, Progress(at=menu_step.index), answer.menu))
    placed = services.place_call(
        call_sid=call.call_sid,
        to_number=normalize_e164(request.POST.get("To", "")),
        caller_number=caller_number(request),
        language=call.language,
        zip3=answer.zip3,
    )
    return greet(request, placed.call)


@webhook
def menu(request: HttpRequest) -> HttpResponse:
    call = load_call(request)
    digits = request.POST.get("Digits", "")
    if digits == twiml.SWITCH_LANGUAGE_DIGIT:
        services.set_call_language(call, "en" if call.language == "es" else "es")
        return greet(request, call)
    services.record_key(call, digits, "greeting")
    plan = call.routing_plan
    menu_step = next((s for s in plan.steps if isinstance(s, Menu)), Menu())
    return render(
        request, call, next_step(plan, Progress(at=menu_step.index), twiml.read_menu_digits(digits))
    )


@webhook
def dial(request: HttpRequest) -> HttpResponse:
    """A wave (or the listing's single dial) ended: connected, or on to the next step."""
    call = load_call(request)
    step_index = int(request.GET["step"])
    status = request.POST.get("DialCallStatus", "failed")
    if call.number_kind == "listing":
        answered = status == "completed"
        services.record_listing_result(call, answered)
        if answered:
            return respond(twiml.render_hangup())
        plan = call.routing_plan
        return render(request, call, next_step(plan, Progress(at=step_index), Result(Outcome.NO_ANSWER)))
    plan = call.routing_plan
    wave = next(s for s in plan.steps if isinstance(s, Dial) and s.index == step_index)
    ring_s = wave.ring_timeout_s if status == "no-answer" else 0
    # A repeated dial action (Twilio retrying) gets the same TwiML and writes nothing (``flow.wave_ended``).
    return render_prepared(request, call, flow.wave_ended(call, plan, step_index, status, ring_s))


@webhook
def wave_keys(request: HttpRequest) -> HttpResponse:
    """A key pressed while a later wave was announced, before it rang (the wave's lines are held already).

    9 or 0: the wave's lines go back and its attempts are dropped (nobody was rung), then the transfer is recorded
    and rendered as at the greeting. Any other key: the wave rings as announced, without the announcement.
    """
    call = load_call(request)
    step_index = int(request.GET["step"])
    plan = call.routing_plan
    wave = next(s for s in plan.steps if isinstance(s, Dial) and s.index == step_index)
    digits = request.POST.get("Digits", "")
    result = twiml.read_menu_digits(digits)
    if result.outcome is not Outcome.NO_INPUT:
        services.record_key(call, digits, "wave_announcement")
        services.leave_unrung_wave(call, step_index)
        return render(request, call, next_step(plan, Progress(at=step_index), result))
    ringing = Attempt.objects.filter(call=call, step_index=step_index, status=AttemptStatus.RINGING)
    held = set(ringing.values_list("provider_id", flat=True))
    targets = tuple(t for t in wave.targets if int(t.id) in held)
    if not targets:  # nothing held for this wave any more: it counts as unanswered
        return render(request, call, services.finish_wave(call, step_index, "failed", 0))
    return render(request, call, dataclasses.replace(wave, targets=targets, announce=""))


@provider_leg_webhook
def whisper(request: HttpRequest) -> HttpResponse:
    attempt = Attempt.objects.select_related("provider", "call").get(pk=int(request.GET["attempt"]))
    urls = build_urls(request, attempt.call)
    return respond(
        twiml.render_whisper(
            attempt.provider.name, "en", urls, str(attempt.pk), caller_language=attempt.call.language
        )
    )


@provider_leg_webhook
def whisper_accept(request: HttpRequest) -> HttpResponse:
    attempt = Attempt.objects.select_related("call").get(pk=int(request.GET["attempt"]))
    accepted = twiml.is_whisper_accepted(request.POST.get("Digits", ""))
    won = accepted and services.accept_attempt(attempt.call, attempt.step_index, str(attempt.provider_id))
    return respond(twiml.render_whisper_result(bool(won)))


def confirm_callback(request: HttpRequest, call: Call, offer: CallbackOffer, number: str) -> HttpResponse:
    # The request is stored (and committed) before a single word of confirmation is rendered. Capacity is checked
    # now: the confirmation names whoever was given it (the provider named, else a backup the offer named), and
    # when nobody can take it the caller is told so and transferred to the free helpline.
    callback = services.record_callback(call, offer.provider_id, offer.deadline, number)
    urls = build_urls(request, call, offer.index)
    if callback is None:
        return respond(render_callback_unavailable(call.language))
    heard = {offer.provider_id: offer.provider_name, **{b.id: b.name for b in offer.backups}}
    name = heard.get(str(callback.provider_id)) or callback.provider.name
    return respond(twiml.render_callback_confirmed(name, offer.minutes, call.language, urls))


def current_offer(call: Call) -> CallbackOffer:
    plan = call.routing_plan
    return next(s for s in plan.steps if isinstance(s, CallbackOffer))


@webhook
def callback(request: HttpRequest) -> HttpResponse:
    call = load_call(request)
    digits = request.POST.get("Digits", "")
    plan = call.routing_plan
    offer = current_offer(call)
    if digits == twiml.CALLBACK_DIGIT:
        number = caller_number(request)
        if number is None:
            return respond(twiml.render_ask_for_number(call.language, build_urls(request, call, offer.index)))
        return confirm_callback(request, call, offer, number)
    services.record_key(call, digits, "callback_offer")
    result = twiml.read_menu_digits(digits)
    return render(request, call, next_step(plan, Progress(at=offer.index), result))


@webhook
def number(request: HttpRequest) -> HttpResponse:
    """Caller ID was withheld: the caller typed the number to call back."""
    call = load_call(request)
    offer = current_offer(call)
    try:
        typed = normalize_e164(request.POST.get("Digits", ""))
    except InvalidPhoneNumber:
        return respond(twiml.render_ask_for_number(call.language, build_urls(request, call, offer.index)))
    return confirm_callback(request, call, offer, typed)


@webhook
def options(request: HttpRequest) -> HttpResponse:
    call = load_call(request)
    digits = request.POST.get("Digits", "")
    if digits in ("9", "0"):
        services.record_key(
            call, digits, "listing_options" if call.number_kind == "listing" else "callback_offer"
        )
        services.record_transfer(call, crisis=digits == "9")
    return respond(twiml.render_option_choice(digits, call.language))


def fallback_crisis(request: HttpRequest) -> HttpResponse:
    """Pressing 9 in the fallback (served inline when a webhook fails) leads here: the crisis line. It needs no
    signature check: it reads nothing, writes nothing and says the same to everyone."""
    return respond(twiml.render_fallback_crisis("es" if request.GET.get("lang") == "es" else "en"))


def fallback_free_helpline(request: HttpRequest) -> HttpResponse:
    """Pressing 0 in a listing number's inline fallback leads here: the free helpline; like ``fallback_crisis``
    it reads and writes nothing."""
    return respond(twiml.render_fallback_free_helpline("es" if request.GET.get("lang") == "es" else "en"))


@status_webhook
def status(request: HttpRequest) -> HttpResponse:
    """Status callbacks: the caller's call (CallStatus) or, with ?attempt=, one provider leg.

    Nobody listens to this answer, so a failure is not hidden behind the caller's fallback TwiML: it answers
    500, which Twilio's debugger shows (and the error is logged, by path only: no caller number). When the
    database fails the event is kept in the event journal (``journal.keep``, fsynced) for the worker to apply, and
    the answer is 204; 500 only if it could not be kept either."""
    try:
        event = journal.status_event(
            call_sid=request.POST["CallSid"],
            status=request.POST.get("CallStatus", ""),
            attempt=request.GET.get("attempt"),
            duration=request.POST.get("CallDuration"),
            received_at=timezone.now(),
        )
        use_webhook_timeouts()
        journal.apply(event)
    except journal.DATABASE_FAILURES:
        # The database cannot take it now: kept on local disk, the worker applies it when it can. Safe: 204.
        try:
            journal.keep(event)
        except Exception:
            logger.exception("Twilio status callback %s could not be kept; answering 500", request.path)
            return HttpResponse("Status callback failed", status=500, content_type="text/plain")
        logger.warning("Twilio status callback %s kept in the event journal (database failing)", request.path)
    except Exception:
        logger.exception("Twilio status callback %s failed; answering 500", request.path)
        return HttpResponse("Status callback failed", status=500, content_type="text/plain")
    return HttpResponse(status=204)
