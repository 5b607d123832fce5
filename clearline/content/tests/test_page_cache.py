"""Anonymous visitors get cached pages, and every change to what a page shows makes a fresh one."""

import pytest
from django.contrib.auth import get_user_model

from clearline.content.tests.conftest import add_provider

pytestmark = pytest.mark.django_db


def test_the_second_anonymous_visit_is_served_from_the_cache(client, article):
    first = client.get(article.url)
    second = client.get(article.url)
    assert first["X-Clearline-Cache"] == "miss" and second["X-Clearline-Cache"] == "hit"
    assert first.content == second.content
    assert "default-src 'self'" in second["Content-Security-Policy"]


def test_a_new_provider_shows_at_once(client, article):
    add_provider("Alder Recovery")
    assert b"Birch Health" not in client.get(article.url).content
    add_provider("Birch Health")
    response = client.get(article.url)
    assert b"; Birch Health (" in response.content and response["X-Clearline-Cache"] == "miss"


def test_publishing_a_page_shows_at_once(client, article):
    client.get(article.url)
    article.title = "Heroin detox, explained again"
    article.save_revision().publish()
    assert b"Heroin detox, explained again" in client.get(article.url).content


def test_a_changed_helpline_number_shows_at_once(client, article, heroin_helplines):
    client.get(article.url)
    helpline = heroin_helplines[0]
    helpline.number = "+12065550109"
    helpline.save()
    assert b"tel:+12065550109" in client.get(article.url).content


def test_editors_and_query_strings_bypass_the_cache(client, article):
    client.get(article.url)
    assert "X-Clearline-Cache" not in client.get(article.url + "?utm=1")
    client.force_login(get_user_model().objects.create_user("editor", is_staff=True))
    assert "X-Clearline-Cache" not in client.get(article.url)


def test_the_standalone_disclosure_page_is_cached_and_refreshed(client, home, heroin_helplines):
    add_provider("Alder Recovery")
    client.get("/where-do-calls-go/")  # the first render stores the site settings row, which changes content
    client.get("/where-do-calls-go/")
    assert client.get("/where-do-calls-go/")["X-Clearline-Cache"] == "hit"
    add_provider("Birch Health")
    assert b"Birch Health" in client.get("/where-do-calls-go/").content
