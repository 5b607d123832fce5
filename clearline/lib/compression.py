"""gzip for responses where it is safe: text sent to anonymous visitors that carries no secret.

Compression leaks the length of a response, and a page that carries a secret next to text an attacker controls can
give that secret away byte by byte (BREACH). So only these are compressed: static files (no secrets), and pages
for a visitor who is not signed in and for which no CSRF token was issued in this response. Staff, portal and
sign-in pages stay uncompressed. Files WhiteNoise already serves compressed (production) are left as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "text/xml",
    "image/svg+xml",
)


# Below this a gzip header and footer outweigh what compression saves (a 201-byte icon became 430 bytes).
MIN_BYTES = 860


def safe_to_compress(request: HttpRequest, response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES or request.method not in ("GET", "HEAD"):
        return False
    length = response.get("Content-Length", "")
    if (
        length.isdigit() and int(length) < MIN_BYTES
    ):  # a streamed file says its length; Django checks the rest
        return False
    if settings.STATIC_URL and request.path.startswith(settings.STATIC_URL):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A form on this page got a CSRF token (``get_token``), which also (re)sets the CSRF cookie: a secret in the
    # body, so not compressed; nor is any response that sets a cookie (a session begins).
    return not response.cookies and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class SafeGZipMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware`` (honours Accept-Encoding, sets Vary, skips small or already encoded
    responses), for the responses ``safe_to_compress`` allows."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not safe_to_compress(request, response):
            return response
        return super().process_response(request, response)
