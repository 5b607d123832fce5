from __future__ import annotations

import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from clearline.directory.listing import listing_context
from clearline.directory.models import Facility

pytestmark = pytest.mark.django_db
SEARCH = "/treatment/"


def test_the_search_page_offers_the_form(client):
    page = client.get(SEARCH)
    assert page.status_code == 200
    assert b'name="place"' in page.content and b'name="radius"' in page.content
    assert b"Opioid treatment program (OTP)" in page.content


def test_a_zip_search_lists_nearby_facilities_with_distance_and_phone(client, real_slice):
    page = client.get(SEARCH, {"place": "35007", "radius": "10"})
    text = page.content.decode()
    assert "Shelby County Treatment Center" in text
    assert "1.4 miles away" in text
    assert "(205) 216-0200" in text
    assert re.search(r"\d+ facilit(y|ies) within 10 miles of 35007", text)


def test_filters_from_the_query_string_narrow_the_results(client, real_slice):
    everything = client.get(SEARCH, {"place": "Birmingham, AL", "radius": "50"}).content.decode()
    otp_only = client.get(
        SEARCH, {"place": "Birmingham, AL", "radius": "50", "medication": "otp"}
    ).content.decode()
    count = lambda text: int(re.search(r"(\d+) facilit", text).group(1))  # noqa: E731
    assert 0 < count(otp_only) < count(everything)


def test_an_unknown_place_gets_a_helpful_message_not_an_error(client):
    page = client.get(SEARCH, {"place": "Birmingam, AL"})
    assert page.status_code == 200
    assert "We couldn" in page.content.decode()
    assert "Birmingham, AL" in page.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"place": "35007", "radius": "banana", "page": "-4"},
        {"lat": "nan", "lon": "inf"},
        {"place": "x" * 500},
        {"place": "35007", "medication": "not-a-choice", "page": "99999"},
        {"place": "\x00"},
    ],
)
def test_hand_edited_queries_never_fail(client, real_slice, query):
    assert client.get(SEARCH, query).status_code == 200


def test_near_me_searches_from_coordinates(client, real_slice):
    page = client.get(SEARCH, {"lat": "33.21", "lon": "-86.79", "radius": "5"})
    assert "Shelby County Treatment Center" in page.content.decode()


def test_spanish_pages_live_under_es(client, real_slice):
    assert client.get("/es/treatment/", {"place": "35007"}).status_code == 200


def test_the_listing_page_groups_services_and_cites_its_source(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    page = client.get(reverse("directory:facility", args=[shelby.pk]))
    text = page.content.decode()
    assert '<h3 id="services-medications">Medications</h3>' in text
    assert "Federally certified opioid treatment program (OTP)" in text
    assert (
        "Sources: Substance Abuse and Mental Health Services Administration, National Directory of Drug"
        in text
    )
    assert "maps/dir/?api=1&amp;destination=750+Highway+31+South" in text
    assert "Not yet verified" in text
    assert "badge" not in text


def test_the_listing_page_has_schema_org_json_ld(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    text = client.get(reverse("directory:facility", args=[shelby.pk])).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == ["MedicalClinic", "MedicalOrganization"]
    assert data["address"]["postalCode"] == "35007"


def test_the_badge_shows_only_when_the_facility_is_verified(client, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    shelby.status, shelby.verified_by = Facility.Status.VERIFIED, "Dana"
    shelby.save()
    assert "Verified by the facility" in client.get(f"/treatment/{shelby.pk}/").content.decode()


class _WithListingNumber:
    """The facility as the template sees it once content's Helpline.facility FK exists."""

    def __init__(self, facility, numbers):
        self._facility, self._numbers = facility, numbers

    def __getattr__(self, name):
        return getattr(self._facility, name)

    @property
    def listing_numbers(self):
        numbers = self._numbers

        class _Manager:
            def all(self):
                return numbers

        return _Manager()


def test_a_listing_number_says_it_rings_this_facility_only(rf, real_slice):
    shelby = Facility.objects.get(name="Shelby County Treatment Center")
    context = listing_context(shelby)
    context["facility"] = _WithListingNumber(shelby, [{"number": "+12055550150"}])
    html = render_to_string("directory/facility.html", context, request=rf.get("/"))
    assert "+12055550150" in html
    assert "Calls to this number ring this facility only." in html


def test_a_missing_facility_is_a_404(client, db):
    assert client.get("/treatment/999999/").status_code == 404


def test_the_listing_shows_the_description_website_and_hours_an_approved_edit_can_set(client, real_slice):
    facility = Facility.objects.select_related("organization").first()
    facility.organization.description = "Walk-in assessments on weekdays."
    facility.organization.website = "https://example.org/care"
    facility.organization.save()
    facility.schedules.create(description="Mon-Fri 8:00-17:00\nSat 9:00-12:00")
    text = client.get(reverse("directory:facility", args=[facility.pk])).content.decode()
    assert "Walk-in assessments on weekdays." in text
    assert 'href="https://example.org/care" rel="noopener noreferrer nofollow"' in text
    assert "Mon-Fri 8:00-17:00<br>Sat 9:00-12:00" in text
