"""People and helpers for the sign-in tests: real passwords, real TOTP devices, real codes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.content.tests.conftest import add_provider
from clearline.providers.models import Membership, Provider

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_device_throttling(settings):
    # django-otp slows a device down after a wrong code (1 s, 2 s, 4 s…); tests that type a wrong code and then
    # the right one at once would hit that pause. The lockout tests count failures through django-axes instead.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code(device: TOTPDevice, steps_ahead: int = 0, seconds_ahead: int = 0) -> str:
    """The code the person's authenticator app shows now (or ``steps_ahead`` 30-second steps later, still within
    django-otp's tolerance of one step, for a second sign-in: a code is accepted once only). ``seconds_ahead``
    follows a test that moved ``time.time`` forward."""
    return f"{totp(device.bin_key, t0=-seconds_ahead, drift=steps_ahead):06d}"


@pytest.fixture
def operator(db):
    user = get_user_model().objects.create_user(
        "olivia", "olivia@example.invalid", PASSWORD, is_staff=True, is_superuser=True
    )
    return user


@pytest.fixture
def operator_device(operator) -> TOTPDevice:
    return TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)


@pytest.fixture
def provider(db) -> Provider:
    return add_provider("Alder Recovery")


@pytest.fixture
def member(provider):
    user = get_user_model().objects.create_user("mario", "mario@example.invalid", PASSWORD)
    Membership.objects.create(user=user, provider=provider, role="agent")
    return user


@pytest.fixture
def member_device(member) -> TOTPDevice:
    return TOTPDevice.objects.create(user=member, name="phone", confirmed=True)


def password_step(client, username: str, password: str = PASSWORD, ip: str = "127.0.0.1", next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data, REMOTE_ADDR=ip)


def code_step(client, token: str, ip: str = "127.0.0.1"):
    return client.post("/accounts/login/verify/", {"token": token}, REMOTE_ADDR=ip)


def sign_in(
    client, user, device: TOTPDevice, ip: str = "127.0.0.1", steps_ahead: int = 0, seconds_ahead: int = 0
):
    response = password_step(client, user.username, ip=ip)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/", response
    return code_step(client, code(device, steps_ahead, seconds_ahead), ip=ip)


@pytest.fixture(autouse=True)
def _wagtail_root(db):
    # The admin dashboard needs Wagtail's root page, which the test tables (built without migrations) lack.
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        english, _ = Locale.objects.get_or_create(language_code="en")
        Page.add_root(instance=Page(title="Root", slug="root", locale=english))
