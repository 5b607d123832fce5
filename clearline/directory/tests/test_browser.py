from __future__ import annotations

import pytest
from playwright.sync_api import expect

from clearline.directory.demo import load_demo_facilities
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_keyboard_user_searches_and_opens_a_listing(page, live_server):
    load_demo_facilities()
    page.goto(f"{live_server.url}/treatment/")
    assert axe_violations(page) == []

    tab_to(page, "#id_place")
    page.keyboard.type("Denver, CO")
    page.keyboard.press("Enter")
    expect(page.locator("#results-heading")).to_contain_text(
        "within 25 miles of Denver, CO", use_inner_text=True
    )
    assert axe_violations(page) == []  # (axe_violations waits for the whole page first)

    tab_to(page, ".results a")
    name = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    title = page.locator("article.listing h1")
    expect(title).to_have_text(name, use_inner_text=True)
    page.wait_for_load_state()
    assert title.inner_text() == name  # exactly, not only up to white space
    assert "Fictional" not in title.inner_text()
    assert axe_violations(page) == []


def test_the_search_works_without_javascript(page_without_javascript, live_server):
    load_demo_facilities()
    page = page_without_javascript
    page.goto(f"{live_server.url}/treatment/?place=43215&radius=10&medication=otp")
    assert "Riverside Bridge Clinic" in page.inner_text(".results")
    assert page.is_hidden(".near-me")
