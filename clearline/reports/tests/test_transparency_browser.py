"""The transparency page in real headless Chromium: axe-core in both languages, the month picker without JS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clearline.reports.daily import compute_daily_figures
from clearline.reports.tests.conftest import make_call, make_callback
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def figures(providers):
    """October: Alder and Birch with enough calls to compare, Cedar with too few; one September call."""
    alder, birch, cedar = providers
    make_call(dt.datetime(2026, 9, 20, 15, tzinfo=dt.UTC), [(alder, "accepted", 5)])
    for day in range(1, 7):
        make_call(dt.datetime(2026, 10, day, 15, tzinfo=dt.UTC), [(alder, "accepted", 3 + day)])
        make_call(dt.datetime(2026, 10, day, 16, tzinfo=dt.UTC), [(birch, "accepted", 4 + day)])
    call = make_call(dt.datetime(2026, 10, 9, 15, tzinfo=dt.UTC), [(cedar, "no-answer", None)])
    make_callback(
        call,
        cedar,
        created_at=dt.datetime(2026, 10, 9, 15, 2, tzinfo=dt.UTC),
        due_in_min=30,
        closed_after_min=10,
    )
    for day in (dt.date(2026, 9, 20), *(dt.date(2026, 10, n) for n in range(1, 32))):
        compute_daily_figures(day, now=NOW)
    return providers


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_axe_finds_no_wcag_aa_violations(page, live_server, figures, prefix):
    page.goto(f"{live_server.url}{prefix}/transparency/")
    assert page.locator("table.figures-table tbody tr").count() == 3
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_axe_finds_no_violations_on_the_404_page(page, live_server, figures, prefix):
    response = page.goto(f"{live_server.url}{prefix}/transparency/2026-11/")
    assert response.status == 404
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_the_month_picker_works_without_javascript(page_without_javascript, live_server, figures):
    page = page_without_javascript
    page.goto(f"{live_server.url}/transparency/")
    page.get_by_label("Month").select_option("2026-09")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_url("**/transparency/2026-09/")
    assert page.get_by_role("heading", level=2, name="September 2026").is_visible()
    assert page.locator("table.figures-table tbody tr").count() == 1


def test_the_table_is_announced_with_its_headers(page, live_server, figures):
    page.goto(f"{live_server.url}/transparency/")
    table = page.get_by_role("table", name="General helpline calls by provider, October 2026")
    assert table.is_visible()
    # The scrolling wrapper can be reached by keyboard (a wide table on a narrow screen).
    region = page.get_by_role("region", name="General helpline calls by provider, October 2026")
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    cell = page.get_by_role("row", name="Cedar Care").get_by_role("cell").nth(2)
    assert cell.inner_text() == "too few calls"
    assert cell.evaluate("el => getComputedStyle(el).textAlign") in ("end", "right")
