"""The figures in headless Chromium: the operators' dashboard draws its charts (Chart.js from our static files)
above their tables (the portal's page: ``portal/tests/test_call_figures_browser.py``); the transparency
page's chart is SVG from the server; without JavaScript the tables stand alone; axe finds no WCAG A/AA violation.
Calls: ``test_month_calls.november`` (November 2026)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from clearline.reports.tests.test_month_calls import HMAC, NOW, compute_november, november  # noqa: F401 (fixture)
from conftest import axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("november"),
]
RANGE = "?start=2026-11-01&end=2026-11-30"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def sign_in(page, live_server, login_verified, user) -> list[str]:
    """Put a session that passed the second factor in the browser; returns the console errors as they come."""
    client = login_verified(user, on=Client())
    host = urlsplit(live_server.url).hostname
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
    )
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def assert_charts_drawn(page, count: int) -> None:
    expect(page.locator("[data-figures-chart]").first).to_be_visible()
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".filter(c => window.Chart.getChart(c) && c.width > 0).length"
    )
    assert drawn == count
    assert page.locator("table.figures-data").count() == count


def assert_no_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_dashboard_draws_charts_with_tables_and_passes_axe(
    page, live_server, login_verified, django_user_model
):
    staff = django_user_model.objects.create_user("operator", password="x", is_staff=True, is_superuser=True)
    errors = sign_in(page, live_server, login_verified, staff)
    page.goto(live_server.url + "/admin/figures/" + RANGE)
    assert_charts_drawn(page, 6)
    table = page.get_by_role("table", name="Calls that reached no provider, by where they went: the numbers")
    expect(table.get_by_role("row", name="All calls that reached no provider 7")).to_be_visible()
    assert HMAC not in page.content() and errors == []
    assert_no_violations(page)


def test_dashboard_without_javascript_is_its_tables(
    page_without_javascript, live_server, login_verified, django_user_model
):
    page = page_without_javascript
    staff = django_user_model.objects.create_user("operator", password="x", is_staff=True, is_superuser=True)
    sign_in(page, live_server, login_verified, staff)
    page.goto(live_server.url + "/admin/figures/")
    page.get_by_label("From").fill("2026-11-01")
    page.get_by_label("To", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**start=2026-11-01**")
    expect(page.get_by_role("table", name="Calls by day: the numbers")).to_be_visible()
    expect(page.locator("[data-figures-chart]").first).to_be_hidden()


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_transparency_month_chart_and_table(page, live_server, prefix):
    compute_november()
    page.goto(f"{live_server.url}{prefix}/transparency/2026-11/")
    chart = page.locator("#no-provider-heading ~ figure svg[role=img]")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() == 7
    assert page.locator("table[aria-labelledby], #no-provider-caption").count() >= 1
    assert_no_violations(page)
