"""Site search: articles and topics in the page's language, through Wagtail search on the database backend."""

from __future__ import annotations

import re

import pytest

from clearline.content.models import ArticlePage
from clearline.content.tests.conftest import in_spanish, publish
from clearline.content.tests.fulltext import use_sqlite_full_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _full_text_index(db):
    # Autouse, so it runs before the page fixtures: their index entries must go into the real FTS5 table.
    use_sqlite_full_text()


def result_titles(html: str) -> list[str]:
    return re.findall(r'<li class="card"><h3><a href="[^"]+">([^<]+)</a></h3>', html)


def test_it_finds_an_article_by_words_in_its_body(client, article):
    html = client.get("/search/", {"q": "supervised detox"}).content.decode()
    assert result_titles(html) == ["Heroin detox explained"]
    assert "1 result for “supervised detox”" in html


def test_it_finds_topics_and_says_which_is_which(client, topic, article):
    html = client.get("/search/", {"q": "heroin"}).content.decode()
    assert sorted(result_titles(html)) == ["Heroin", "Heroin detox explained"]
    assert "<p>Topic. About heroin</p>" in html
    assert "<p>Article. What withdrawal is like.</p>" in html


def test_it_searches_only_the_pages_language(client, home, topic, article):
    in_spanish(home, title="Inicio", slug="inicio")
    in_spanish(topic, title="Heroína", slug="heroina", intro="<p>Sobre la heroína</p>")
    in_spanish(
        article, title="La desintoxicación de heroína", slug="desintoxicacion", intro="La abstinencia."
    )
    spanish = client.get("/es/search/", {"q": "desintoxicación"}).content.decode()
    assert result_titles(spanish) == ["La desintoxicación de heroína"]
    assert "1 resultado para «desintoxicación»" in spanish
    assert result_titles(client.get("/search/", {"q": "desintoxicación"}).content.decode()) == []


def test_it_leaves_out_unpublished_pages(client, topic, article):
    article.unpublish()
    assert result_titles(client.get("/search/", {"q": "detox"}).content.decode()) == []


def test_no_results_offer_the_topics_and_the_free_helpline(client, topic, article):
    html = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "0 results for “zzzqqq”" in html
    assert "Try fewer or different words" in html
    assert f'<li><a href="{topic.url}">Heroin</a></li>' in html
    assert 'href="tel:+18006624357"' in html


def test_the_empty_form_is_labelled_and_reachable_from_the_header_in_both_languages(client, home, article):
    html = client.get(article.url).content.decode()
    assert '<li><a href="/search/">Search</a></li>' in html
    form = client.get("/search/").content.decode()
    assert '<label for="search-q">Words to search for</label>' in form
    assert '<form role="search" method="get" action="/search/"' in form
    in_spanish(home, title="Inicio", slug="inicio")
    spanish = client.get("/es/").content.decode()
    assert '<li><a href="/es/search/">Buscar</a></li>' in spanish
    assert (
        '<label for="search-q">Palabras que quiere buscar</label>'
        in client.get("/es/search/").content.decode()
    )


def test_search_pages_ask_not_to_be_indexed(client, home):
    for url in ("/search/", "/search/?q=heroin"):
        assert '<meta name="robots" content="noindex">' in client.get(url).content.decode()


def test_results_come_ten_to_a_page(client, topic):
    for n in range(12):
        page = ArticlePage(title=f"Naloxone note {n:02}", slug=f"note-{n}", intro="Naloxone.", body=[])
        topic.add_child(instance=page)
        publish(page)
    first = client.get("/search/", {"q": "naloxone"}).content.decode()
    assert len(result_titles(first)) == 10
    assert "12 results" in first and 'rel="next"' in first
    second = client.get("/search/", {"q": "naloxone", "page": 2}).content.decode()
    assert len(result_titles(second)) == 2 and 'rel="prev"' in second


def test_punctuation_in_a_query_is_ignored_not_an_error(client, article):
    for query in ('heroin"', '"', "(detox", "detox*", "NEAR(", "^detox", "a:b", "-detox"):
        assert client.get("/search/", {"q": query}).status_code == 200, query


def test_a_query_with_punctuation_still_finds_its_words(client, article):
    assert result_titles(client.get("/search/", {"q": '"supervised detox"!'}).content.decode()) == [
        "Heroin detox explained"
    ]
