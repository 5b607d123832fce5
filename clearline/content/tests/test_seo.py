"""What search engines read: robots.txt, sitemap.xml, canonical and hreflang links, meta descriptions, and the
pages around translations (the notice for a page not translated yet) and demo people."""

from __future__ import annotations

import json
import re

import pytest

from clearline.content.models import ArticlePage, Person
from clearline.content.tests.conftest import in_spanish, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_article(home, topic, article) -> ArticlePage:
    in_spanish(home, title="Inicio", slug="inicio")
    in_spanish(topic, title="Heroína", slug="heroina")
    return in_spanish(article, title="La desintoxicación de heroína", slug="desintoxicacion")


def head_links(html: str) -> dict[str, list[str]]:
    head = html.split("</head>")[0]
    return {
        "canonical": re.findall(r'<link rel="canonical" href="([^"]+)">', head),
        "alternates": re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head),
        "robots": re.findall(r'<meta name="robots" content="([^"]+)">', head),
    }


# robots.txt --------------------------------------------------------------------------------------------------


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_staff_paths(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in (
        "/admin/",
        "/django-admin/",
        "/accounts/",
        "/portal/",
        "/es/portal/",
        "/telephony/",
        "/search/",
    ):
        assert f"Disallow: {path}" in lines, path
    assert "Disallow: /" not in lines and "Disallow: /es/" not in lines


def test_robots_txt_does_not_name_a_moved_admin_path(client, settings):
    settings.CLEARLINE_ADMIN_PATH = "back-office-7f3a/"
    text = client.get("/robots.txt").content.decode()
    assert "back-office" not in text and "Disallow: /admin/" not in text


def test_robots_txt_and_the_sitemap_use_the_public_url_when_one_is_set(client, settings, article):
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"
    assert "Sitemap: https://help.example.org/sitemap.xml" in client.get("/robots.txt").content.decode()
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>https://help.example.org/heroin/heroin-detox/</loc>" in pages
    html = client.get(article.url).content.decode()
    assert head_links(html)["canonical"] == ["https://help.example.org/heroin/heroin-detox/"]


# sitemap.xml -------------------------------------------------------------------------------------------------


def test_the_sitemap_is_an_index_of_pages_views_and_listings(client):
    index = client.get("/sitemap.xml").content.decode()
    for section in ("pages", "views", "facilities"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in index, section


def test_the_sitemap_lists_each_page_with_its_language_versions(client, spanish_article, article, terms):
    xml = client.get("/sitemap-pages.xml").content.decode()
    entries = dict(re.findall(r"<url><loc>([^<]+)</loc>(.*?)</url>", xml))
    english = "http://testserver/heroin/heroin-detox/"
    spanish = "http://testserver/es/heroina/desintoxicacion/"
    for location in (english, spanish):
        alternates = re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entries[location])
        assert alternates == [("en", english), ("es", spanish), ("x-default", english)], location
    # A page in one language only: listed, with no alternates to claim.
    assert "hreflang" not in entries["http://testserver/terms-of-use/"]


def test_the_sitemap_leaves_out_drafts_and_private_pages(client, topic, article):
    draft = ArticlePage(title="Draft", slug="draft", body=[])
    topic.add_child(instance=draft)
    draft.unpublish()
    xml = client.get("/sitemap-pages.xml").content.decode()
    assert "/heroin/heroin-detox/" in xml
    assert "/heroin/draft/" not in xml


def test_the_sitemap_lists_public_views_in_both_languages(client):
    xml = client.get("/sitemap-views.xml").content.decode()
    for path in ("/where-do-calls-go/", "/es/where-do-calls-go/", "/treatment/", "/es/treatment/"):
        assert f"<loc>http://testserver{path}</loc>" in xml, path
    assert "/search/" not in xml


# canonical, hreflang, meta description --------------------------------------------------------------------------


def test_a_translated_page_names_itself_canonical_and_both_versions(client, spanish_article, article):
    for page in (article, spanish_article):
        links = head_links(client.get(page.url).content.decode())
        assert links["canonical"] == [f"http://testserver{page.url}"]
        assert links["alternates"] == [
            ("en", "http://testserver/heroin/heroin-detox/"),
            ("es", "http://testserver/es/heroina/desintoxicacion/"),
            ("x-default", "http://testserver/heroin/heroin-detox/"),
        ]
        assert links["robots"] == []


def test_a_page_in_one_language_names_only_itself(client, article):
    links = head_links(client.get(article.url).content.decode())
    assert links["alternates"] == [
        ("en", "http://testserver/heroin/heroin-detox/"),
        ("x-default", "http://testserver/heroin/heroin-detox/"),
    ]


def test_a_view_names_its_version_in_each_language_and_drops_the_query_string(client, home):
    links = head_links(client.get("/es/where-do-calls-go/?utm=x").content.decode())
    assert links["canonical"] == ["http://testserver/es/where-do-calls-go/"]
    assert dict(links["alternates"]) == {
        "en": "http://testserver/where-do-calls-go/",
        "es": "http://testserver/es/where-do-calls-go/",
        "x-default": "http://testserver/where-do-calls-go/",
    }


def test_the_meta_description_falls_back_to_the_intro_without_its_markup(client, topic):
    html = client.get(topic.url).content.decode()
    assert '<meta name="description" content="About heroin">' in html
    topic.search_description = "Heroin: withdrawal, overdose and treatment."
    publish(topic)
    assert '<meta name="description" content="Heroin: withdrawal, overdose and treatment.">' in (
        client.get(topic.url).content.decode()
    )


def test_a_long_intro_is_cut_to_a_meta_description_length(topic):
    topic.intro = "<p>" + "word " * 100 + "</p>"
    assert len(topic.meta_description) <= 160
    assert topic.meta_description.endswith("…")


# The language switch on a page without a translation ----------------------------------------------------------


def test_the_language_switch_leads_to_a_spanish_notice_linking_the_english_page(client, home, topic, article):
    in_spanish(home, title="Inicio", slug="inicio")
    spanish_topic = in_spanish(topic, title="Heroína", slug="heroina")
    html = client.get(article.url).content.decode()
    notice = f"/es/not-translated/{article.pk}/"
    assert f'href="{notice}" hreflang="es"' in html
    response = client.get(notice)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Esta página todavía no está traducida" in html
    assert "Por ahora, esta página solo está disponible en inglés." in html
    assert f'<a href="{article.url}" hreflang="en" lang="en">Heroin detox explained</a>' in html
    assert f'<a href="{spanish_topic.url}">Heroína</a>' in html  # reading on in Spanish, from its topic
    assert head_links(html)["robots"] == ["noindex"]


def test_the_notice_sends_the_reader_to_the_translation_once_it_exists(client, spanish_article, article):
    response = client.get(f"/es/not-translated/{article.pk}/")
    assert response.status_code == 302
    assert response["Location"] == spanish_article.url


def test_the_notice_is_not_found_for_a_page_that_is_not_live(client, topic, article):
    article.unpublish()
    assert client.get(f"/es/not-translated/{article.pk}/").status_code == 404
    assert client.get("/es/not-translated/999999/").status_code == 404


# Demo people and the treatment button ---------------------------------------------------------------------------


def test_an_article_by_fictional_people_says_they_are_invented(client, article):
    Person.objects.filter(pk__in=[article.author_id, article.medical_reviewer_id]).update(is_fictional=True)
    html = client.get(article.url).content.decode()
    assert "Medically reviewed by Rae Reviewer, MD (fictional)." in html
    assert "no real clinician has reviewed this article" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["reviewedBy"]["description"] == "A fictional person invented for a demonstration site."


def test_an_article_by_real_people_carries_no_demo_note(client, article):
    html = client.get(article.url).content.decode()
    assert "(fictional)" not in html and "Demo content" not in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert "description" not in data["reviewedBy"]


def test_the_treatment_button_uses_the_topics_own_words_or_a_plain_default(client, topic):
    html = client.get(topic.url).content.decode()
    assert "Find treatment near you" in html and "Find Heroin treatment" not in html
    topic.directory_link_text = "Find heroin treatment near you"
    publish(topic)
    assert "Find heroin treatment near you" in client.get(topic.url).content.decode()


def test_a_page_not_found_names_no_canonical_or_language_versions(client, home, settings):
    settings.DEBUG = False
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    links = head_links(response.content.decode())
    assert links["canonical"] == [] and links["alternates"] == []


def test_the_home_page_tells_search_engines_where_the_sites_search_is(client, home):
    html = client.get(home.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "WebSite"
    assert (
        data["potentialAction"]["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    )
