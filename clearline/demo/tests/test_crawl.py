"""Every public page of the demo site, in both languages, as a search engine and a Spanish reader meet it.

The crawl starts from sitemap.xml (so it also proves the sitemap lists every page) and adds the pages the
sitemap leaves out on purpose (search). Each page must answer 200 with a meta description, one canonical link
to itself, hreflang links that name the same versions as the sitemap and each other, nothing loaded from another
host, and, under /es/, no English words of the site's own wording.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from clearline.content.models import ArticlePage

pytestmark = pytest.mark.django_db
# Listings share one template: the demo's fictional facilities stand for the 12,000 real ones.
WITH_SAMHSA_DIRECTORY = False

HOST = "http://testserver"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
FACILITY_SAMPLE = 6  # URLs: the first three listings, in both languages
EXTRA_PATHS = ["/search/", "/es/search/", "/search/?q=naloxone", "/es/search/?q=naloxona"]
# Words and phrases of English that Spanish pages must not show: the site's own wording (menus, bylines, the
# crisis strip, buttons) and everyday English words that no Spanish sentence uses. Proper names (Clearline,
# FindTreatment.gov, SAMHSA, the fictional providers) contain none of them.
ENGLISH = [
    "the", "and", "with", "your", "you", "for", "this", "that", "what", "how", "not", "only", "near", "here",
    "about", "more", "call", "text", "free", "help", "find", "read", "search", "close", "skip", "page",
    "written by", "reviewed", "sources", "topics", "articles", "policies", "results", "previous", "language",
    "emergency", "paid advertiser", "where do calls go", "helpline numbers", "fictional",
]  # fmt: skip
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)


class Page(HTMLParser):
    """What the crawl checks on one HTML page: head links, resources, anchors and the Spanish reader's text."""

    SKIP_TEXT = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang = ""
        self.title = ""
        self.description: str | None = None
        self.canonical: list[str] = []
        self.alternates: dict[str, str] = {}
        self.resources: list[str] = []
        self.anchors: list[str] = []
        self.english_links: list[str] = []  # anchors marked hreflang="en": the reader asked for English
        self.text: list[str] = []
        self._skip: list[str] = []  # open elements whose text is not the page's own wording
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_lang = a.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("name") == "description":
            self.description = a.get("content", "")
        elif tag == "link":
            rel = a.get("rel", "")
            if rel == "canonical":
                self.canonical.append(a["href"])
            elif rel == "alternate" and "hreflang" in a:
                self.alternates[a["hreflang"]] = a["href"]
            else:
                self.resources.append(a.get("href", ""))
        elif tag == "a":
            self.anchors.append(a.get("href", ""))
            if a.get("hreflang") == "en":
                self.english_links.append(a.get("href", ""))
        for name in ("src", "srcset", "action", "poster", "data"):
            if a.get(name):
                self.resources.append(a[name])
        # English on purpose: scripts, the numbered sources (titles of English publications) and anything marked
        # lang="en" (the English title a "not translated" notice links to).
        if (
            tag in self.SKIP_TEXT
            or (tag == "section" and "citations" in a.get("class", ""))
            or (tag != "html" and a.get("lang") == "en")
        ) or (self._skip and tag == self._skip[0]):
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip and tag == self._skip[-1]:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def sitemap_entries(client) -> dict[str, dict[str, str]]:
    """{path: {hreflang: path}} for every URL in the sitemap's sections, but only the first few listings of the
    directory (they share one template, and the full directory holds thousands)."""
    from xml.etree import ElementTree

    entries: dict[str, dict[str, str]] = {}
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own sitemap
    for section in index.iterfind("sm:sitemap/sm:loc", SITEMAP_NS):
        parsed = urlparse(section.text)
        response = client.get(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        assert response.status_code == 200, section.text
        urls = list(ElementTree.fromstring(response.content).iterfind("sm:url", SITEMAP_NS))  # noqa: S314
        if "facilities" in parsed.path:
            if parsed.query:  # a later page of listings
                continue
            urls = urls[:FACILITY_SAMPLE]
        for url in urls:
            location = url.findtext("sm:loc", namespaces=SITEMAP_NS)
            assert location.startswith(HOST + "/"), location
            entries[location.removeprefix(HOST)] = {
                link.get("hreflang"): link.get("href").removeprefix(HOST)
                for link in url.iterfind("xhtml:link", SITEMAP_NS)
            }
    return entries


_crawl: dict[str, tuple[int, Page]] = {}
_sitemap: dict[str, dict[str, str]] = {}


@pytest.fixture
def crawl(demo, client) -> dict[str, tuple[int, Page]]:
    """{path: (status, parsed page)}, fetched once for the module (the demo is the same in every test)."""
    if not _crawl:
        _sitemap.update(sitemap_entries(client))
        for path in [*_sitemap, *EXTRA_PATHS]:
            response = client.get(path)
            _crawl[path] = (response.status_code, parse(response.content.decode()))
    return _crawl


def test_the_sitemap_lists_every_demo_page_in_both_languages(crawl):
    paths = set(_sitemap)
    for article in ArticlePage.objects.live():
        assert article.url in paths, article.url
    assert {
        "/",
        "/es/",
        "/where-do-calls-go/",
        "/es/where-do-calls-go/",
        "/treatment/",
        "/es/treatment/",
    } <= paths
    spanish = [p for p in paths if p.startswith("/es/")]
    assert len(spanish) == len(paths) - len(spanish), "a page without its other language version"
    assert any(p.startswith("/es/treatment/") and p != "/es/treatment/" for p in paths), (
        "no directory listing"
    )


def test_every_public_page_answers_with_a_title_and_a_meta_description(crawl):
    for path, (status, page) in crawl.items():
        assert status == 200, path
        assert page.title.strip().removesuffix("| Clearline").strip(), path
        assert page.description and page.description.strip(), f"{path}: no meta description"
        assert page.html_lang == ("es" if path.startswith("/es/") else "en"), path


def test_every_page_names_itself_canonical_and_its_language_versions(crawl):
    for path, (_status, page) in crawl.items():
        assert page.canonical == [HOST + urlparse(path).path], path
        versions = {code: urlparse(href).path for code, href in page.alternates.items()}
        if _sitemap.get(path):
            assert versions == _sitemap[path], path
        if not versions:
            continue
        assert set(versions) == {"en", "es", "x-default"}, path
        assert not versions["en"].startswith("/es/") and versions["es"].startswith("/es/"), path
        assert versions["x-default"] == versions["en"], path
        assert urlparse(path).path in (versions["en"], versions["es"]), path
        for href in page.alternates.values():
            assert href.startswith(HOST + "/"), (path, href)


def test_language_versions_name_each_other(crawl):
    for path, (_status, page) in crawl.items():
        for code in ("en", "es"):
            other = urlparse(page.alternates.get(code, "")).path
            if other and other in crawl:
                assert crawl[other][1].alternates == page.alternates, (path, other)


def test_no_page_loads_anything_from_another_host(crawl):
    for path, (_status, page) in crawl.items():
        for url in page.resources:
            assert not re.match(r"^(https?:)?//", url) or url.startswith(HOST + "/"), (path, url)
        if urlparse(path).path.removeprefix("/es").startswith("/treatment/"):
            continue  # a listing links the visitor to a map of its address: the directory's choice
        for href in page.anchors:
            # Links a reader follows: our own pages, tel:/sms:, and public health sources over https.
            parsed = urlparse(href)
            if parsed.scheme in ("http", "https") and not href.startswith(HOST + "/"):
                assert parsed.scheme == "https" and parsed.hostname.endswith((".gov", ".org")), (path, href)


def test_spanish_pages_link_spanish_pages(crawl):
    # Besides the links that say they lead to English (the language switch), a Spanish reader stays in Spanish.
    for path, (_status, page) in crawl.items():
        if not path.startswith("/es/"):
            continue
        for href in page.anchors:
            if href.startswith("/") and href not in page.english_links:
                assert href.startswith(("/es/", "/static/")), (path, href)


def english_words(page: Page) -> set[str]:
    text = " ".join([page.title, page.description or "", *page.text])
    return {m.lower() for m in ENGLISH_RE.findall(text)}


def test_spanish_pages_show_no_english_wording(crawl):
    found = {path: english_words(page) for path, (_status, page) in crawl.items() if path.startswith("/es/")}
    assert len(found) >= 20
    assert {path: words for path, words in found.items() if words} == {}


def test_the_english_pages_trip_the_english_word_check(crawl):
    # The check above would pass on a page it cannot read; on the English pages it must find English.
    assert english_words(crawl["/"][1]) >= {"the", "and", "search"}
