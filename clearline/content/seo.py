"""What search engines read: absolute URLs, each page's language versions, sitemap.xml and robots.txt.

Every absolute URL starts with CLEARLINE_PUBLIC_URL when it is set (the address visitors use, whatever host the
request came in on behind a proxy), else with the request's own scheme and host. Wagtail's Site hostname is not
used: the demo's is "localhost:80" whatever address it is served on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, translate_url
from django.utils import translation
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET
from wagtail.models import Page


def public_base(request: HttpRequest | None) -> str:
    """Scheme and host, without a trailing slash."""
    if settings.CLEARLINE_PUBLIC_URL or request is None:
        return settings.CLEARLINE_PUBLIC_URL
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request: HttpRequest | None, path: str) -> str:
    return public_base(request) + path


def page_path(page: Page, request: HttpRequest | None = None) -> str:
    """The page's path under its language's prefix ("/es/heroina/"), or "" when it has no URL (no site)."""
    parts = page.get_url_parts(request)
    return parts[2] if parts else ""


@dataclass(frozen=True)
class Alternate:
    language: str  # a language code, or "x-default"
    path: str


def _default_language() -> str:
    return settings.LANGUAGE_CODE


def page_alternates(page: Page, request: HttpRequest | None = None) -> list[Alternate]:
    """The live, public language versions of a Wagtail page (itself included), in settings.LANGUAGES order,
    then x-default: the version in the default language, when there is one."""
    versions = {
        p.locale.language_code: p
        for p in page.get_translations(inclusive=True).live().public().select_related("locale")
    }
    alternates = [
        Alternate(code, path)
        for code, _name in settings.LANGUAGES
        if code in versions and (path := page_path(versions[code], request))
    ]
    default = next((a for a in alternates if a.language == _default_language()), None)
    if default is not None:
        alternates.append(Alternate("x-default", default.path))
    return alternates


def view_alternates(path: str) -> list[Alternate]:
    """A Django view served under every language's prefix (i18n_patterns) has one version per language."""
    alternates = [Alternate(code, translate_url(path, code)) for code, _name in settings.LANGUAGES]
    alternates.append(Alternate("x-default", translate_url(path, _default_language())))
    return alternates


# sitemap.xml ----------------------------------------------------------------------------------------------------


class PublicSitemap(Sitemap):
    """Absolute URLs from CLEARLINE_PUBLIC_URL when it is set; Django's sitemap view otherwise uses the request's
    host (django.contrib.sites is not installed)."""

    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.CLEARLINE_PUBLIC_URL:
            return settings.CLEARLINE_PUBLIC_URL.split("://", 1)[0]
        return super().get_protocol(protocol)

    def get_domain(self, site: Any = None) -> str:
        if settings.CLEARLINE_PUBLIC_URL:
            return settings.CLEARLINE_PUBLIC_URL.split("://", 1)[1]
        return super().get_domain(site)


class PageSitemap(PublicSitemap):
    """Every live, public Wagtail page in every language, each listing its other language versions."""

    def items(self) -> list[Page]:
        from clearline.content.models import ArticlePage, HomePage, LegalPage, TopicPage

        pages = (
            Page.objects.live()
            .public()
            .type(HomePage, TopicPage, ArticlePage, LegalPage)
            .select_related("locale")
            .order_by("path", "locale__language_code")
        )
        return [p for p in pages if p.get_url_parts() is not None]

    def location(self, item: Page) -> str:
        return page_path(item)

    def lastmod(self, item: Page) -> Any:
        return item.last_published_at

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> list[Any]:
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        by_key: dict[Any, list[Page]] = {}
        for url in urls:
            by_key.setdefault(url["item"].translation_key, []).append(url["item"])
        for url in urls:
            # Django's sitemap.xml template writes these as <xhtml:link rel="alternate" hreflang=...>.
            url["alternates"] = _sitemap_alternates(by_key[url["item"].translation_key], base)
        return urls


def _sitemap_alternates(versions: Iterable[Page], base: str) -> list[dict[str, str]]:
    by_language = {p.locale.language_code: page_path(p) for p in versions}
    if len(by_language) < 2:
        return []
    alternates = [
        {"lang_code": code, "location": base + by_language[code]}
        for code, _name in settings.LANGUAGES
        if code in by_language
    ]
    if _default_language() in by_language:
        alternates.append({"lang_code": "x-default", "location": base + by_language[_default_language()]})
    return alternates


class ViewSitemap(PublicSitemap):
    """Public pages that are Django views, in every language: "Where do calls go?", the treatment search and the
    helpline figures."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[str]:
        return ["content:where_calls_go", "directory:search", "reports:transparency"]

    def location(self, item: str) -> str:
        return reverse(item)


class FacilitySitemap(PublicSitemap):
    """Every directory listing in both languages: a list of ids, so cheap even for the full directory (paged by
    Django at 50,000 URLs, behind a sitemap index)."""

    i18n = True
    alternates = True
    x_default = True
    # URLs per file: 5,000 (2,500 listings in two languages, with their alternates) weigh about 1.5 MB and take
    # about 1.5 s to write; the whole directory's 24,000 in one file took 6 s. The files are cached (below).
    limit = 5000

    def items(self) -> Any:
        from clearline.directory.models import Facility

        return Facility.objects.order_by("pk").values_list("pk", flat=True)

    def location(self, item: int) -> str:
        return reverse("directory:facility", args=[item])


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "pages": PageSitemap,
    "views": ViewSitemap,
    "facilities": FacilitySitemap,
}
# The index counts every listing and the listings' files are long to write, so both are kept for an hour (a new
# listing reaches search engines that much later); pages and views are cheap and always fresh.
SITEMAP_CACHE_SECONDS = 3600
_cached_index = cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.index)
_cached_section = cache_page(SITEMAP_CACHE_SECONDS)(sitemap_views.sitemap)


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return _cached_index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    view = _cached_section if section == "facilities" else sitemap_views.sitemap
    return view(request, sitemaps=SITEMAPS, section=section)


# robots.txt -----------------------------------------------------------------------------------------------------


def disallowed_paths() -> list[str]:
    """Paths no crawler needs: staff, provider and account pages, telephony webhooks, the language switch and
    search results. A moved admin path is left out on purpose: listing it would tell scanners where it is (it
    needs a sign-in and its pages say noindex anyway)."""
    paths = ["/django-admin/", "/accounts/", "/telephony/", "/i18n/", "/documents/"]
    if settings.CLEARLINE_ADMIN_PATH == "admin/":
        paths.insert(0, "/admin/")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths += [reverse("portal:dashboard"), reverse("content:search")]
    return list(dict.fromkeys(paths))


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallowed_paths()), ""]
    lines.append(f"Sitemap: {absolute_url(request, reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
