"""Inbound webhook checks: every Twilio request carries ``X-Twilio-Signature``, an HMAC of the URL it requested
and its POST fields under the account's auth token (DESIGN.md §3 rule 8).

Behind a reverse proxy Django may see ``http://127.0.0.1:8000/...`` while Twilio signed
``https://help.example.org/...``; set ``CLEARLINE_PUBLIC_URL`` and the check uses its scheme and host instead.
"""

from __future__ import annotations

import functools
import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from twilio.request_validator import HMAC_SHA1, HMAC_SHA256, RequestValidator, get_signature_algorithm

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
SUPPORTED_ALGORITHMS = {HMAC_SHA1.upper(), HMAC_SHA256.upper()}


def is_enabled() -> bool:
    """The Twilio integration is on when an auth token is configured."""
    return bool(getattr(settings, "TWILIO_AUTH_TOKEN", None))


def signed_url(request: HttpRequest) -> str:
    """The URL as Twilio requested it: ``CLEARLINE_PUBLIC_URL``'s scheme and host, this request's path and query."""
    public = getattr(settings, "CLEARLINE_PUBLIC_URL", "") or ""
    if not public:
        return request.build_absolute_uri()
    parts = urlsplit(public)
    return f"{parts.scheme}://{parts.netloc}{request.get_full_path()}"


def is_valid_twilio_request(request: HttpRequest) -> bool:
    """Whether ``request`` is signed by Twilio with ``TWILIO_AUTH_TOKEN``. False when unsigned or not configured."""
    token = getattr(settings, "TWILIO_AUTH_TOKEN", None)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER, ""))
    params = request.POST if request.method == "POST" else {}
    validator = RequestValidator(token)
    url = signed_url(request)
    # The URL as Twilio requested it matches at the first HMAC; ``validate`` always computes two (with and without
    # a port), which bench/webhooks.py --in-process-only --profile put at ~0.07 ms of every webhook.
    if (algorithm or HMAC_SHA1).upper() in SUPPORTED_ALGORITHMS and hmac.compare_digest(
        validator.compute_signature(url, params, algorithm).encode(), signature.encode()
    ):
        return True
    return bool(validator.validate(url, params, signature, algorithm))


def twilio_webhook(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guard a Twilio webhook view: 404 while the integration is off, 403 on a bad signature; CSRF-exempt."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_enabled():
            return HttpResponseNotFound("Not found", content_type="text/plain")
        if not is_valid_twilio_request(request):
            # The path only: query strings may carry ids, and the log must never carry caller numbers.
            logger.warning("Rejected a Twilio webhook with a bad or missing signature: %s", request.path)
            return HttpResponseForbidden("Invalid Twilio signature", content_type="text/plain")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
