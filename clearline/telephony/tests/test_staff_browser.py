"""Staff pages in headless Chromium: the call simulator sits in the Wagtail admin's layout (not the public site
with its paid helpline bar), its long TwiML wraps inside the page, and neither it nor the admin's dashboard asks
another host for anything (avatars, release news)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_page(page, live_server, django_user_model, login_verified):
    """The browser signed in as staff with a second factor; every request it makes is recorded."""
    user = django_user_model.objects.create_user(
        "operator", email="operator@example.invalid", password="x", is_staff=True, is_superuser=True
    )
    client = login_verified(user)
    host = urlsplit(live_server.url).hostname
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    return page


def other_hosts(page, live_server) -> set[str]:
    ours = urlsplit(live_server.url).netloc
    return {
        urlsplit(url).netloc
        for url in page.requested
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != ours
    }


def test_the_simulator_is_an_admin_page_whose_twiml_wraps(staff_page, live_server, helpline, providers):
    page = staff_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/telephony/simulator/")
    expect(page.get_by_role("heading", name="Call simulator", level=1)).to_be_visible()
    assert page.locator(".helpline-bar").count() == 0  # no paid numbers on a staff page
    assert (
        page.locator("#wagtail-sidebar, [data-wagtail-sidebar], aside.sidebar").count() >= 1
    )  # the admin's menu
    page.get_by_role("button", name="Place the pretend call").click()
    expect(page.get_by_role("heading", name="Result", exact=True)).to_be_visible()
    assert page.locator("pre.twiml").count() >= 2
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow} px wider than the window"
    assert other_hosts(page, live_server) == set()


def test_the_admin_dashboard_asks_no_other_host(staff_page, live_server):
    from wagtail.models import Locale, Page

    if (
        Page.get_first_root_node() is None
    ):  # the dashboard needs Wagtail's root page (tables built without migrations)
        Page.add_root(
            instance=Page(
                title="Root", slug="root", locale=Locale.objects.get_or_create(language_code="en")[0]
            )
        )
    page = staff_page
    page.goto(live_server.url + "/admin/")
    expect(page.locator("main, #main").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert other_hosts(page, live_server) == set()
    # The account menu shows a local default avatar, never Gravatar; no release-news check is even set up (the
    # CSP would block its request before the browser reports it, so the panel's absence is what is checked).
    assert "gravatar" not in page.content()
    assert page.locator("[data-controller~='w-upgrade']").count() == 0
