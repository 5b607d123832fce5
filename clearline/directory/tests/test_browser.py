from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from clearline.directory.demo import load_demo_facilities, load_samhsa_directory
from clearline.directory.importers.samhsa import import_samhsa
from clearline.directory.sources import OEPS, SAMHSA_CITATION
from conftest import axe_violations

from .conftest import CODES_CSV, real_rows, write_csv

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


def test_zip_35007_finds_facilities_in_the_demo_directory(page, live_server):
    # What `make run` loads into the directory: the fictional facilities and SAMHSA's 2022 snapshot.
    load_demo_facilities()
    assert load_samhsa_directory() == 12176
    page.goto(f"{live_server.url}/treatment/")
    page.fill("#id_place", "35007")
    page.keyboard.press("Enter")
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text(
        "10 facilities within 25 miles of 35007 (Alabaster, AL)", use_inner_text=True
    )
    expect(page.locator(".results li.result").first).to_contain_text("Shelby County Treatment Center")
    expect(page.locator(".results .result-source").first).to_have_text(
        "Source: SAMHSA National Directory 2022"
    )
    # On a phone the first result starts on the first screen, below a compact form.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    first = page.locator(".results li.result").first.bounding_box()
    assert first is not None and first["y"] + 24 <= 844, first


def test_zero_results_come_first_with_the_helpline_and_the_filters_closed(page, live_server):
    load_demo_facilities()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/treatment/?place=Indianapolis%2C+IN&radius=5&medication=otp")
    heading = page.locator("#results-heading")
    expect(heading).to_contain_text("0 facilities within 5 miles", use_inner_text=True)
    expect(heading).to_be_in_viewport()
    assert heading.bounding_box()["y"] < page.locator("form.directory-search").bounding_box()["y"]
    helpline = page.locator('.directory-none a[href="tel:+18006624357"]')
    expect(helpline).to_be_visible()
    expect(helpline).to_be_in_viewport()
    assert page.locator("details.directory-filters").get_attribute("open") is None
    expect(page.locator("details.directory-filters summary")).to_contain_text("(1 chosen)")
    assert axe_violations(page) == []


def test_the_radius_select_shows_the_radius_searched_and_searching_again_keeps_it(page, live_server):
    load_demo_facilities()
    page.goto(f"{live_server.url}/treatment/?place=Denver%2C+CO")
    expect(page.locator("#results-heading")).to_contain_text(
        "within 25 miles of Denver, CO", use_inner_text=True
    )
    expect(page.locator("#id_radius")).to_have_value("25")
    page.click("form.directory-search button[type=submit]")
    expect(page).to_have_url(re.compile(r"radius=25"))
    expect(page.locator("#results-heading")).to_contain_text(
        "within 25 miles of Denver, CO", use_inner_text=True
    )
    page.select_option("#id_radius", "10")
    page.click("form.directory-search button[type=submit]")
    expect(page.locator("#results-heading")).to_contain_text(
        "within 10 miles of Denver, CO", use_inner_text=True
    )
    expect(page.locator("#id_radius")).to_have_value("10")


# English the directory shows on /treatment/, which must not be left on /es/treatment/ (proper names aside).
ENGLISH = [
    "Within", " miles", "Distance", "Sort by", "Name", "Filter by services",
    "Type of care", "Payment", "Ages", "Languages", "Medications", "Outpatient", "Residential", "Detox",
    "Substance use", "Mental health", "Private health insurance", "Cash or self-payment", "Adults", "Spanish",
    "Source:", "Location:", "facilities", "Search", "Show", "services", "Phone", "Call before you go",
]  # fmt: skip


def english_left(text: str) -> list[str]:
    return [word for word in ENGLISH if re.search(rf"(?<![\w-]){re.escape(word.strip())}(?![\w-])", text)]


def test_the_spanish_directory_shows_no_english(page, live_server, tmp_path):
    load_demo_facilities()
    fieldnames, rows = real_rows({"AL"})
    import_samhsa(write_csv(tmp_path / "al.csv", fieldnames, rows), CODES_CSV)
    page.goto(f"{live_server.url}/es/treatment/?place=Denver%2C+CO")
    expect(page.locator("#results-heading")).to_be_visible()
    page.locator("details.directory-filters summary").click()
    proper_names = page.locator(".results h3, .results .alt-name, .results .address").all_inner_texts()
    main = "\n".join(
        line for line in page.locator("main").inner_text().splitlines() if line.strip() not in proper_names
    )
    options = page.locator("#id_radius option").all_inner_texts()
    assert options == [f"En un radio de {r} millas" for r in (5, 10, 25, 50, 100)]
    assert english_left(main) == [], [line for line in main.splitlines() if english_left(line)]
    page.locator(".results a").first.click()
    expect(page.locator("article.listing h1")).to_be_visible()
    for folded in page.locator("details.services-group summary").all():
        folded.click()
    name = page.locator("article.listing h1").inner_text()
    listing = page.locator("article.listing").inner_text().replace(name, "")
    assert "Tipo de atención" in listing and "Pago y seguro médico" in listing
    assert english_left(listing) == []
    # A real listing: every SAMHSA group, the sources and the folded groups.
    page.goto(f"{live_server.url}/es/treatment/?place=35007&radius=5")
    page.get_by_role("link", name="Shelby County Treatment Center").click()
    expect(page.locator("article.listing h1")).to_have_text("Shelby County Treatment Center")
    for folded in page.locator("details.services-group summary").all():
        folded.click()
    listing = page.locator("article.listing").inner_text()
    listing = (
        listing.replace("Shelby County Treatment Center", "").replace(SAMHSA_CITATION, "").replace(OEPS, "")
    )
    assert "Desintoxicación de opioides" in listing
    assert english_left(listing) == [], [line for line in listing.splitlines() if english_left(line)]
