"""The site in real headless Chromium: tel: links, the accessible dialog, the no-JavaScript path, axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clearline.content.tests.conftest import add_provider
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(article, terms):
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    return article


def active_element_info(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {tag: el.tagName, text: el.textContent.trim(), inDialog: !!el.closest('dialog')}; }"""
    )


def next_frame(page) -> None:
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_the_article_page_shows_the_three_heroin_numbers_as_tel_links(page, live_server, site):
    page.goto(live_server.url + site.url)
    links = page.locator(".paid-lines a[href^='tel:']")
    assert links.count() == 3
    hrefs = [links.nth(i).get_attribute("href") for i in range(3)]
    assert hrefs == ["tel:+12065550101", "tel:+12065550102", "tel:+12065550103"]
    # The accessible name says who answers (flex items add spaces between the visible and hidden parts).
    name = re.compile(
        r"^Heroin Detox \(206\) 555-0101\s?, answered or returned by Alder Recovery or Birch Health, paid "
        r"advertisers on one flat fee, or else the free SAMHSA National Helpline$"
    )
    assert page.get_by_role("link", name=name).count() == 1
    box = links.first.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24


def test_the_dialog_opens_traps_focus_closes_with_escape_and_returns_focus(page, live_server, site):
    page.goto(live_server.url + site.url)
    trigger = page.locator(".helpline-bar .where-calls-go-trigger")
    trigger.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#where-calls-go-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(
        "Alder Recovery (callers anywhere; any time; in English); Birch Health (", use_inner_text=True
    )
    # showModal() and the initial focus() run in the same click handler: once the dialog shows, focus is set.
    assert active_element_info(page)["inDialog"]
    # Tab forwards and backwards many times: focus never leaves the dialog.
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        page.keyboard.press(key)
        assert active_element_info(page)["inDialog"], key
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # site.js gives focus back in the dialog's "close" event, which the browser fires in a later task.
    expect(trigger).to_be_focused()


def test_the_close_button_closes_the_dialog_and_returns_focus(page, live_server, site):
    page.goto(live_server.url + site.url)
    trigger = page.locator(".helpline-bar .where-calls-go-trigger")
    trigger.click()
    page.get_by_role("button", name="Close").click()
    expect(page.locator("#where-calls-go-dialog")).to_be_hidden()
    expect(trigger).to_be_focused()
    expect(trigger).to_have_attribute("aria-haspopup", "dialog")


def test_without_javascript_the_button_is_a_link_to_the_standalone_page(
    page_without_javascript, live_server, site
):
    page = page_without_javascript
    page.goto(live_server.url + site.url)
    page.locator(".helpline-bar .where-calls-go-trigger").click()
    page.wait_for_url("**/where-do-calls-go/")
    assert page.get_by_role("heading", level=1, name="Where do calls go?").is_visible()
    assert (
        "Alder Recovery (callers anywhere; any time; in English); Birch Health ("
        in page.locator("main").inner_text()
    )


def test_the_sticky_bar_never_covers_the_focused_element(page, live_server, site, long_article):
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(live_server.url + long_article.url)
    bar = page.locator(".helpline-bar")
    assert bar.evaluate("el => getComputedStyle(el).position") == "sticky"
    for _ in range(45):
        page.keyboard.press("Tab")
        next_frame(page)
        covered = page.evaluate(
            """() => { const el = document.activeElement; const bar = document.querySelector('.helpline-bar');
                       if (!el || el === document.body || bar.contains(el) || el.closest('dialog')) return false;
                       const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
                       return (r.top < b.bottom && r.bottom > b.top)
                           ? [el.outerHTML.slice(0, 80), r.top, r.bottom, b.top, b.bottom] : false; }"""
        )
        assert not covered, covered
    assert page.evaluate("window.scrollY") > 500  # the page really scrolled under the bar
    for _ in range(45):
        page.keyboard.press("Shift+Tab")
        next_frame(page)
        assert not page.evaluate(
            """() => { const el = document.activeElement; const bar = document.querySelector('.helpline-bar');
                       if (!el || el === document.body || bar.contains(el)) return false;
                       const r = el.getBoundingClientRect(), b = bar.getBoundingClientRect();
                       return r.top < b.bottom && r.bottom > b.top; }"""
        )


@pytest.mark.parametrize("which", ["home", "topic", "article", "disclosure"])
def test_axe_finds_no_wcag_aa_violations(page, live_server, site, topic, home, which):
    url = {"home": home.url, "topic": topic.url, "article": site.url, "disclosure": "/where-do-calls-go/"}[
        which
    ]
    page.goto(live_server.url + url)
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_axe_finds_no_violations_in_the_open_dialog(page, live_server, site):
    page.goto(live_server.url + site.url)
    page.locator(".helpline-bar .where-calls-go-trigger").click()
    expect(page.locator("#where-calls-go-dialog")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], [(v["id"], v["help"]) for v in violations]
