"""The routing settings form's "What if?" in headless Chromium: the button replays recorded calls with the values
typed into the form, the tables appear above the same form, the values stay, nothing is saved, and axe passes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from clearline.providers.routing_settings import RoutingSettings
from clearline.telephony.tests.test_replay import place
from clearline.telephony.tests.test_staff_browser import staff_page  # noqa: F401 (the signed-in browser)
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_what_if_shows_the_replay_above_the_form_and_passes_axe(
    staff_page,  # noqa: F811
    live_server,
    helpline,
    providers,
):
    from wagtail.models import Locale, Page

    if (
        Page.get_first_root_node() is None
    ):  # the admin needs Wagtail's root page (tables built without migrations)
        english = Locale.objects.get_or_create(language_code="en")[0]
        Page.add_root(instance=Page(title="Root", slug="root", locale=english))
    alder, birch, cedar = (str(p.pk) for p in providers)
    for _ in range(3):
        place({alder: "accept", birch: "no-answer", cedar: "no-answer"})
    page = staff_page
    page.goto(live_server.url + "/admin/routing_settings/new/")
    page.get_by_label("providers rung at once", exact=False).first.fill("1")
    page.get_by_role("button", name="What if? Replay the last 30 days with these values").click()
    expect(page.get_by_role("heading", name="What if: the last 30 days with these values")).to_be_visible()
    expect(page.get_by_text("3 general helpline calls; 3 planned again")).to_be_visible()
    table = page.get_by_role("table", name="Offers and first-wave shares per provider")
    expect(table.get_by_role("row").filter(has_text=providers[0].name)).to_be_visible()
    assert page.get_by_label("providers rung at once", exact=False).first.input_value() == "1"
    assert not RoutingSettings.objects.exists()
    assert axe_violations(page) == []
