"""Which adapter carried a call (``Call.adapter``): each adapter marks the call it started, once the call flow
has made its record. The flow itself stays the same for both adapters, so it never needs to know; and this is
all an adapter may write about a call outside the flow (the Twilio views import no model: ``TWILIO``, ``SIP``)."""

from __future__ import annotations

import logging

from django.db import DatabaseError

from clearline.telephony.models import Call, CallAdapter

logger = logging.getLogger(__name__)

TWILIO = CallAdapter.TWILIO
SIP = CallAdapter.SIP


def mark(call_sid: str, adapter: CallAdapter) -> None:
    """Note ``adapter`` on the call (a repeated start writes nothing). A label, not worth failing a call over:
    when the database refuses, the call goes on and the record keeps a blank adapter."""
    try:
        Call.objects.filter(call_sid=call_sid, adapter="").update(adapter=adapter)
    except DatabaseError:
        logger.warning("Call %s: which adapter carried it could not be noted", call_sid, exc_info=True)
