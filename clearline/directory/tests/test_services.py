from __future__ import annotations

import pytest

from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility, Phone
from clearline.directory.services import (
    DirectoryError,
    record_listing_consent,
    verified_destination_for,
    verify_phone,
    withdraw_listing_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(demo_facility):
    """Cedar Hollow with an intake line too, nothing verified and no consent."""
    Phone.objects.create(facility=demo_facility, kind=Phone.Kind.INTAKE, number="+13035550109", position=1)
    return demo_facility


def _consent(facility):
    return record_listing_consent(
        facility.pk, "Robin Ames", "Executive director", "Dana at Clearline", "Signed PDF"
    )


def test_an_unverified_phone_is_never_a_listing_destination(facility):
    _consent(facility)
    assert verified_destination_for(facility.pk) is None


def test_a_verified_phone_without_consent_is_not_a_destination(facility):
    verify_phone(facility.phones.get(kind="main").pk, "Dana at Clearline")
    assert verified_destination_for(facility.pk) is None


def test_consent_and_a_verified_main_phone_make_the_destination(facility):
    _consent(facility)
    verify_phone(facility.phones.get(kind="intake").pk, "Dana")
    assert verified_destination_for(facility.pk) == "+13035550109"
    verify_phone(facility.phones.get(kind="main").pk, "Dana")
    assert verified_destination_for(facility.pk) == "+13035550101"


def test_withdrawn_consent_stops_the_listing_number_ringing(facility):
    _consent(facility)
    verify_phone(facility.phones.get(kind="main").pk, "Dana")
    withdraw_listing_consent(facility.pk)
    assert verified_destination_for(facility.pk) is None


def test_consent_records_who_consented_and_who_recorded_it(facility):
    consent = _consent(facility)
    assert (consent.person_name, consent.person_role, consent.recorded_by) == (
        "Robin Ames",
        "Executive director",
        "Dana at Clearline",
    )
    assert consent.recorded_at is not None


def test_consent_needs_a_name_a_role_and_a_recorder(facility):
    with pytest.raises(DirectoryError):
        record_listing_consent(facility.pk, "Robin Ames", " ", "Dana")


def test_verifying_a_phone_needs_a_person(facility):
    with pytest.raises(DirectoryError):
        verify_phone(facility.phones.first().pk, "")


def test_the_demo_facilities_load_idempotently_with_fictional_numbers(db):
    assert load_demo_facilities() == 8
    assert load_demo_facilities() == 8
    numbers = Phone.objects.filter(facility__source="demo").values_list("number", flat=True)
    assert all(n[5:9] == "5550" and n[9] == "1" for n in numbers)


def test_the_demo_directory_is_searchable(client, db):
    load_demo_facilities()
    page = client.get("/treatment/", {"place": "Denver, CO", "radius": "25", "medication": "otp"})
    assert "Cedar Hollow Recovery Center" in page.content.decode()
    facility = Facility.objects.get(name="Cedar Hollow Recovery Center")
    assert (
        '<h3 id="services-medications">Medications</h3>'
        in client.get(f"/treatment/{facility.pk}/").content.decode()
    )
