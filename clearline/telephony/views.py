"""Twilio webhooks. Each view parses Twilio's form fields, calls the services, and renders TwiML.

Every view answers valid TwiML even when something inside fails: the safe fallback (disclosure, crisis option,
then the free national helpline), so no caller ever hears silence or an error (DESIGN.md rule 8). Signatures
are checked first by ``twilio_webhook``: a forged request gets 403 and changes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from clearline.content.models import HelplineKind
from clearline.directory.models import Facility
from clearline.directory.services import verified_destination_for
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
from clearline.telephony import disclosed, flow, journal, roster, services
from clearline.telephony.models import Attempt, AttemptStatus, Call
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.signatures import signed_url, twilio_webhook
from clearline.telephony.twilio.twiml.callback import render_callback_unavailable

logger = logging.getLogger(__name__)

# Relative to the failing webhook's URL (/telephony/twilio/<name>): the in-app copies of the static documents.
FALLBACK_CRISIS_PATH = "fallback-crisis.xml"

WITHHELD_CALLER_IDS = {"", "anonymous", "restricted", "unknown", "blocked", "+266696687", "+86282452253"}

# Twilio's CallSid: "CA" and 32 hex digits. Anything else did not come from Twilio (the signature only proves the
# sender holds the token): refused before a single row is read or written.
CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")


def is_call_sid(value: str) -> bool:
    return CALL_SID.fullmatch(value) is not None


def call_sid_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """400 when the ``CallSid`` field (Twilio sends it with every webhook) or the ``call`` query parameter (the
    caller's CallSid in our own action URLs) is not Twilio's format. A 400, not the fallback: no caller is
    waiting on a request Twilio did not make."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        in_query = request.GET.get("call")
        if not is_call_sid(request.POST.get("CallSid", "")) or (
            in_query is not None and not is_call_sid(in_query)
        ):
            logger.warning("Twilio webhook %s refused: the CallSid is not Twilio's format", request.path)
            return HttpResponseBadRequest("Malformed CallSid", content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapped


def respond(xml: str) -> HttpResponse:
    return HttpResponse(xml, content_type="text/xml; charset=utf-8")


# --- faults: the database's timeouts on the webhook path, and telling operators when the fallback answers ---------

# The raw connection that already carries the webhook timeouts, on this thread's connection wrapper.
_TIMEOUTS_ON = "_clearline_webhook_timeouts_on"


def use_webhook_timeouts() -> None:
    """Give this thread's PostgreSQL connection the webhook's statement and lock timeouts (settings
    ``CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS`` and ``..._LOCK_TIMEOUT_MS``), so a held lock or a stuck statement
    ends in an error, and the fallback, well within Twilio's patience. One statement per connection, not per
    webhook: the setting stays on the session (``set_config(..., false)``) until a page request on the same
    connection puts the defaults back (``_page_timeouts``). The worker, migrations and imports never get it."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "postgresql":
        return
    conn.close_if_health_check_failed()
    if conn.connection is not None and getattr(conn, _TIMEOUTS_ON, None) is conn.connection:
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
            [
                f"{settings.CLEARLINE_WEBHOOK_STATEMENT_TIMEOUT_MS}ms",
                f"{settings.CLEARLINE_WEBHOOK_LOCK_TIMEOUT_MS}ms",
            ],
        )
    # Inside a transaction (a test's) the setting ends with it: remembered only when it is the session's.
    setattr(conn, _TIMEOUTS_ON, None if conn.in_atomic_block else conn.connection)


def _page_timeouts(environ: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """A request other than a webhook on a connection that carries the webhook timeouts: the defaults again."""
    conn = connections[DEFAULT_DB_ALIAS]
    if getattr(conn, _TIMEOUTS_ON, None) is None:
        return
    if (environ or {}).get("PATH_INFO", "").startswith(tuple(settings.CLEARLINE_LEAN_PATHS)):
        return
    _default_timeouts(conn)


def _request_over(**_kwargs: Any) -> None:
    """A connection that should close after each request (``CONN_MAX_AGE`` 0) but is kept, as Django's test client
    keeps it: the defaults again, so what runs next on it (a test's teardown) is not cut short."""
    conn = connections[DEFAULT_DB_ALIAS]
    if getattr(conn, _TIMEOUTS_ON, None) is not None and conn.settings_dict.get("CONN_MAX_AGE") == 0:
        _default_timeouts(conn)


def _default_timeouts(conn: Any) -> None:
    setattr(conn, _TIMEOUTS_ON, None)
    if conn.connection is None:
        return
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(name, reset_val, false) FROM pg_settings "
                "WHERE name IN ('statement_timeout', 'lock_timeout')"
            )
    except Exception:
        logger.warning("Could not put the database's timeouts back; reconnecting", exc_info=True)
        conn.close()


request_started.connect(_page_timeouts, dispatch_uid="clearline.telephony.page_timeouts")
request_finished.connect(_request_over, dispatch_uid="clearline.telephony.request_over")

FALLBACK_COUNT_KEY = "clearline:telephony:fallbacks"
FALLBACK_ALERT_KEY = "clearline:telephony:fallback-alerted"
_fallbacks_lock = threading.Lock()
_fallbacks = 0


def fallbacks_in_this_process() -> int:
    return _fallbacks


def note_fallback(path: str, error: BaseException) -> int:
    """Count a fallback answer (in this process, and in the cache ``FALLBACK_COUNT_KEY``) and e-mail
    ``CLEARLINE_OPERATOR_EMAILS`` at most once per ``CLEARLINE_FALLBACK_ALERT_MINUTES``. Never raises and never
    waits: the e-mail goes from a short-lived thread, not a task, because a task is queued in the very database
    that is likely failing, and the alert must reach operators while it fails. No caller number is written."""
    global _fallbacks
    with _fallbacks_lock:
        _fallbacks += 1
        count = _fallbacks
    try:
        cache.add(FALLBACK_COUNT_KEY, 0, timeout=None)
        total = cache.incr(FALLBACK_COUNT_KEY)
        if not cache.add(FALLBACK_ALERT_KEY, True, timeout=settings.CLEARLINE_FALLBACK_ALERT_MINUTES * 60):
            return count
        if settings.CLEARLINE_OPERATOR_EMAILS:
            threading.Thread(
                target=_send_fallback_alert,
                args=(path, type(error).__name__, total),
                name="clearline-fallback-alert",
                daemon=True,
            ).start()
    except Exception:
        logger.exception("Could not count or report a fallback answer")
    return count


def _send_fallback_alert(path: str, error: str, total: int) -> None:
    minutes = settings.CLEARLINE_FALLBACK_ALERT_MINUTES
    try:
        send_mail(
            "Clearline: callers are getting the fallback",
            f"A Twilio webhook ({path}) failed with {error} and the caller got the fallback: the disclosure, "
            f"press 9 for the crisis line and the free national helpline, but no provider.\n\n"
            f"Fallback answers so far: {total}. The error is in the web server's log (level ERROR). "
            f"You will get at most one of these e-mails every {minutes} minutes; see docs/operations.md, "
            f'"When the database fails".',
            None,
            list(settings.CLEARLINE_OPERATOR_EMAILS),
        )
    except Exception:
        logger.exception("Could not e-mail operators about fallback answers")


def safely(view: Callable[..., HttpResponse], *, provider_leg: bool = False) -> Callable[..., HttpResponse]:
    """Whatever fails inside, the caller still gets instructions: the static fallback. On a provider's leg
    (the whisper) a failure hangs up that leg instead: the caller's call carries on to the next step."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            use_webhook_timeouts()
            return view(request, *args, **kwargs)
        except Exception as error:
            count = note_fallback(request.path, error)
            logger.exception(
                "Twilio webhook %s failed; answering with the fallback (%d in this process)",
                request.path,
                count,
            )
            if provider_leg:
                return respond(twiml.render_hangup())
            return respond(fallback_for(request))

    return wrapped


def webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return twilio_webhook(require_POST(call_sid_checked(safely(view))))


def provider_leg_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return twilio_webhook(require_POST(call_sid_checked(safely(view, provider_leg=True))))


def status_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No fallback TwiML for status callbacks (nobody hears them): the view keeps or refuses the event itself,
    and sets the webhook timeouts inside its own error handling, so a database that is down is journaled."""
    return twilio_webhook(require_POST(call_sid_checked(view)))


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


def fallback_for(request: HttpRequest) -> str:
    """The inline fallback: a listing number's rings its facility (DESIGN rule 1), any other the helpline's.

    Which number was dialled comes from the process's cached roster, so it is known even with the database
    down; the facility's name and verified phone need one read, and without it the caller hears the options."""
    language = "es" if request.GET.get("lang") == "es" else "en"
    inputs = roster.cached_inputs()
    entry = inputs.helplines.get(request.POST.get("To", "")) if inputs is not None else None
    if entry is None or entry.kind != HelplineKind.LISTING or entry.facility_id is None:
        return twiml.render_fallback(language)
    name, phone = "", ""
    try:
        facility = Facility.objects.only("name").filter(pk=entry.facility_id).first()
        if facility is not None:
            name, phone = facility.name, verified_destination_for(facility.pk) or ""
    except Exception:
        logger.exception("The listing fallback could not read its facility; offering the options only")
    return twiml.render_listing_fallback(name, phone, language, crisis_document=FALLBACK_CRISIS_PATH)


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
