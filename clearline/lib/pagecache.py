"""A whole-page cache for anonymous visitors, invalidated by a generation counter kept in the database.

Public pages are the same for every anonymous visitor (no personalisation, no third-party anything), so a
rendered page can be reused until something it shows changes. Whatever changes content bumps the generation
(content/signals.py); the cache key holds the generation, the operator's local date (a contract may start at
midnight without any row changing) and the language, so a cached page can never outlive what it says.
The counter lives in the database, so every web process sees a bump at once, whatever cache backend each uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from clearline.lib.models import ContentGeneration

GENERATION = "public-pages"
CACHEABLE_ATTRIBUTE = "clearline_cacheable"
TIMEOUT_S = 3600


def current_generation() -> int:
    row = ContentGeneration.objects.filter(name=GENERATION).values_list("value", flat=True).first()
    return row or 0


def bump_generation() -> None:
    if not ContentGeneration.objects.filter(name=GENERATION).update(value=F("value") + 1):
        ContentGeneration.objects.get_or_create(name=GENERATION, defaults={"value": 1})


def mark_cacheable(response: HttpResponse) -> HttpResponse:
    setattr(response, CACHEABLE_ATTRIBUTE, True)
    return response


def cache_key(request: HttpRequest, generation: int) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()[:32]
    return f"page:{generation}:{timezone.localdate().isoformat()}:{get_language()}:{path}"


class AnonymousPageCacheMiddleware:
    """Serve marked pages from the cache to anonymous GETs without a query string."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or request.GET or request.user.is_authenticated:
            return self.get_response(request)
        generation = current_generation()
        request.clearline_generation = generation  # type: ignore[attr-defined]
        key = cache_key(request, generation)
        cached = cache.get(key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            response["X-Clearline-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if getattr(response, CACHEABLE_ATTRIBUTE, False) and response.status_code == 200:
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            # Something changed while this page rendered (maybe a row the render itself created): don't keep it.
            if not response.cookies and current_generation() == generation:
                cache.set(key, (response.content, response["Content-Type"], get_language()), TIMEOUT_S)
                response["X-Clearline-Cache"] = "miss"
        return response


def chrome_context(request: HttpRequest) -> dict[str, str]:
    """Template context: ``chrome_key`` versions the cached header, helpline bar and footer fragments the same
    way whole pages are versioned (content generation and local date), so they change the moment content does."""
    generation = getattr(request, "clearline_generation", None)
    if generation is None:
        generation = current_generation()
    return {"chrome_key": f"{generation}:{timezone.localdate().isoformat()}"}
