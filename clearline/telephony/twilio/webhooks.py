"""The Twilio edge of every webhook: signature, POST only, a CallSid in Twilio's format, the database's webhook
timeouts, and the fallback TwiML whenever something inside fails (DESIGN.md rule 8: no caller hears silence)."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from clearline.content.models import HelplineKind
from clearline.directory.models import Facility
from clearline.directory.services import verified_destination_for
from clearline.telephony import roster
from clearline.telephony.faults import note_fallback, use_webhook_timeouts
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.signatures import twilio_webhook

logger = logging.getLogger(__name__)

# Relative to the failing webhook's URL (/telephony/twilio/<name>): the in-app copies of the static documents.
FALLBACK_CRISIS_PATH = "fallback-crisis.xml"

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
