"""The Twilio edge of every webhook: signature, POST only, a CallSid in Twilio's format, the database's webhook
timeouts and deadline, and the fallback TwiML whenever something inside fails (DESIGN.md rule 8: no caller hears
silence), or what Twilio accepts in its place where the fallback cannot go (``safely``); a call that got it
because the database failed is kept in the event journal."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.http import require_POST

from clearline.content.models import HelplineKind
from clearline.directory.models import Facility
from clearline.directory.services import verified_destination_for
from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.telephony import journal, roster
from clearline.telephony.fallback_alerts import ErrorAnswer, note_fallback
from clearline.telephony.faults import run_reconnecting, use_webhook_timeouts, webhook_deadline
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.signatures import twilio_webhook

logger = logging.getLogger(__name__)

# Relative to the failing webhook's URL (/telephony/twilio/<name>): the in-app copies of the static documents.
FALLBACK_CRISIS_PATH = "fallback-crisis.xml"

# Twilio's CallSid: "CA" and 32 hex digits. Anything else did not come from Twilio (the signature only proves the
# sender holds the token): refused before a single row is read or written.
CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")

# The webhooks that create or plan the call: when they answer the fallback because the database failed, the call
# is kept in the event journal, so the worker stores it later (the others find the call already stored).
JOURNALED = frozenset({"voice", "place"})


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


def fallback_for(request: HttpRequest, read: bool = True) -> str:
    """The inline fallback: a listing number's rings its facility (DESIGN rule 1), any other the helpline's.

    Which number was dialled comes from the process's cached roster, so it is known even with the database
    down; the facility's name and verified phone need one read (not made when ``read`` is false: the webhook's
    deadline has passed), and without it the caller hears the options."""
    language = "es" if request.GET.get("lang") == "es" else "en"
    inputs = roster.cached_inputs()
    entry = inputs.helplines.get(request.POST.get("To", "")) if inputs is not None else None
    if entry is None or entry.kind != HelplineKind.LISTING or entry.facility_id is None:
        return twiml.render_fallback(language)
    name, phone = "", ""
    try:
        if not read:
            raise TimeoutError("no time left to read the facility")
        facility = Facility.objects.only("name").filter(pk=entry.facility_id).first()
        if facility is not None:
            name, phone = facility.name, verified_destination_for(facility.pk) or ""
    except Exception:
        logger.exception("The listing fallback could not read its facility; offering the options only")
    return twiml.render_listing_fallback(name, phone, language, crisis_document=FALLBACK_CRISIS_PATH)


def safely(
    view: Callable[..., HttpResponse], *, on_error: ErrorAnswer = ErrorAnswer.FALLBACK
) -> Callable[..., HttpResponse]:
    """Whatever fails inside, Twilio still gets instructions it accepts where it asked (``on_error``): the caller's
    webhooks answer the static fallback; a provider's leg (the whisper) is hung up, and the caller's call carries
    on to the next step; the hold loop of a queue-shaped wave (the ``<Enqueue waitUrl>``, where Twilio allows no
    ``<Dial>``) answers ``<Leave/>``: the caller leaves the queue and the ``<Enqueue action>`` answers the next
    step, or the fallback if it fails too. Each is counted (``note_fallback``). The database work runs under the
    webhook deadline (``faults.webhook_deadline``); a kept connection found dead by its first statement (the
    server restarted) is replaced and the view runs again (``faults.run_reconnecting``)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        def work() -> HttpResponse:
            use_webhook_timeouts()
            return view(request, *args, **kwargs)

        with webhook_deadline() as deadline:
            try:
                return run_reconnecting(work)
            except Exception as error:
                count = note_fallback(request.path, error, on_error)
                logger.exception(
                    "Twilio webhook %s failed; answering %s instead (%d failed webhooks in this process)",
                    request.path,
                    on_error.value,
                    count,
                )
                if on_error is ErrorAnswer.HANG_UP_LEG:
                    return respond(twiml.render_hangup())
                if on_error is ErrorAnswer.LEAVE_QUEUE:
                    return respond(twiml.render_leave())
                if isinstance(error, (DatabaseError, InterfaceError)):
                    keep_fallback_call(request)
                in_time = deadline is None or (not deadline.cut and deadline.time_left() > 0)
                return respond(fallback_for(request, read=in_time))

    return wrapped


def keep_fallback_call(request: HttpRequest) -> None:
    """A voice or place webhook answered the fallback because the database failed: keep the call in the event
    journal (its CallSid, the number dialled, the time; never the caller's number) for the worker to store."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name not in JOURNALED:
        return
    try:
        to = normalize_e164(request.POST.get("To", ""))
    except InvalidPhoneNumber:
        return  # not a number of ours: nothing to record
    try:
        journal.keep(
            journal.fallback_event(call_sid=request.POST["CallSid"], to=to, received_at=timezone.now())
        )
    except Exception:
        logger.exception(
            "The call of a failed Twilio webhook %s could not be kept in the event journal", request.path
        )


def webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return twilio_webhook(require_POST(call_sid_checked(safely(view))))


def provider_leg_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return twilio_webhook(require_POST(call_sid_checked(safely(view, on_error=ErrorAnswer.HANG_UP_LEG))))


def hold_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The ``<Enqueue waitUrl>``: Twilio allows only Play, Say, Pause, Hangup, Redirect, Leave and Gather there,
    so a failure answers ``<Leave/>``, never the fallback's ``<Dial>`` (the caller would stay on hold)."""
    return twilio_webhook(require_POST(call_sid_checked(safely(view, on_error=ErrorAnswer.LEAVE_QUEUE))))


def status_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No fallback TwiML for status callbacks (nobody hears them): the view keeps or refuses the event itself,
    and sets the webhook timeouts inside its own error handling, so a database that is down is journaled. The
    webhook deadline holds here too: a frozen database's status callback is journaled in time."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with webhook_deadline():
            return view(request, *args, **kwargs)

    return twilio_webhook(require_POST(call_sid_checked(wrapped)))
