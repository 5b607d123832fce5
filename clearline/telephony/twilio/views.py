"""The one Twilio view that belongs to the wire format: the crisis half of the in-app fallback.

When a webhook view fails it answers with ``twiml.render_fallback``, whose "press 9" fetches
``fallback-crisis.xml`` relative to the failing view's URL. Route it at ``twilio/fallback-crisis.xml`` in
``telephony/urls.py`` (beside the other webhooks) so that relative link lands here. It needs no database, so it
still works when whatever broke the other view is broken.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from clearline.telephony.twilio.signatures import twilio_webhook
from clearline.telephony.twilio.twiml import render_fallback_crisis


@twilio_webhook
@require_http_methods(["GET", "POST"])
def fallback_crisis(request: HttpRequest) -> HttpResponse:
    """Transfer to the 988 Lifeline's 10-digit number, then the free helpline if that fails."""
    language = "es" if request.GET.get("lang") == "es" else "en"
    return HttpResponse(render_fallback_crisis(language), content_type="text/xml; charset=utf-8")
