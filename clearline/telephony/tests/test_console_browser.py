"""The operators' live calls page in headless Chromium: a call that starts appears without a reload, with who is
ringing; the call page and the callback queue pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from clearline.telephony import admin_calls, services
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_staff_browser import staff_page  # noqa: F401 (the signed-in browser)
from conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_view_shows_a_call_as_it_starts_and_its_page_passes_axe(
    staff_page,  # noqa: F811
    live_server,
    helpline,
    providers,
    monkeypatch,
):
    monkeypatch.setattr(admin_calls, "LIVE_REFRESH_SECONDS", 2)
    page = staff_page
    page.goto(live_server.url + "/admin/calls/live/")
    expect(page.get_by_text("No call in progress.")).to_be_visible()
    in_progress = page.locator('[data-live-table="in_progress"]')
    expect(in_progress).to_be_hidden()

    call = services.start_call(call_sid="CA-live-1", to_number=helpline.number, caller_number=CALLER).call
    dial = call.routing_plan.first_dial()
    ids = [target.id for target in dial.targets]
    services.reserve_lines(call, ids)
    services.record_attempts(call, dial.index, ids)

    row = in_progress.get_by_role("row").filter(has=page.get_by_role("link", name=f"Call {call.pk}"))
    expect(row).to_be_visible(timeout=6000)  # no reload: the script fetched the JSON
    expect(row).to_contain_text(", ".join(t.name for t in dial.targets))
    expect(page.get_by_text("No call in progress.")).to_be_hidden()
    content = page.content()
    assert CALLER not in content and call.caller_hmac not in content

    page.goto(live_server.url + f"/admin/calls/{call.pk}/")
    expect(page.get_by_role("heading", name="Who could take the call")).to_be_visible()
    assert axe_violations(page) == []

    # The callback queue, with one open request: its table passes axe too.
    from clearline.telephony.tests.test_callback_reassign import promised

    second = services.start_call(call_sid="CA-live-2", to_number=helpline.number, caller_number=CALLER).call
    callback = promised(second)
    page.goto(live_server.url + "/admin/callbacks/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"Call {callback.call_id}"))
    expect(row).to_contain_text(callback.provider.name)
    expect(row).to_contain_text("due in")
    assert CALLER not in page.content()
    assert axe_violations(page) == []
