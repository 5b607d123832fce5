from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from clearline.content.models import ArticlePage, TopicPage
from clearline.lib.pagecache import mark_cacheable

SEARCH_RESULTS_PER_PAGE = 10
SEARCH_QUERY_MAX_CHARS = 200
WORD = re.compile(r"\w+")


def where_calls_go(request: HttpRequest) -> HttpResponse:
    """The standalone disclosure page: works without JavaScript; the dialog shows the same generated text."""
    return mark_cacheable(render(request, "content/where_calls_go.html"))


def _active_locale() -> Locale | None:
    return Locale.objects.filter(language_code=get_language()).first()


def search(request: HttpRequest) -> HttpResponse:
    """Articles and topics in the page's language, ranked by Wagtail search (the database backend: PostgreSQL
    full text search on PostgreSQL, FTS5 or a plain scan on SQLite)."""
    # Words only: quotes, brackets and operators mean something to SQLite's FTS5 and PostgreSQL's tsquery, and a
    # stray quote made SQLite fail the whole request.
    query = " ".join(WORD.findall(request.GET.get("q", "")[:SEARCH_QUERY_MAX_CHARS]))
    locale = _active_locale()
    results = None
    if query:
        pages = Page.objects.live().public().type(ArticlePage, TopicPage)
        if locale is not None:
            pages = pages.filter(locale=locale)
        found = pages.search(query, operator="and")
        paginator = Paginator(found, SEARCH_RESULTS_PER_PAGE)
        results = paginator.get_page(request.GET.get("page"))
        results.object_list = [
            (page, _("Topic") if isinstance(page, TopicPage) else _("Article"))
            for page in (p.specific for p in results.object_list)
        ]
    topics = TopicPage.objects.live().public().filter(locale=locale) if locale else TopicPage.objects.none()
    response = render(
        request,
        "content/search.html",
        {"query": query, "results": results, "topics": topics.order_by("path"), "noindex": True},
    )
    # Only the empty form is the same for everyone; the page cache skips requests with a query string anyway.
    return mark_cacheable(response) if not request.GET else response


def not_translated(request: HttpRequest, page_id: int) -> HttpResponse:
    """Where the language switch leads when a page has no version in that language: says so in the visitor's
    chosen language and links the page in the language it exists in."""
    page = Page.objects.live().public().filter(pk=page_id).select_related("locale").first()
    if page is None:
        raise Http404
    locale = _active_locale()
    if locale is not None:
        version = page.get_translation_or_none(locale)
        if version is not None and version.live:
            return HttpResponseRedirect(version.url)
    # The nearest page above it that exists in this language (its topic, else the home page).
    nearest = None
    if locale is not None:
        for ancestor in page.get_ancestors().filter(depth__gt=1).order_by("-depth"):
            version = ancestor.get_translation_or_none(locale)
            if version is not None and version.live:
                nearest = version.specific
                break
    return mark_cacheable(
        render(
            request,
            "content/not_translated.html",
            {"original": page.specific, "nearest": nearest, "noindex": True},
        )
    )
