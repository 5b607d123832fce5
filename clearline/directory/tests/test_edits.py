"""apply_listing_changes: reviewed corrections keep the directory's rules (phones re-verified, coordinates, codes)."""

from __future__ import annotations

import pytest

from clearline.directory.edits import apply_listing_changes, listing_values, stale_fields
from clearline.directory.models import Facility
from clearline.directory.services import DirectoryError, verified_destination_for, verify_phone
from clearline.lib.pagecache import current_generation

pytestmark = pytest.mark.django_db


def _reload(facility: Facility) -> Facility:
    return Facility.objects.select_related("organization").get(pk=facility.pk)


def test_the_name_changes_on_the_facility_and_its_organisation_and_the_page_cache_moves_on(facility):
    generation = current_generation()
    result = apply_listing_changes(facility, {"name": "Cedar Hollow Recovery", "alternate_name": "CHR"})
    facility = _reload(facility)
    assert (facility.name, facility.alternate_name) == ("Cedar Hollow Recovery", "CHR")
    assert (facility.organization.name, facility.organization.alternate_name) == (
        "Cedar Hollow Recovery",
        "CHR",
    )
    assert result.fields == ["name", "alternate_name"] and not result.unverified_phones
    assert current_generation() > generation


def test_a_changed_main_phone_is_unverified_so_the_listing_number_stops_ringing(facility):
    assert verified_destination_for(facility.pk) == "+13035550101"
    result = apply_listing_changes(facility, {"phone": "+13035550199"})
    phone = facility.phones.get(kind="main")
    assert (phone.number, phone.verified_at, phone.verified_by) == ("+13035550199", None, "")
    assert result.unverified_phones == ["+13035550199"]
    assert verified_destination_for(facility.pk) is None
    # Only a person's check makes it a destination again.
    verify_phone(phone.pk, "Dana at Clearline")
    assert verified_destination_for(facility.pk) == "+13035550199"


def test_a_changed_extension_alone_also_needs_a_new_check(facility):
    apply_listing_changes(facility, {"phone_extension": "12"})
    phone = facility.phones.get(kind="main")
    assert (phone.number, phone.extension, phone.is_verified) == ("+13035550101", "12", False)


def test_phones_that_do_not_change_keep_their_verification(facility):
    apply_listing_changes(facility, {"name": "Cedar Hollow", "intake_phone": "+13035550150"})
    assert facility.phones.get(kind="main").is_verified
    intake = facility.phones.get(kind="intake")
    assert (intake.number, intake.is_verified, intake.position) == ("+13035550150", False, 1)
    assert verified_destination_for(facility.pk) == "+13035550101"


def test_an_intake_phone_can_be_removed_but_the_main_phone_cannot(facility):
    apply_listing_changes(facility, {"intake_phone": "+13035550150"})
    apply_listing_changes(facility, {"intake_phone": ""})
    assert not facility.phones.filter(kind="intake").exists()
    with pytest.raises(DirectoryError, match="main phone"):
        apply_listing_changes(facility, {"phone": ""})
    assert facility.phones.get(kind="main").number == "+13035550101"


def test_a_phone_must_be_e164(facility):
    with pytest.raises(DirectoryError, match=r"E\.164"):
        apply_listing_changes(facility, {"phone": "(303) 555-0199"})
    with pytest.raises(DirectoryError, match="digits"):
        apply_listing_changes(facility, {"phone_extension": "ext 4"})


def test_a_move_takes_the_new_zip_codes_centroid_and_county(facility):
    apply_listing_changes(facility, {"street1": "1 Main Street", "city": "Alabaster", "state": "AL",
                                     "postal_code": "35007"})  # fmt: skip
    facility = _reload(facility)
    assert (facility.latitude, facility.longitude) == pytest.approx((33.1934, -86.7944), abs=0.01)
    assert (facility.geo_source, facility.county) == ("zip_centroid", "Shelby")


def test_a_new_suite_number_keeps_the_coordinates(facility):
    before = (facility.latitude, facility.longitude, facility.geo_source)
    apply_listing_changes(facility, {"street2": "Suite 200"})
    facility = _reload(facility)
    assert (facility.street2, (facility.latitude, facility.longitude, facility.geo_source)) == (
        "Suite 200",
        before,
    )


def test_a_zip_code_in_another_state_is_refused_and_nothing_changes(facility):
    with pytest.raises(DirectoryError, match="35007 is in AL, not CO"):
        apply_listing_changes(facility, {"name": "Moved", "postal_code": "35007"})
    assert _reload(facility).name == "Cedar Hollow Recovery Center"


def test_services_change_only_within_the_editable_categories(facility):
    assert facility.has_code("DT") and facility.has_code("MD")
    values = listing_values(facility)
    assert "DT" not in values["services"] and "MD" in values["services"]  # detox is not self-declared here
    apply_listing_changes(facility, {"services": sorted({*values["services"], "SNR"} - {"MD"})})
    facility = _reload(facility)
    assert facility.has_code("SNR") and not facility.has_code("MD") and facility.has_code("DT")
    with pytest.raises(DirectoryError, match="cannot be set here: DT"):
        apply_listing_changes(facility, {"services": ["DT"]})


def test_website_description_and_hours(facility):
    apply_listing_changes(
        facility,
        {
            "website": "https://cedar.example.org",
            "description": "Outpatient and detox.",
            "hours": "Mon-Fri 8-6",
        },
    )
    facility = _reload(facility)
    assert facility.organization.website == "https://cedar.example.org"
    assert facility.organization.description == "Outpatient and detox."
    assert [s.description for s in facility.schedules.all()] == ["Mon-Fri 8-6"]
    assert listing_values(facility)["hours"] == "Mon-Fri 8-6"
    with pytest.raises(DirectoryError, match="not a web address"):
        apply_listing_changes(facility, {"website": "javascript:alert(1)"})


def test_unknown_fields_are_refused(facility):
    with pytest.raises(DirectoryError, match="Unknown fields: latitude"):
        apply_listing_changes(facility, {"latitude": "0"})


def test_stale_fields_are_those_whose_value_moved_since(facility):
    before = {"name": "Cedar Hollow Recovery Center", "city": "Denver"}
    assert stale_fields(before, listing_values(facility)) == []
    Facility.objects.filter(pk=facility.pk).update(name="Renamed by an operator")
    assert stale_fields(before, listing_values(_reload(facility))) == ["name"]
