"""The portal in real headless Chromium: a provider agent signs in through the two-factor login with a real TOTP
code, pauses, returns a callback (reveal, then the outcome), and axe-core finds nothing on any portal page."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from clearline.telephony.models import CallbackStatus
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # conftest.make_user


def sign_in(page, base_url: str, user) -> None:
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(base_url + reverse("accounts:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    )
    page.get_by_role("button", name="Sign in").click()
    # Every member lands on the dashboard. Wait for it: a page.goto while the sign-in POST is still in flight
    # would cancel it before its session cookie arrives.
    arrive(page, base_url + reverse("portal:dashboard"))


def arrive(page, url: str) -> None:
    """Wait until the browser shows ``url`` (after a click that navigates) and that page has loaded."""
    expect(page).to_have_url(url)
    page.wait_for_load_state()


def assert_accessible(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], (what, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations])


def test_an_agent_signs_in_pauses_and_returns_a_callback(page, live_server, alder, birch, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, live_server.url, alder.agent)
    expect(page).to_have_url(live_server.url + reverse("portal:dashboard"))
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()
    assert_accessible(page, "dashboard")

    page.get_by_role("navigation", name="Provider portal").get_by_role("link", name="Availability").click()
    arrive(page, live_server.url + reverse("portal:availability"))
    assert_accessible(page, "availability (agent)")
    page.get_by_role("button", name="Pause now").click()
    # The pause redirects back to the same address: its message is the sign of the new page.
    expect(page.get_by_text("Paused. No new calls or callbacks will be offered to you")).to_be_visible()
    page.wait_for_load_state()
    alder.provider.refresh_from_db()
    assert alder.provider.paused
    assert_accessible(page, "availability, paused")

    page.get_by_role("link", name="Callbacks").click()
    arrive(page, live_server.url + reverse("portal:callbacks"))
    assert_accessible(page, "callbacks")
    assert alder.caller not in page.content()
    page.get_by_role("button", name=f"Reveal number for request {alder.callback.pk}").click()
    expect(page.locator(".revealed-number").get_by_text(alder.caller)).to_be_visible()
    assert_accessible(page, "callbacks with the number revealed")
    page.get_by_role("group", name=f"Outcome of request {alder.callback.pk}").get_by_label(
        "Reached the caller"
    ).check()
    page.get_by_role("button", name=f"Record outcome of request {alder.callback.pk}").click()
    expect(page.get_by_text(f"Callback {alder.callback.pk} is closed.")).to_be_visible()
    page.wait_for_load_state()  # the whole page, so the check below sees all of it
    assert alder.caller not in page.content()
    alder.callback.refresh_from_db()
    assert alder.callback.status == CallbackStatus.RETURNED and alder.callback.closed_by == alder.agent

    for name, url_name in (("Monthly figures", "portal:figures"), ("Calls", "portal:calls")):
        page.get_by_role("navigation", name="Provider portal").get_by_role("link", name=name).click()
        arrive(page, live_server.url + reverse(url_name))
        assert_accessible(page, name)
    page.get_by_role("link", name=f"version {alder.disclosure.number}").first.click()
    arrive(page, live_server.url + reverse("portal:disclosure", args=[alder.disclosure.number]))
    assert_accessible(page, "disclosure")
    try:
        listings = reverse("portal:listings")
    except NoReverseMatch:
        listings = ""
    if listings:
        page.goto(live_server.url + listings)
        assert_accessible(page, "listings")


def test_an_administrators_pages_pass_axe(page, live_server, alder, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, live_server.url, alder.admin)
    page.goto(live_server.url + reverse("portal:availability"))
    assert page.get_by_role("button", name="Save opening hours").is_visible()
    assert_accessible(page, "availability (administrator)")
    page.get_by_label("Monday, range 1, opens").fill("09:00")
    page.get_by_role("button", name="Save opening hours").click()
    expect(
        page.get_by_role("alert").get_by_text("give both the opening and the closing time")
    ).to_be_visible()
    assert_accessible(page, "availability with an error")
    page.goto(live_server.url + reverse("portal:team"))
    assert_accessible(page, "team")


# Controls a person taps: navigation, pagination, buttons, form fields, and the labels holding a checkbox or radio
# button. Links inside a sentence are left out (they are text, and WCAG exempts them).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'nav a, main button, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
    + 'main label:has(> input[type=checkbox]), main label:has(> input[type=radio])'
  )].map(e => [e.tagName, (e.innerText || e.name || '').trim().slice(0, 40), e.getBoundingClientRect()])
  .filter(([, , box]) => box.width > 0 && (box.height < 44 || box.width < 44))
  .map(([tag, text, box]) => `${tag} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def test_every_control_on_the_portal_pages_is_at_least_44_pixels(page, live_server, alder, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(page, live_server.url, alder.admin)
    names = ["dashboard", "calls", "callbacks", "availability", "figures", "team", "listings"]
    small = {}
    for name in names:
        page.goto(live_server.url + reverse(f"portal:{name}"))
        if found := page.evaluate(SMALL_TARGETS):
            small[name] = found
    assert small == {}
