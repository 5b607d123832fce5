"""gzip only where it is safe: anonymous pages without a CSRF token, and static files; never staff pages, forms
with a token, or non-text bodies."""

from __future__ import annotations

import gzip
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from clearline.lib.compression import SafeGZipMiddleware

BODY = "<p>" + "Where do calls go? " * 200 + "</p>"


class Signed:
    is_authenticated = True


def respond(
    path="/alcohol/", *, user=None, method="get", content_type="text/html; charset=utf-8", token=False
):
    request = getattr(RequestFactory(), method)(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    request.user = user or AnonymousUser()

    def view(request):
        if token:
            get_token(request)
        return HttpResponse(BODY, content_type=content_type)

    return SafeGZipMiddleware(view)(request)


def test_an_anonymous_page_is_compressed_and_varies_on_accept_encoding():
    response = respond()
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode() == BODY
    assert len(response.content) < len(BODY) / 10


@pytest.mark.parametrize(
    "kwargs",
    [
        {"user": Signed()},  # staff and portal pages carry session-bound data
        {"token": True},  # a form's CSRF token next to reflected input: BREACH
        {"method": "post"},
        {"content_type": "image/png"},
    ],
)
def test_what_may_carry_a_secret_or_gains_nothing_is_sent_as_is(kwargs):
    response = respond(**kwargs)
    assert not response.has_header("Content-Encoding")
    assert response.content.decode() == BODY


def test_a_small_file_is_sent_as_is(settings):
    request = RequestFactory().get(settings.STATIC_URL + "clearline/favicon.svg", HTTP_ACCEPT_ENCODING="gzip")
    request.user = AnonymousUser()

    def view(request):
        return FileResponse(io.BytesIO(b"<svg/>" * 30), content_type="image/svg+xml")

    response = SafeGZipMiddleware(view)(request)
    assert not response.has_header("Content-Encoding")


def test_static_files_are_compressed_even_for_staff(settings):
    response = respond(settings.STATIC_URL + "clearline/site.css", user=Signed(), content_type="text/css")
    assert response["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_real_stack_compresses_a_public_page_but_not_the_sign_in_form(client):
    public = client.get("/transparency/", HTTP_ACCEPT_ENCODING="gzip")
    assert public.status_code == 200 and public["Content-Encoding"] == "gzip"
    sign_in = client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert sign_in.status_code == 200 and not sign_in.has_header("Content-Encoding")
