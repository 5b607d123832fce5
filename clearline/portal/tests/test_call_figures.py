"""The portal's call figures: a member sees its own organisation's figures only, small counts withheld, in English
and Spanish, with CSV; never another organisation's name, nor a caller's number or keyed hash."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clearline.lib.phone import caller_hmac
from clearline.portal.tests.conftest import make_call

pytestmark = pytest.mark.django_db


def test_members_see_their_own_figures_only(client, login_verified, alder, birch):
    login_verified(alder.agent)
    response = client.get(reverse("portal:call_figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alder Recovery" in html and "Birch Health" not in html
    for caller in (alder.caller, birch.caller):
        assert caller not in html and caller_hmac(caller) not in html and caller_hmac(caller)[:8] not in html
    # Alder's two calls (one answered, one for a callback): its own counts, its rates withheld (under 5 calls)
    assert '<th scope="row">Helpline calls ended</th><td>2</td>' in html
    assert '<th scope="row">Answer rate</th><td>too few calls</td>' in html
    assert html.count("<canvas") == 6 and 'aria-current="page">Call figures' in html


def test_csv_is_the_members_own_and_names_no_one_else(client, login_verified, alder, birch):
    login_verified(birch.admin)
    for slug in ("headline", "shares", "callbacks", "by-day"):
        response = client.get(reverse("portal:call_figures"), {"csv": slug})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode()
        assert "Alder" not in text and alder.caller not in text and caller_hmac(birch.caller) not in text
    shares = client.get(reverse("portal:call_figures"), {"csv": "shares"}).content.decode()
    assert "Birch Health" in shares and "too few calls" in shares


def test_spanish_and_bad_input(client, login_verified, alder):
    login_verified(alder.admin)
    html = client.get("/es/portal/figures/calls/", {"start": "2026-02-30"}).content.decode()
    assert "Cifras de llamadas" in html and "Escriba un día como AAAA-MM-DD" in html and "<canvas" not in html
    html = client.get("/es/portal/figures/calls/").content.decode()
    assert "Llamadas a la línea general terminadas" in html and "muy pocas llamadas" in html


def test_more_calls_show_rates(client, login_verified, alder):
    for n in range(4):
        make_call(
            f"CA-alder-more-{n}",
            alder.provider,
            caller=alder.caller,
            disclosure=alder.disclosure,
            answered=True,
        )
    login_verified(alder.agent)
    html = client.get(reverse("portal:call_figures")).content.decode()
    assert '<th scope="row">Helpline calls ended</th><td>6</td>' in html
    assert '<th scope="row">Answer rate</th><td>83.3%</td>' in html


def test_a_member_may_ask_for_about_a_quarter_at_a_time():
    from clearline.reports.dashboard_forms import FiguresFilters, PortalFiguresFilters

    year = {"start": "2026-01-01", "end": "2026-12-01"}
    assert FiguresFilters(year).is_valid()
    portal = PortalFiguresFilters(year)
    assert not portal.is_valid() and "at most 92 days" in str(portal.errors)
    assert PortalFiguresFilters({"start": "2026-09-01", "end": "2026-12-01"}).is_valid()
