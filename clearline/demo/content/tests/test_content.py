"""Checks on the demo content data. Pure Python: no database, no Wagtail."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest

from clearline.demo.content import articles, legal, people, providers, site

TOPIC_SLUGS = {"heroin", "opioids", "alcohol"}
BLOCK_TYPES = {"heading", "paragraph", "callout"}
LEGAL_SLUGS = {
    "terms-of-use": "terms",
    "privacy": "privacy",
    "advertising-and-routing-policy": "advertising",
    "editorial-policy": "editorial",
}
ARTICLE_KEYS = {
    "slug",
    "topic",
    "locale",
    "translation_of",
    "title",
    "summary",
    "intro",
    "body",
    "citations",
    "author",
    "reviewer",
    "last_reviewed",
}
CITATION_KEYS = {"title", "publisher", "year", "url"}
PHONE_RE = re.compile(r"^\+1\d{3}55501\d{2}$")
MARKER_RE = re.compile(r"\[(\d+)\]")
ALLOWED_911 = re.compile(r"(call|llame al|llama al) 911", re.IGNORECASE)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALLOWED_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li"}

PEOPLE_BY_KEY = {p["key"]: p for p in people.PEOPLE}
ENGLISH = [a for a in articles.ARTICLES if a["locale"] == "en"]
SPANISH = [a for a in articles.ARTICLES if a["locale"] == "es"]


def _strings(value: Any) -> Iterator[str]:
    """Every string anywhere inside a nested structure of dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


ALL_DATA = {
    "people": people.PEOPLE,
    "providers": providers.PROVIDERS,
    "flat_fee": providers.FLAT_FEE,
    "home": site.HOME,
    "topics": site.TOPICS,
    "articles": articles.ARTICLES,
    "legal": legal.LEGAL_PAGES,
}


class _TagChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}> not allowed")
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack})")
        else:
            self.stack.pop()


def _check_html(html: str) -> _TagChecker:
    checker = _TagChecker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.errors.append(f"unclosed tags {checker.stack}")
    return checker


def _all_bodies() -> Iterator[tuple[str, list]]:
    for article in articles.ARTICLES:
        yield article["slug"], article["body"]
    for page in legal.LEGAL_PAGES:
        yield page["slug"], page["body"]
        if "es" in page:
            yield page["slug"] + " (es)", page["es"]["body"]


def _check_href(href: str) -> bool:
    if href.startswith("/"):
        return True
    url = urlparse(href)
    host = url.hostname or ""
    return url.scheme == "https" and (host.endswith((".gov", ".org")) or host == "findtreatment.gov")


# People ----------------------------------------------------------------------------------------------------


def test_people_keys_roles_and_fictional_bios():
    assert len(PEOPLE_BY_KEY) == len(people.PEOPLE), "duplicate person keys"
    for person in people.PEOPLE:
        assert set(person) >= {"key", "name", "credentials", "role", "bio"}
        assert person["role"] in {"author", "reviewer"}
        assert "fictional" in person["bio"].lower()
        assert person["fictional"] is True, "the flag makes their articles say they are invented"
    roles = [p["role"] for p in people.PEOPLE]
    assert roles.count("author") >= 2
    assert roles.count("reviewer") >= 2


# Providers -------------------------------------------------------------------------------------------------


def test_exactly_three_providers_with_required_fields():
    assert len(providers.PROVIDERS) == 3
    keys = [p["key"] for p in providers.PROVIDERS]
    assert len(set(keys)) == 3
    for provider in providers.PROVIDERS:
        assert set(provider) >= {
            "key",
            "name",
            "public_description",
            "timezone",
            "states",
            "languages",
            "intents",
            "phone",
            "hours",
        }
        ZoneInfo(provider["timezone"])
        # No states: callers from any state (one national provider, so no caller is left without one).
        assert all(re.fullmatch(r"[A-Z]{2}", s) for s in provider["states"])
        assert provider["languages"] and set(provider["languages"]) <= {"en", "es"}
        assert provider["intents"] and set(provider["intents"]) <= {"detox", "rehabilitation", "hotline"}
        assert "fictional" in provider["public_description"].lower()
    assert sum(1 for p in providers.PROVIDERS if not p["states"]) == 1  # the others are regional


def test_provider_phones_are_fictional_555_01xx():
    for provider in providers.PROVIDERS:
        assert PHONE_RE.match(provider["phone"]), provider["phone"]


def test_provider_hours_are_well_formed():
    for provider in providers.PROVIDERS:
        hours = provider["hours"]
        if hours == "24/7":
            continue
        assert set(hours) == set(DAYS), provider["key"]
        for ranges in hours.values():
            for start, end in ranges:
                assert datetime.time.fromisoformat(start) < datetime.time.fromisoformat(end)


def test_flat_fee_is_a_single_flat_amount():
    assert providers.FLAT_FEE == {"amount": "1500.00", "currency": "USD", "period": "monthly"}


# Site ------------------------------------------------------------------------------------------------------


def test_home_has_english_and_spanish():
    for data in (site.HOME, site.HOME["es"]):
        assert data["title"]
        assert data["intro"].startswith("<p>")
        assert not _check_html(data["intro"]).errors


def test_exactly_three_topics():
    assert [t["slug"] for t in site.TOPICS] == ["heroin", "opioids", "alcohol"]
    for topic in site.TOPICS:
        for data in (topic, topic["es"]):
            assert data["title"]
            assert data["intro"].startswith("<p>")
            assert not _check_html(data["intro"]).errors
            assert 0 < len(data["search_description"]) <= 160


# Articles --------------------------------------------------------------------------------------------------


def test_articles_have_required_keys():
    for article in articles.ARTICLES:
        assert set(article) >= ARTICLE_KEYS, article.get("slug")
        assert article["locale"] in {"en", "es"}
        datetime.date.fromisoformat(article["last_reviewed"])
        assert article["title"] and article["intro"]
        assert "<" not in article["intro"], "intro is plain text"


def test_article_slugs_unique():
    slugs = [a["slug"] for a in articles.ARTICLES]
    assert len(slugs) == len(set(slugs))


def test_article_topics_valid():
    for article in articles.ARTICLES:
        assert article["topic"] in TOPIC_SLUGS, article["slug"]


def test_enough_english_articles():
    assert len(ENGLISH) >= 7
    assert sum(a["topic"] == "heroin" for a in ENGLISH) >= 3
    assert {a["topic"] for a in ENGLISH} == TOPIC_SLUGS


def test_english_articles_are_a_reasonable_length():
    for article in ENGLISH:
        text = article["intro"] + " " + " ".join(value for _kind, value in article["body"])
        words = len(re.sub(r"<[^>]+>", " ", text).split())
        assert 550 <= words <= 1100, (article["slug"], words)


def test_summaries_fit_meta_description():
    for article in articles.ARTICLES:
        assert 0 < len(article["summary"]) <= 160, (article["slug"], len(article["summary"]))


def test_authors_and_reviewers_exist_with_right_role():
    for article in articles.ARTICLES:
        assert PEOPLE_BY_KEY[article["author"]]["role"] == "author", article["slug"]
        assert PEOPLE_BY_KEY[article["reviewer"]]["role"] == "reviewer", article["slug"]


def test_citation_markers_match_citations():
    for article in articles.ARTICLES:
        citations = article["citations"]
        assert citations, article["slug"]
        text = article["intro"] + " " + " ".join(value for _kind, value in article["body"])
        cited = {int(n) for n in MARKER_RE.findall(text)}
        assert cited <= set(range(1, len(citations) + 1)), (article["slug"], cited)
        assert cited == set(range(1, len(citations) + 1)), (article["slug"], "uncited citations")


def test_citations_are_well_formed_public_sources():
    for article in articles.ARTICLES:
        for citation in article["citations"]:
            assert set(citation) >= CITATION_KEYS
            assert citation["title"] and citation["publisher"]
            assert 1990 <= citation["year"] <= 2026
            url = urlparse(citation["url"])
            assert url.scheme == "https", citation["url"]
            assert (url.hostname or "").endswith((".gov", ".org")), citation["url"]


def test_spanish_translation_points_at_english_article():
    english_by_slug = {a["slug"]: a for a in ENGLISH}
    assert SPANISH
    for article in SPANISH:
        original = english_by_slug[article["translation_of"]]
        assert original["topic"] == article["topic"]
        assert len(original["citations"]) == len(article["citations"])
    for article in ENGLISH:
        assert article["translation_of"] is None


def test_every_english_article_has_one_spanish_translation():
    translated = [a["translation_of"] for a in SPANISH]
    assert sorted(translated) == sorted(a["slug"] for a in ENGLISH)


def test_spanish_articles_are_about_as_long_as_their_originals():
    english_by_slug = {a["slug"]: a for a in ENGLISH}

    def words(article: dict) -> int:
        text = article["intro"] + " " + " ".join(value for _kind, value in article["body"])
        return len(re.sub(r"<[^>]+>", " ", text).split())

    for article in SPANISH:
        original = english_by_slug[article["translation_of"]]
        assert 0.9 <= words(article) / words(original) <= 1.4, article["slug"]
        assert [k for k, _v in article["body"]] == [k for k, _v in original["body"]], article["slug"]


def test_spanish_links_stay_in_spanish():
    for article in SPANISH:
        for _kind, value in article["body"]:
            for href in re.findall(r'href="([^"]+)"', value):
                assert not href.startswith("/") or href.startswith("/es/"), (article["slug"], href)


def test_topics_word_their_treatment_button_in_both_languages():
    for topic in site.TOPICS:
        assert topic["directory_link_text"].startswith("Find ")
        assert topic["directory_link_text"] != f"Find {topic['title']} treatment near you"
        assert topic["es"]["directory_link_text"].startswith("Encuentre tratamiento")


def test_self_medication_article_under_heroin():
    by_slug = {a["slug"]: a for a in articles.ARTICLES}
    article = by_slug["self-medicating-with-heroin"]
    assert article["topic"] == "heroin"
    assert article["locale"] == "en"
    text = " ".join(value for _kind, value in article["body"])
    for needle in ("988", "1-800-662-4357", "findtreatment.gov", "fentanyl", "tolerance", "withdrawal"):
        assert needle in text.lower(), needle


# Legal -----------------------------------------------------------------------------------------------------


def test_legal_pages_present_with_spanish():
    assert len(legal.LEGAL_PAGES) == 4
    assert {p["slug"]: p["kind"] for p in legal.LEGAL_PAGES} == LEGAL_SLUGS
    for page in legal.LEGAL_PAGES:
        assert page["title"] and page["intro"] and page["body"]
        spanish = page["es"]
        assert spanish["title"] and spanish["intro"] and spanish["body"]
        assert spanish["title"] != page["title"]


def test_legal_pages_state_demo_and_key_facts():
    by_slug = {p["slug"]: p for p in legal.LEGAL_PAGES}
    for page in legal.LEGAL_PAGES:
        for data in (page, page["es"]):
            text = " ".join(value for _kind, value in data["body"]).lower()
            assert "demo" in text, page["slug"]
    routing = " ".join(v for _k, v in by_slug["advertising-and-routing-policy"]["body"]).lower()
    for needle in ("same flat fee", "least recently", "press 9", "0 for the free", "no one else"):
        assert needle in routing, needle
    privacy = " ".join(v for _k, v in by_slug["privacy"]["body"]).lower()
    for needle in ("not recorded", "hash", "encrypted", "no analytics"):
        assert needle in privacy, needle


# Blocks and text everywhere --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "body"), list(_all_bodies()), ids=lambda v: v if isinstance(v, str) else "")
def test_body_blocks_are_well_formed(name, body):
    assert body, name
    for kind, value in body:
        assert kind in BLOCK_TYPES, (name, kind)
        assert value.strip(), name
        if kind in {"heading", "callout"}:
            assert "<" not in value, (name, "plain text only", value)
        else:
            checker = _check_html(value)
            assert not checker.errors, (name, checker.errors)
            for href in checker.hrefs:
                assert _check_href(href), (name, href)


def test_911_only_in_call_911_phrases():
    for name, data in ALL_DATA.items():
        for text in _strings(data):
            remainder = ALLOWED_911.sub("", text)
            assert "911" not in remainder, (name, text)


def test_no_real_looking_phone_numbers_except_helplines():
    allowed = {"1-800-662-4357", "1-800-273-8255"}
    phone = re.compile(r"\b1-\d{3}-\d{3}-\d{4}\b")
    for name, data in ALL_DATA.items():
        for text in _strings(data):
            for number in phone.findall(text):
                assert number in allowed, (name, number)
