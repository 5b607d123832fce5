"""Template tags for the site chrome: helpline bar, disclosure, legal links, language switch."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from wagtail.models import Locale, Page

from clearline.content.claims_text import link_label
from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import HelplineSettings, HomePage, LegalKind, LegalPage, TopicPage
from clearline.content.seo import absolute_url, page_alternates, page_path, view_alternates
from clearline.routing.claims import claim_from_dict

register = template.Library()


def _helplines_for(page: Any) -> list[Any]:
    specific = getattr(page, "specific", page)
    if specific is not None and hasattr(specific, "get_helplines"):
        return list(specific.get_helplines())
    return HelplineSettings.load().helplines()


@register.inclusion_tag("content/includes/helpline_bar.html", takes_context=True)
def helpline_bar(context: template.Context) -> dict[str, Any]:
    helplines = _helplines_for(context.get("page"))
    general = [h for h in helplines if h.is_general]
    labels = {}
    if general:
        stored = ensure_current_disclosure().claims.get("numbers", {})
        for h in general:
            claims = [claim_from_dict(c) for c in stored.get(str(h.pk), [])]
            # A number the version does not know yet (added a moment ago) promises nothing but the free line.
            labels[h.pk] = link_label(claims)
    rows = [(h, labels.get(h.pk, "")) for h in helplines]
    return {"helplines": rows, "has_general": bool(general)}


@register.inclusion_tag("content/includes/disclosure.html", takes_context=True)
def disclosure(context: template.Context, heading_id: str = "where-calls-go-title") -> dict[str, Any]:
    version = ensure_current_disclosure()
    return {
        "version": version,
        "paragraphs": version.paragraphs_for(get_language() or "en"),
        "terms_url": legal_url(context, LegalKind.TERMS),
        "heading_id": heading_id,
        "in_dialog": heading_id != "where-calls-go-title",
    }


def _current_locale(context: template.Context | None = None) -> Locale | None:
    """The active language's Locale, looked up once per request (the chrome asks for it several times)."""
    request = context.get("request") if context is not None else None
    language = get_language() or settings.LANGUAGE_CODE
    cache = getattr(request, "_clearline_locales", None) if request is not None else None
    if cache is not None and language in cache:
        return cache[language]
    try:
        locale = Locale.get_active()
    except Locale.DoesNotExist:
        locale = None
    if request is not None:
        if cache is None:
            cache = {}
            request._clearline_locales = cache
        cache[language] = locale
    return locale


@register.simple_tag(takes_context=True)
def legal_url(context: template.Context, kind: str) -> str:
    pages = LegalPage.objects.live().filter(kind=kind)
    locale = _current_locale(context)
    page = (pages.filter(locale=locale).first() if locale else None) or pages.first()
    return page.url if page is not None and page.url else ""


@register.simple_tag(takes_context=True)
def legal_pages(context: template.Context) -> list[LegalPage]:
    locale = _current_locale(context)
    pages = LegalPage.objects.live().public()
    if locale is not None and pages.filter(locale=locale).exists():
        pages = pages.filter(locale=locale)
    order = [k.value for k in LegalKind]
    return sorted(pages, key=lambda p: order.index(p.kind) if p.kind in order else 99)


@register.simple_tag(takes_context=True)
def topic_pages(context: template.Context) -> list[TopicPage]:
    locale = _current_locale(context)
    pages = TopicPage.objects.live().public().in_menu()
    if locale is not None:
        pages = pages.filter(locale=locale)
    return list(pages.order_by("path"))


@register.simple_tag(takes_context=True)
def home_url(context: template.Context) -> str:
    locale = _current_locale(context)
    home = HomePage.objects.live().filter(locale=locale).first() if locale else None
    home = home or HomePage.objects.live().first()
    return (home.url if home else None) or "/"


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """One link per site language: the translation of this page if it is live, else a page in that language
    saying the translation does not exist yet and linking this one (content.views.not_translated)."""
    request = context.get("request")
    page: Page | None = context.get("page")
    current = get_language() or settings.LANGUAGE_CODE
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            version = page.get_translation_or_none(Locale.objects.filter(language_code=code).first())
            url = version.url if version is not None and version.live else None
            if url is None:
                with translation.override(code):
                    url = reverse("content:not_translated", args=[page.pk])
        elif request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url or "/", "current": code == current})
    return links


@register.inclusion_tag("content/includes/seo_links.html", takes_context=True)
def seo_links(context: template.Context) -> dict[str, Any]:
    """The canonical URL and the hreflang versions of the page being shown, for the <head>."""
    request = context.get("request")
    if request is None:
        return {}
    page = context.get("page")
    noindex = bool(context.get("noindex"))
    if isinstance(page, Page) and page.live:
        path = page_path(page, request)
        alternates = page_alternates(page, request)
    else:
        path = request.path
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.url_name == "wagtail_serve":
            # An error page (Wagtail's catch-all answers every unknown path, but a served page has ``page``): it
            # is no version of anything. The error templates say noindex themselves.
            return {"noindex": noindex}
        alternates = [] if noindex else view_alternates(path)
    return {
        "canonical": absolute_url(request, path) if path else "",
        "alternates": [(a.language, absolute_url(request, a.path)) for a in alternates],
        "noindex": noindex,
    }
