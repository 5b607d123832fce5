"""The portal's call figures in headless Chromium: the charts draw under the public Content-Security-Policy (no
inline code), the controls are 44 pixels, and axe finds no WCAG A/AA violation, in English and Spanish."""

from __future__ import annotations

import pytest

from clearline.portal.tests.test_browser import SMALL_TARGETS
from clearline.providers.accounts import Membership, MembershipRole
from clearline.providers.models import Provider
from clearline.reports.tests.conftest import providers  # noqa: F401 (fixture)
from clearline.reports.tests.test_figures_browser import (
    RANGE,
    assert_charts_drawn,
    assert_no_violations,
    clock,  # noqa: F401 (fixture)
    sign_in,
)
from clearline.reports.tests.test_month_calls import november  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("november"),
]


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_portal_call_figures_draw_under_the_public_policy(
    page, live_server, login_verified, django_user_model, prefix
):
    member = django_user_model.objects.create_user("alder-agent", password="x")
    Membership.objects.create(
        user=member, provider=Provider.objects.get(name="Alder Recovery"), role=MembershipRole.AGENT
    )
    errors = sign_in(page, live_server, login_verified, member)
    response = page.goto(f"{live_server.url}{prefix}/portal/figures/calls/{RANGE}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert_charts_drawn(page, 6)
    assert errors == []  # a refused script or style would be reported here
    assert page.evaluate(SMALL_TARGETS) == []
    assert_no_violations(page)
