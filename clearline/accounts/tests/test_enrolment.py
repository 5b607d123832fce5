"""First sign-in: set up an authenticator app (QR code or typed key), then see the recovery codes once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.accounts.tests.conftest import PASSWORD, code_step, password_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return get_user_model().objects.create_user(
        "nadia", "nadia@example.invalid", PASSWORD, is_staff=True, is_superuser=True
    )


def set_up_page(client):
    response = password_step(client, "nadia")
    assert response["Location"] == "/accounts/login/set-up/"
    return client.get("/accounts/login/set-up/")


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_keeps_them_on_reload(client, newcomer):
    first = set_up_page(client)
    assert "<svg" in first.content.decode()
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/Clearline")
    again = client.get("/accounts/login/set-up/")
    assert again.context["secret"] == first.context["secret"]
    assert again.context["qr"] == first.context["qr"]
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_a_wrong_code_is_explained(client, newcomer):
    set_up_page(client)
    device = TOTPDevice.objects.get(user=newcomer)
    right = f"{totp(device.bin_key):06d}"
    response = client.post("/accounts/login/set-up/", {"token": "000000" if right != "000000" else "111111"})
    assert response.status_code == 200
    assert (
        "That code does not match. Check the time on your phone and try again." in response.content.decode()
    )
    device.refresh_from_db()
    assert not device.confirmed
    assert "_auth_user_id" not in client.session


def test_the_right_code_confirms_signs_in_and_shows_the_recovery_codes_once(client, newcomer):
    set_up_page(client)
    device = TOTPDevice.objects.get(user=newcomer)
    response = client.post("/accounts/login/set-up/", {"token": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/accounts/recovery-codes/"
    device.refresh_from_db()
    assert device.confirmed
    page = client.get("/accounts/recovery-codes/").content.decode()
    codes = list(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(c in page for c in codes)
    assert "They are shown only now." in page
    # Shown once: the page does not show them again.
    again = client.get("/accounts/recovery-codes/")
    assert again.status_code == 302
    assert not any(c in client.get(again["Location"]).content.decode() for c in codes)
    assert client.get("/admin/").status_code == 200
    # And a recovery code works at the next sign-in.
    client.post("/accounts/logout/")
    password_step(client, "nadia")
    assert code_step(client, codes[0])["Location"] == "/accounts/"


def test_once_set_up_the_set_up_page_is_not_offered_again(client, newcomer):
    TOTPDevice.objects.create(user=newcomer, name="phone", confirmed=True)
    assert password_step(client, "nadia")["Location"] == "/accounts/login/verify/"
    assert client.get("/accounts/login/set-up/")["Location"] == "/accounts/login/verify/"


def test_the_set_up_page_needs_the_password_step(client, newcomer):
    assert client.get("/accounts/login/set-up/")["Location"] == "/accounts/login/"
