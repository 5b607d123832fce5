"""Which adapter carried a call (``Call.adapter``): each adapter passes its name to ``flow.call_started``, which
writes it with the call's record in the same insert. The flow stays the same for both adapters: the name is a
label on the record, never read by routing (the Twilio views import no model: hence ``TWILIO`` and ``SIP``)."""

from __future__ import annotations

from clearline.telephony.models import CallAdapter

TWILIO = CallAdapter.TWILIO
SIP = CallAdapter.SIP
