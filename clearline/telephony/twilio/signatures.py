"""Inbound webhook checks: every Twilio request carries ``X-Twilio-Signature``, an HMAC of the URL it requested
and its POST fields under the account's auth token (DESIGN.md §3 rule 8).

Behind a reverse proxy Django may see ``http://127.0.0.1:8000/...`` while Twilio signed
``https://help.example.org/...``; set ``CLEARLINE_PUBLIC_URL`` and the check uses its scheme and host instead.
"""

from __future__ import annotations

import base64
import functools
import hashlib
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


def is_enabled() -> bool:
    """The Twilio integration is on when an auth token is configured."""
    return bool(getattr(settings, "TWILIO_AUTH_TOKEN", None))


def signed_url(request: HttpRequest) -> str:
    """The URL as Twilio requested it: ``CLEARLINE_PUBLIC_URL``'s scheme and host, this request's path and query.
    Worked out once per request (the signature check and the action URLs both need it)."""
    url: str | None = getattr(request, _SIGNED_URL, None)
    if url is None:
        public = getattr(settings, "CLEARLINE_PUBLIC_URL", "") or ""
        if not public:
            url = request.build_absolute_uri()
        else:
            parts = urlsplit(public)
            url = f"{parts.scheme}://{parts.netloc}{request.get_full_path()}"
        setattr(request, _SIGNED_URL, url)
    return url


_SIGNED_URL = "_clearline_signed_url"
_HASHES = {HMAC_SHA1.upper(): hashlib.sha1, HMAC_SHA256.upper(): hashlib.sha256}


def expected_signature(token: str, url: str, params: Any, algorithm: str) -> str:
    """Twilio's signature of a request (``RequestValidator.compute_signature``'s: the URL, then each field name
    and each of its distinct values, names and values sorted; an HMAC of that, in base64), for a supported
    ``algorithm``, spelt directly: the library's generic version was ~20 us of every webhook
    (bench/webhooks.py --in-process-only --profile), and with the header reads and URL ~70 us in all."""
    if hasattr(params, "getlist"):
        parts = [url] + [
            name + value for name in sorted(params) for value in sorted(set(params.getlist(name)))
        ]
    else:
        parts = [url] + [name + params[name] for name in sorted(params)]
    digest = hmac.new(token.encode(), "".join(parts).encode(), _HASHES[algorithm]).digest()
    return base64.b64encode(digest).decode()


def is_valid_twilio_request(request: HttpRequest) -> bool:
    """Whether ``request`` is signed by Twilio with ``TWILIO_AUTH_TOKEN``. False when unsigned or not configured."""
    token = getattr(settings, "TWILIO_AUTH_TOKEN", None)
    meta = request.META  # not ``request.headers``: building it from every header cost ~17 us a webhook
    signature = meta.get(_META_SIGNATURE, "")
    if not token or not signature:
        return False
    algorithm = get_signature_algorithm(meta.get(_META_SETTINGS, ""))
    params = request.POST if request.method == "POST" else {}
    url = signed_url(request)
    # The URL as Twilio requested it matches at the first HMAC; ``validate`` (the other spellings of the URL:
    # with and without a port) only runs when it does not.
    chosen = (algorithm or HMAC_SHA1).upper()
    if chosen in _HASHES and hmac.compare_digest(
        expected_signature(token, url, params, chosen).encode(), signature.encode()
    ):
        return True
    return bool(RequestValidator(token).validate(url, params, signature, algorithm))


_META_SIGNATURE = "HTTP_" + SIGNATURE_HEADER.upper().replace("-", "_")
_META_SETTINGS = "HTTP_" + SIGNATURE_SETTINGS_HEADER.upper().replace("-", "_")


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
