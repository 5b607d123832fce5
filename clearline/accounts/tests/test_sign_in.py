"""Signing in: a password, then a code from the authenticator app or a single-use recovery code."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.accounts import twofactor
from clearline.accounts.tests.conftest import PASSWORD, code, code_step, password_step, sign_in

pytestmark = pytest.mark.django_db


def signed_in_as(client) -> str | None:
    response = client.get("/accounts/")
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return None
    return client.session.get("_auth_user_id")


def test_password_then_code_signs_an_operator_in_to_the_admin(client, operator, operator_device):
    response = sign_in(client, operator, operator_device)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/"
    assert client.get("/accounts/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_provider_member_lands_in_the_portal(client, member, member_device):
    sign_in(client, member, member_device)
    assert client.get("/accounts/")["Location"] == "/portal/"


def test_the_password_alone_signs_nobody_in(client, operator, operator_device):
    response = password_step(client, "olivia")
    assert response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_a_wrong_password_is_explained_without_saying_which_part_was_wrong(client, operator):
    response = password_step(client, "olivia", "not the password")
    assert response.status_code == 200
    assert "That username and password do not match an active account." in response.content.decode()
    response = password_step(client, "nobody", "not the password")
    assert "That username and password do not match an active account." in response.content.decode()


def test_an_inactive_account_cannot_sign_in(client, operator, operator_device):
    operator.is_active = False
    operator.save()
    response = password_step(client, "olivia")
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_a_wrong_code_is_explained_and_the_right_one_still_works(client, operator, operator_device):
    password_step(client, "olivia")
    right = code(operator_device)
    wrong = "000000" if right != "000000" else "111111"
    response = code_step(client, wrong)
    assert response.status_code == 200
    assert "That code is not right, or it has been used already." in response.content.decode()
    assert code_step(client, right)["Location"] == "/accounts/"


def test_a_code_works_once(client, operator, operator_device):
    # The replay sends the very code that signed in: a code read afresh could belong to the next 30-second step
    # (if one began in between), and that one is rightly accepted.
    used = code(operator_device)
    password_step(client, "olivia")
    assert code_step(client, used)["Location"] == "/accounts/"
    client.post("/accounts/logout/")
    password_step(client, "olivia")
    response = code_step(client, used)  # the same code again (a replay)
    assert response.status_code == 200
    assert "used already" in response.content.decode()


def test_the_code_step_needs_the_password_step_first(client, operator, operator_device):
    response = code_step(client, code(operator_device))
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_the_password_step_is_forgotten_after_ten_minutes(client, operator, operator_device):
    password_step(client, "olivia")
    later = time.time() + twofactor.PENDING_SECONDS + 1
    with mock.patch("clearline.accounts.twofactor.time.time", return_value=later):
        response = code_step(client, code(operator_device))
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client, operator, operator_device):
    codes = twofactor.replace_recovery_codes(operator)
    password_step(client, "olivia")
    assert code_step(client, codes[0])["Location"] == "/accounts/"
    client.post("/accounts/logout/")
    password_step(client, "olivia")
    response = code_step(client, codes[0])
    assert response.status_code == 200
    assert "used already" in response.content.decode()
    # The others still work, typed in capitals and with a space, as people do.
    assert code_step(client, f"{codes[1][:4].upper()} {codes[1][4:].upper()}")["Location"] == "/accounts/"
    assert StaticToken.objects.filter(device__user=operator).count() == len(codes) - 2


def test_new_recovery_codes_replace_the_old_ones(client, operator, operator_device):
    old = twofactor.replace_recovery_codes(operator)
    twofactor.replace_recovery_codes(operator)
    password_step(client, "olivia")
    assert code_step(client, old[0]).status_code == 200  # refused


def test_a_recovery_code_attempt_does_not_slow_down_the_authenticator(
    client, operator, operator_device, settings
):
    # With django-otp's real throttling on, a wrong recovery code must not make the next authenticator code fail.
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    settings.OTP_STATIC_THROTTLE_FACTOR = 1
    twofactor.replace_recovery_codes(operator)
    password_step(client, "olivia")
    assert code_step(client, "zzzzzzzz").status_code == 200
    assert code_step(client, code(operator_device))["Location"] == "/accounts/"


def test_signing_out_ends_the_session(client, operator, operator_device):
    sign_in(client, operator, operator_device)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert client.get("/admin/")["Location"].startswith("/accounts/login/")


def test_someone_with_no_staff_access_and_no_provider_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("nina", "nina@example.invalid", PASSWORD)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in(client, user, device)
    response = client.get("/accounts/")
    assert response.status_code == 403
    assert "not a member of a provider" in response.content.decode()


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/admin/",
        "/\\evil.example/",
        "javascript:alert(1)",
    ],
)
def test_open_redirects_are_refused(client, operator, operator_device, next_url):
    assert 'value="https://evil' not in client.get("/accounts/login/", {"next": next_url}).content.decode()
    password_step(client, "olivia", next_url=next_url)
    response = code_step(client, code(operator_device))
    assert response["Location"] == "/accounts/"
    # The admin login redirect passes next on; the login page drops it the same way.
    assert client.get("/admin/login/", {"next": next_url}).status_code == 302


def test_a_local_next_page_is_kept(client, operator, operator_device):
    password_step(client, "olivia", next_url="/admin/pages/")
    assert code_step(client, code(operator_device))["Location"] == "/admin/pages/"


def test_the_admin_sends_people_to_the_two_factor_login_with_their_page(client, operator):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    login_page = client.get(response["Location"])
    assert 'name="next" value="/admin/pages/"' in login_page.content.decode()


def test_the_sign_in_pages_are_in_spanish_for_spanish_browsers(client, operator, operator_device):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in response.content.decode()
    assert "Iniciar sesión" in response.content.decode()
    # Coming from a Spanish portal page, the whole sign-in stays in Spanish, whatever the browser says.
    client.get("/accounts/login/", {"next": "/es/portal/"})
    password_step(client, "olivia", next_url="/es/portal/")
    wrong = code_step(client, "000000" if code(operator_device) != "000000" else "111111")
    assert "Escriba su código" in wrong.content.decode()
    assert "Ese código no es correcto o ya se usó." in wrong.content.decode()
