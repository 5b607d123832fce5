from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from twilio.twiml.voice_response import VoiceResponse

from bench.yardstick.models import Lead, LeadSource


@csrf_exempt
def forward_call(request: HttpRequest) -> HttpResponse:
    """One lookup, one insert, a ``<Dial>``: the whole inbound webhook of a call-tracking number."""
    source = LeadSource.objects.get(incoming_number=request.POST["Called"])
    Lead.objects.create(
        source=source,
        phone_number=request.POST["Caller"],
        city=request.POST.get("CallerCity", ""),
        state=request.POST.get("CallerState", ""),
    )
    response = VoiceResponse()
    response.dial(source.forwarding_number)
    return HttpResponse(str(response), content_type="text/xml")


urlpatterns = [path("call-tracking/forward-call", forward_call)]
