"""Layout on a phone and on a desktop in headless Chromium: the article starts on a phone's first screen together
with the helplines, the free lines are in view wherever the paid numbers are, and the dialog's Close button is in
view the moment it opens."""

from __future__ import annotations

import pytest

from clearline.content.tests.conftest import add_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def site(long_article, terms):
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    return long_article


def in_view(page, selector: str) -> list[bool]:
    """For each element matching ``selector``: whether it is visible and wholly inside the viewport."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector)).map(el => {
             const r = el.getBoundingClientRect(), style = getComputedStyle(el);
             return style.visibility !== 'hidden' && style.display !== 'none' && r.width > 0 && r.height > 0
                 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; })""",
        selector,
    )


def test_a_phones_first_screen_shows_the_title_the_articles_start_and_the_helplines(page, live_server, site):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + site.url)
    assert all(in_view(page, "main h1"))
    first_paragraph = page.locator("main article p:not(.byline):not(.demo-note)").first  # the article itself
    box = first_paragraph.bounding_box()
    line = float(first_paragraph.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)"))
    # Room for five lines of the article itself, not just its first words at the bottom edge.
    assert box is not None and box["y"] + 5 * line <= PHONE["height"], box
    assert all(in_view(page, ".paid-lines a[href^='tel:']"))
    assert all(in_view(page, ".free-lines a[href^='tel:']"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_free_lines_are_in_view_wherever_the_paid_numbers_are(page, live_server, site, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + site.url)
    for scrolled in (0, 600, 1800, 4000):
        page.evaluate("(y) => window.scrollTo(0, y)", scrolled)
        page.wait_for_timeout(50)
        if any(in_view(page, ".paid-lines a[href^='tel:']")):
            assert all(in_view(page, ".free-lines a[href^='tel:']")), f"scrolled to {scrolled}"
    free_size = page.locator(".free-lines .helpline-digits").first.evaluate(
        "el => getComputedStyle(el).fontSize"
    )
    paid_size = page.locator(".paid-lines .helpline-digits").first.evaluate(
        "el => getComputedStyle(el).fontSize"
    )
    assert float(free_size.removesuffix("px")) >= float(paid_size.removesuffix("px"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_dialogs_close_button_is_in_view_when_it_opens(page, live_server, site, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + site.url)
    page.locator(".helpline-bar [data-dialog]").click()
    assert page.locator("dialog[open]").count() == 1
    assert all(in_view(page, "dialog[open] [data-dialog-close]"))
    page.locator("dialog[open] [data-dialog-close]").click()
    assert page.locator("dialog[open]").count() == 0
