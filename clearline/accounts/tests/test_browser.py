"""The sign-in, set-up, recovery-code and invitation pages in headless Chromium: axe-core finds nothing on any of
them, errors included, and a newcomer sets up an authenticator with a real code."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clearline.accounts.tests.conftest import PASSWORD
from clearline.providers.memberships import invite_member
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], (what, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])


def test_the_sign_in_and_set_up_pages_pass_axe(page, live_server, provider):
    get_user_model().objects.create_user("nadia", "nadia@example.invalid", PASSWORD, is_staff=True)
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page, "login")
    page.get_by_label("Username").fill("nadia")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "login with an error")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/set-up/$"))
    assert_accessible(page, "set-up")
    page.get_by_label("The 6-digit code your app shows now").fill("000000")
    page.get_by_role("button").last.click()
    # The answer has the same address, so wait for its error rather than for a new URL.
    expect(page.get_by_text("That code does not match.")).to_be_visible()
    assert_accessible(page, "set-up with an error")
    device = TOTPDevice.objects.get(user__username="nadia")
    page.get_by_label("The 6-digit code your app shows now").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button").last.click()
    expect(page).to_have_url(re.compile(r"/accounts/recovery-codes/$"))
    assert_accessible(page, "recovery codes")


def test_the_code_and_invitation_pages_pass_axe(page, live_server, provider, operator, operator_device):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/verify/$"))
    assert_accessible(page, "code")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill("12345678")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert_accessible(page, "code with an error")

    _invitation, token = invite_member(provider, "mina@example.org", "agent", operator, "https://x/{token}/")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/invitation/{token}/")
    assert_accessible(page, "invitation")
    page.get_by_label("Choose a password").fill("123")
    page.get_by_label("The same password again").fill("123")
    page.get_by_role("button").last.click()
    expect(page.locator("body")).to_contain_text(re.compile("too short|too common|entirely numeric"))
    assert_accessible(page, "invitation with an error")
