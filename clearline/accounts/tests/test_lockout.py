"""Wrong passwords and wrong codes lock out that username from that address only, for a stated time."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from clearline.accounts.tests.conftest import PASSWORD, code, code_step, password_step, sign_in

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES = 30
    settings.AXES_COOLOFF_TIME = 0.5


def lock_out_with_wrong_passwords(client, username: str = "olivia", ip: str = HOME) -> None:
    for _ in range(3):
        password_step(client, username, "wrong password", ip=ip)


def assert_lockout_page(response) -> None:
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many attempts" in text
    assert "after 3 wrong passwords or codes" in text
    assert "Try again in 30 minutes." in text
    assert response["Retry-After"] == "1800"


def test_wrong_passwords_lock_out_that_username_from_that_address(client, operator, operator_device):
    for _ in range(2):
        assert password_step(client, "olivia", "wrong password", ip=HOME).status_code == 200
    assert_lockout_page(password_step(client, "olivia", "wrong password", ip=HOME))
    # Now even the right password is refused there, without being checked.
    assert_lockout_page(password_step(client, "olivia", ip=HOME))
    assert "_auth_user_id" not in client.session


def test_the_same_username_from_another_address_still_signs_in(client, operator, operator_device):
    lock_out_with_wrong_passwords(client)
    assert sign_in(client, operator, operator_device, ip=ELSEWHERE)["Location"] == "/accounts/"


def test_another_username_from_the_same_address_still_signs_in(
    client, operator, operator_device, member, member_device
):
    lock_out_with_wrong_passwords(client)
    assert sign_in(client, member, member_device, ip=HOME)["Location"] == "/accounts/"


def test_wrong_codes_count_like_wrong_passwords(client, operator, operator_device):
    right = code(operator_device)
    wrong = "000000" if right != "000000" else "111111"
    password_step(client, "olivia", ip=HOME)
    assert code_step(client, wrong, ip=HOME).status_code == 200
    assert code_step(client, wrong, ip=HOME).status_code == 200
    assert_lockout_page(code_step(client, wrong, ip=HOME))
    # The half-finished sign-in is dropped, and starting again is refused.
    assert code_step(client, right, ip=HOME)["Location"] == "/accounts/login/"
    assert_lockout_page(password_step(client, "olivia", ip=HOME))
    assert "_auth_user_id" not in client.session


def test_a_right_code_is_refused_once_locked_out_meanwhile(client, operator, operator_device):
    password_step(client, "olivia", ip=HOME)
    from django.test import Client

    lock_out_with_wrong_passwords(Client())  # another browser, same address
    assert_lockout_page(code_step(client, code(operator_device), ip=HOME))
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_the_stated_time(client, operator, operator_device):
    lock_out_with_wrong_passwords(client)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    assert sign_in(client, operator, operator_device, ip=HOME)["Location"] == "/accounts/"


def test_a_successful_sign_in_clears_earlier_failures(client, operator, operator_device):
    for _ in range(2):
        password_step(client, "olivia", "wrong password", ip=HOME)
    sign_in(client, operator, operator_device, ip=HOME)
    client.post("/accounts/logout/")
    for _ in range(2):
        assert password_step(client, "olivia", "wrong password", ip=HOME).status_code == 200


def test_the_lockout_page_is_in_spanish_for_spanish_browsers(client, operator):
    for _ in range(3):
        response = client.post(
            "/accounts/login/",
            {"username": "olivia", "password": "wrong"},
            REMOTE_ADDR=HOME,
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert response.status_code == 429
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Demasiados intentos" in text
    assert "después de 3 contraseñas o códigos incorrectos" in text
    assert "Inténtelo de nuevo dentro de 30 minutos." in text


def test_an_unknown_username_is_locked_out_the_same_way(client, db):
    lock_out_with_wrong_passwords(client, "nobody")
    assert password_step(client, "nobody", PASSWORD, ip=HOME).status_code == 429
    assert not get_user_model().objects.filter(username="nobody").exists()


def through_proxy(client, username: str, password: str, forwarded_for: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR="10.9.9.9",  # the proxy
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_the_lockout_keys_on_the_address_the_proxy_saw(
    client, settings, operator, operator_device
):
    settings.CLEARLINE_PROXY_COUNT = 1
    for _ in range(3):
        through_proxy(client, "olivia", "wrong password", "203.0.113.7")
    assert through_proxy(client, "olivia", PASSWORD, "203.0.113.7").status_code == 429
    # Everyone else arrives from the same proxy address, and is not locked out with the attacker.
    assert through_proxy(client, "olivia", PASSWORD, "198.51.100.4")["Location"] == "/accounts/login/verify/"
    # What the client itself puts in the header (the left part) cannot change its identity.
    assert through_proxy(client, "olivia", PASSWORD, "198.51.100.4, 203.0.113.7").status_code == 429


def test_without_a_proxy_setting_the_header_is_ignored(client, settings, operator, operator_device):
    settings.CLEARLINE_PROXY_COUNT = 0
    for n in range(3):
        through_proxy(client, "olivia", "wrong password", f"203.0.113.{n}")  # a forged header each time
    assert through_proxy(client, "olivia", PASSWORD, "198.51.100.4").status_code == 429
