"""Each refused field on a portal form is marked invalid and described by its message: every id that a field's
aria-describedby names is on the page (axe only asks a person to review a missing one, so it does not fail)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clearline.portal.tests.test_listings import facilities, form_data  # noqa: F401 (a fixture)
from conftest import assert_errors_tied

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,data,names",
    [
        ("portal:set_beds", {"beds": "-1"}, ["beds"]),
        ("portal:set_lines", {"lines": "0"}, ["lines"]),
        ("portal:add_closure", {"date": "not a date"}, ["date"]),
        ("portal:set_hours", {"d0_0_opens": "09:00"}, ["d0_0_closes"]),
        ("portal:invite", {"email": "not an address", "role": "agent"}, ["email"]),
    ],
)
def test_a_refused_field_is_marked_and_described_by_its_message(
    client, login_verified, alder, url, data, names
):
    login_verified(alder.admin)
    response = client.post(reverse(url), data)
    assert response.status_code == 400
    assert_errors_tied(response.content.decode(), *names)


def test_the_call_filter_ties_its_error_to_the_date(client, login_verified, alder):
    login_verified(alder.agent)
    response = client.get(reverse("portal:calls"), {"first": "2026-05-02", "last": "2026-05-01"})
    assert_errors_tied(response.content.decode(), "last")


def test_help_texts_are_found_on_pages_without_errors(client, login_verified, alder):
    login_verified(alder.admin)
    for name in ("portal:availability", "portal:team", "portal:calls"):
        assert_errors_tied(client.get(reverse(name)).content.decode())


def test_the_listing_form_ties_its_errors_to_the_fields(client, login_verified, alder, facilities):  # noqa: F811
    cedar = facilities["alder"]
    login_verified(alder.agent)
    data = form_data(cedar, postal_code="8020", website="not a site")
    response = client.post(reverse("portal:listing_propose", args=[cedar.pk]), data)
    assert response.status_code == 400
    assert_errors_tied(response.content.decode(), "postal_code", "website")
