"""Bad input on any portal form or filter is explained on the page; it never causes a server error.

Each case is a value a person (or a stale bookmark, or someone probing) can send: empty, huge, negative, the wrong
type, unicode, a NUL byte, dates and months at the ends of the calendar. Every answer must be below 500, and the
values the forms refuse must change nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from clearline.portal.tests.test_isolation import database_state

pytestmark = pytest.mark.django_db

ODD_VALUES = ["", " ", "9" * 40, "-5", "1.5", "abc", "ñ😀\u202e", "a\x00b", "x" * 5000]
EDGE_DATES = ["9999-12-31", "0001-01-01", "2024-02-30", "10000-01-01"]
# A valid address longer than the 254 characters an email column holds (PostgreSQL refuses to store it).
LONG_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"
EDGE_MONTHS = ["0000-01", "0001-01", "9999-12", "2024-13", "2024-1"]


def get_cases() -> list[tuple[str, dict[str, str]]]:
    cases: list[tuple[str, dict[str, str]]] = []
    for day in EDGE_DATES:
        cases += [("portal:calls", {"first": day}), ("portal:calls", {"last": day})]
        cases.append(("portal:calls", {"first": day, "last": day}))
    for value in ODD_VALUES:
        cases += [("portal:calls", {"outcome": value}), ("portal:calls", {"page": value})]
        cases.append(("portal:figures", {"month": value}))
    cases += [("portal:figures", {"month": month}) for month in EDGE_MONTHS]
    return cases


def post_cases(callback_id: int) -> list[tuple[str, dict[str, str]]]:
    cases: list[tuple[str, dict[str, str]]] = []
    for value in ODD_VALUES:
        cases += [
            (reverse("portal:set_lines"), {"lines": value}),
            *([(reverse("portal:set_beds"), {"beds": value})] if value.strip() else []),  # empty: "unknown"
            (reverse("portal:invite"), {"email": value, "role": "agent"}),
            (reverse("portal:invite"), {"email": "new@example.org", "role": value}),
            (reverse("portal:add_closure"), {"date": value}),
            (
                reverse("portal:add_closure"),
                {"date": f"{dt.date.today().year + 5}-01-01", "opens": value, "closes": "10:00"},
            ),
            (reverse("portal:set_hours"), {"d0_0_opens": value, "d0_0_closes": "10:00"}),
            (reverse("portal:callback_outcome", args=[callback_id]), {"seen": "0", "outcome": value}),
        ]
    cases += [(reverse("portal:add_closure"), {"date": day}) for day in EDGE_DATES if day != "9999-12-31"]
    cases.append((reverse("portal:invite"), {"email": LONG_ADDRESS, "role": "agent"}))
    return cases


@pytest.mark.parametrize("name,query", get_cases())
def test_odd_filters_are_explained_not_a_server_error(login_verified, alder, name, query):
    client = login_verified(alder.admin, on=Client(raise_request_exception=False))
    response = client.get(reverse(name), query)
    assert response.status_code == 200, (name, query, response.status_code)


def test_dates_and_months_off_the_calendar_say_which_are_allowed(client, login_verified, alder):
    login_verified(alder.admin)
    calls = client.get(reverse("portal:calls"), {"last": "9999-12-31"}).content.decode()
    assert "Choose a date between 1900 and 2999." in calls
    figures = client.get(reverse("portal:figures"), {"month": "9999-12"}).content.decode()
    assert "Choose a month between 1900 and 2999." in figures


def test_odd_form_values_change_nothing_and_never_cause_a_server_error(login_verified, alder, birch):
    client = login_verified(alder.admin, on=Client(raise_request_exception=False))
    before = database_state()
    for url, data in post_cases(alder.callback.pk):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data, response.status_code)
    assert database_state() == before


def test_an_address_too_long_to_store_is_refused_on_the_invitation_form(client, login_verified, alder):
    login_verified(alder.admin)
    response = client.post(reverse("portal:invite"), {"email": LONG_ADDRESS, "role": "agent"})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()


def test_the_messages_are_in_spanish_under_es(client, login_verified, alder):
    login_verified(alder.admin)
    figures = client.get("/es/portal/figures/", {"month": "0001-01"}).content.decode()
    assert "Elija un mes entre 1900 y 2999." in figures
    calls = client.get("/es/portal/calls/", {"first": "0001-01-01"}).content.decode()
    assert "Elija una fecha entre 1900 y 2999." in calls
