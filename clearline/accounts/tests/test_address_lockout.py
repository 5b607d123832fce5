"""Failures across many usernames from one address lock that address out, for every username."""

from __future__ import annotations

import pytest

from clearline.accounts.tests.conftest import password_step, sign_in

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"
GUESSED = ["admin", "root", "olivia", "mario", "editor", "operator"]


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES = 30
    settings.AXES_COOLOFF_TIME = 0.5


def guess(client, rounds: int, ip: str = HOME) -> list[int]:
    """Wrong passwords round-robin over the usernames: never 5 for one username."""
    return [
        password_step(client, username, "wrong password", ip=ip).status_code
        for _ in range(rounds)
        for username in GUESSED
    ]


def test_four_guesses_each_over_six_usernames_lock_the_address(
    client, operator, operator_device, member, member_device
):
    statuses = guess(client, 4)  # 24 wrong passwords, at most 4 for any one username
    assert statuses[:19] == [200] * 19
    assert statuses[19:] == [429] * 5  # the 20th failure locks the address
    page = password_step(client, "olivia", ip=HOME)
    assert page.status_code == 429
    assert (
        "Sign-in to every account from your network is paused after 20 wrong passwords"
        in page.content.decode()
    )
    # Even the right password and code for an account nobody guessed at are refused from there.
    assert sign_in_status(client, member, member_device, HOME) == 429
    assert "_auth_user_id" not in client.session


def sign_in_status(client, user, device, ip: str) -> int:
    return int(password_step(client, user.username, ip=ip).status_code)


def test_other_addresses_still_sign_in(client, operator, operator_device):
    guess(client, 4)
    assert sign_in(client, operator, operator_device, ip=ELSEWHERE)["Location"] == "/accounts/"


def test_a_few_failures_across_usernames_lock_nothing(client, operator, operator_device):
    guess(client, 3)  # 18: under the address limit, 3 per username: under the pair limit
    assert sign_in(client, operator, operator_device, ip=HOME)["Location"] == "/accounts/"


def test_signing_in_to_ones_own_account_does_not_clear_the_address(
    client, operator, operator_device, member, member_device
):
    # 18 failures against others, then the guesser signs in to their own account (which clears only its own
    # failures), then two more guesses: the address is locked at 20 as if nothing had been cleared.
    for _ in range(3):
        for username in ["admin", "root", "editor", "olivia", "x", "y"]:
            password_step(client, username, "wrong password", ip=HOME)
    assert sign_in(client, member, member_device, ip=HOME)["Location"] == "/accounts/"
    client.logout()
    assert password_step(client, "admin", "wrong password", ip=HOME).status_code == 200
    assert password_step(client, "root", "wrong password", ip=HOME).status_code == 429
