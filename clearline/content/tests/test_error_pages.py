"""Styled error pages in both languages, each with the free and crisis lines: a wrong address or our own failure
never leaves a visitor on a bare page without a way to help."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from clearline.content import views


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "language", "said"),
    [("/nonexistent/", "en", "In crisis?"), ("/es/nonexistent/", "es", "¿En crisis?")],
)
def test_an_unknown_address_gets_the_sites_404_page(client, address, language, said):
    response = client.get(address)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert "clearline/site.css" in page and said in page
    assert 'href="tel:988"' in page and 'href="tel:+18006624357"' in page
    assert '<meta name="robots" content="noindex">' in page
    assert "helpline-bar" not in page and "<dialog" not in page  # no paid numbers on an error page


@pytest.mark.django_db
def test_a_failure_gets_a_styled_500_page(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "render", broken)  # the standalone disclosure page fails to render
    response = Client(raise_request_exception=False).get("/where-do-calls-go/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "clearline/site.css" in page and "Something went wrong" in page
    assert 'href="tel:988"' in page and 'href="tel:+18006624357"' in page


@pytest.mark.django_db
def test_the_500_page_itself_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content
