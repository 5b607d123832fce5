from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearline.directory.filters import FILTER_GROUPS
from clearline.directory.geo import Place, PlaceNotFound, haversine_miles, resolve_place
from clearline.directory.models import Facility
from clearline.directory.search import RADII_MILES, search

pytestmark = pytest.mark.django_db

ALL_CHOICES = [choice for group in FILTER_GROUPS for choice in group.choices]


def brute_force(lat: float, lon: float, radius: float, code_sets: list[tuple[str, ...]]) -> list[int]:
    """Every facility, every distance: the answer the indexed search must give."""
    found = []
    for facility in Facility.objects.filter(latitude__isnull=False):
        codes = set(facility.codes)
        if all(codes.intersection(wanted) for wanted in code_sets):
            distance = haversine_miles(lat, lon, facility.latitude, facility.longitude)
            if distance <= radius:
                found.append((distance, facility.pk))
    return [pk for _, pk in sorted(found)]


def test_zip_35007_within_10_miles_finds_shelby_county_treatment_center(real_slice):
    result = search(resolve_place("35007"), 10)
    names = [hit.facility.name for hit in result.hits]
    assert names[0] == "Shelby County Treatment Center"
    assert result.hits[0].distance_miles == pytest.approx(1.4, abs=0.1)


def test_results_come_nearest_first_with_a_count_and_pages(real_slice):
    first = search(resolve_place("Birmingham, AL"), 25, per_page=5)
    second = search(resolve_place("Birmingham, AL"), 25, page=2, per_page=5)
    distances = [hit.distance_miles for hit in first.hits + second.hits]
    assert distances == sorted(distances)
    assert first.total == second.total > 10
    assert first.num_pages == -(-first.total // 5)
    assert {h.facility.pk for h in first.hits}.isdisjoint(h.facility.pk for h in second.hits)


def test_filters_keep_only_facilities_with_those_services(real_slice):
    otp = next(c for c in ALL_CHOICES if c.value == "otp")
    result = search(resolve_place("Birmingham, AL"), 50, [otp.codes], per_page=100)
    assert result.total > 0
    assert all(hit.facility.has_code("OTP") for hit in result.hits)


def test_a_whole_state_lists_its_facilities_by_city(real_slice):
    result = search(resolve_place("Mississippi"), None, per_page=100)
    assert result.total == Facility.objects.filter(state="MS").count()
    assert result.radius_miles is None
    cities = [hit.facility.city for hit in result.hits]
    assert cities == sorted(cities)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    anchor=st.integers(min_value=0, max_value=10_000),
    jitter=st.tuples(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5)),
    radius=st.sampled_from(RADII_MILES),
    chosen=st.lists(st.sampled_from(ALL_CHOICES), max_size=2),
)
def test_search_agrees_with_a_brute_force_haversine_over_all_facilities(
    real_slice, anchor, jitter, radius, chosen
):
    points = list(
        Facility.objects.filter(latitude__isnull=False).order_by("pk").values_list("latitude", "longitude")
    )
    lat, lon = points[anchor % len(points)]
    lat, lon = max(-89.0, min(89.0, lat + jitter[0])), ((lon + jitter[1] + 180) % 360) - 180
    code_sets = [choice.codes for choice in chosen]
    result = search(Place("test", lat, lon), radius, code_sets, per_page=100)
    expected = brute_force(lat, lon, radius, code_sets)
    assert result.total == len(expected)
    assert [hit.facility.pk for hit in result.hits] == expected[:100]


def test_the_antimeridian_does_not_hide_facilities(real_slice):
    # Adak, Alaska is at about -176.6; a point just across the 180th meridian must still measure to it.
    assert search(Place("west of Adak", 51.9, 179.9), 100).total == len(brute_force(51.9, 179.9, 100, []))


def test_haversine_measures_a_known_distance():
    # Los Angeles (LAX) to New York (JFK) is about 2,470 miles on a sphere.
    assert haversine_miles(33.9425, -118.4081, 40.6413, -73.7781) == pytest.approx(2470, rel=0.01)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("35007", "35007 (Alabaster, AL)"),
        ("35007-1234", "35007 (Alabaster, AL)"),
        ("Alabaster, AL", "Alabaster, AL"),
        ("alabaster al", "Alabaster, AL"),
        ("AL", "Alabama"),
        ("alabama", "Alabama"),
    ],
)
def test_it_understands_zip_codes_cities_and_states(text, label):
    assert resolve_place(text).label == label


def test_an_unknown_city_gets_close_suggestions():
    with pytest.raises(PlaceNotFound) as caught:
        resolve_place("Birmingam, AL")
    assert "Birmingham, AL" in caught.value.suggestions


def test_a_city_in_several_states_asks_which_state():
    with pytest.raises(PlaceNotFound) as caught:
        resolve_place("Springfield")
    assert {"Springfield, IL", "Springfield, MO"} <= set(caught.value.suggestions)


def test_an_unknown_zip_code_is_explained():
    with pytest.raises(PlaceNotFound) as caught:
        resolve_place("00000")
    assert "00000" in caught.value.message
