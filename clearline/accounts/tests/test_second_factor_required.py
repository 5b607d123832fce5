"""Every way of being logged in without a second factor is refused on staff and provider pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from clearline.accounts.tests.conftest import PASSWORD, password_step

pytestmark = pytest.mark.django_db

PROTECTED = ["/admin/", "/admin/pages/", "/django-admin/", "/portal/", "/es/portal/", "/telephony/simulator/"]


def assert_refused(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302, (url, response.status_code)
    location = response["Location"]
    if location.startswith("/django-admin/login/"):  # Django's admin sends anonymous visitors there first
        location = client.get(location)["Location"]
    assert location.startswith("/accounts/login/"), (url, location)


@pytest.mark.parametrize("url", PROTECTED)
def test_a_password_on_the_two_factor_login_alone_reaches_nothing(client, operator, operator_device, url):
    password_step(client, "olivia")
    assert_refused(client, url)


@pytest.mark.parametrize("login_url", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_own_login_forms_do_not_sign_anyone_in(client, operator, operator_device, login_url):
    response = client.post(login_url, {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    for url in PROTECTED:
        assert_refused(client, url)


@pytest.mark.parametrize("url", PROTECTED)
def test_a_session_logged_in_without_a_second_factor_is_refused(client, operator, url):
    client.force_login(operator)  # as a password reset or any other password-only login would
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url.replace('/', '%2F')}"


def test_a_provider_member_without_a_second_factor_is_refused_too(client, member):
    client.force_login(member)
    for url in ("/portal/", "/es/portal/", "/portal/calls/"):
        assert_refused(client, url)


def test_with_the_second_factor_the_admins_open(client, operator, login_verified):
    login_verified(operator)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


def test_a_removed_authenticator_ends_the_verified_session(client, operator, login_verified):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    login_verified(operator)
    TOTPDevice.objects.filter(user=operator).delete()
    assert_refused(client, "/admin/")


def test_public_pages_do_not_ask_for_anything(client, db):
    get_user_model().objects.create_user("visitor", password=PASSWORD)
    assert client.get("/accounts/login/").status_code == 200
