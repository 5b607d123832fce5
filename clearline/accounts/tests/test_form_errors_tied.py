"""On the sign-in, set-up and invitation pages, a refused field is marked invalid and described by its message
and its help text: every id a field's aria-describedby names is on the page."""

from __future__ import annotations

import pytest

from clearline.accounts.tests.conftest import password_step
from clearline.providers.memberships import invite_member
from conftest import assert_errors_tied

pytestmark = pytest.mark.django_db


def test_the_invitation_form_ties_help_and_errors_to_the_fields(client, provider, operator):
    _invitation, token = invite_member(provider, "mina@example.org", "agent", operator, "https://x/{token}/")
    url = f"/accounts/invitation/{token}/"
    assert_errors_tied(client.get(url).content.decode())
    response = client.post(url, {"username": "mina smith!", "password1": "123", "password2": "1234"})
    assert_errors_tied(response.content.decode(), "username", "password2")
    response = client.post(url, {"username": "mina", "password1": "123", "password2": "123"})
    assert_errors_tied(response.content.decode(), "password1")


def test_the_code_pages_tie_their_errors_to_the_code(client, operator, operator_device, member):
    password_step(client, "olivia")
    response = client.post("/accounts/login/verify/", {"token": "000000x"})
    assert_errors_tied(response.content.decode(), "token")
    password_step(client, "mario")
    response = client.post("/accounts/login/set-up/", {"token": "123"})
    assert_errors_tied(response.content.decode(), "token")
