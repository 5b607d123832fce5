"""The search page never dead-ends: zero results say so first, with searches that do find something; the radius
shown is the radius searched; results sort by distance or name; filters stay closed."""

from __future__ import annotations

import re

import pytest

from clearline.directory.demo import load_demo_facilities
from clearline.directory.models import Facility

pytestmark = pytest.mark.django_db
SEARCH = "/treatment/"


def html(client, **query) -> str:
    return client.get(SEARCH, query).content.decode()


def selected_radius(text: str) -> str:
    select = re.search(r'<select name="radius".*?</select>', text, re.S).group(0)
    return re.search(r'<option value="(\d+)"[^>]* selected>', select).group(1)


def test_without_a_radius_the_select_shows_the_25_miles_searched(client):
    load_demo_facilities()
    text = html(client, place="Denver, CO")
    assert "within 25 miles of Denver, CO" in text
    assert selected_radius(text) == "25"


@pytest.mark.parametrize("radius", ["5", "10", "50", "100"])
def test_the_select_shows_the_radius_searched(client, radius):
    load_demo_facilities()
    text = html(client, place="Denver, CO", radius=radius)
    assert f"within {radius} miles of Denver, CO" in text
    assert selected_radius(text) == radius


def test_a_hand_edited_radius_searches_and_shows_the_default(client):
    load_demo_facilities()
    text = html(client, place="Denver, CO", radius="7")
    assert "within 25 miles of Denver, CO" in text
    assert selected_radius(text) == "25"


def test_the_filter_panel_stays_closed_even_with_filters_or_no_results(client):
    load_demo_facilities()
    text = html(client, place="Denver, CO", radius="5", medication="otp", payment="medicare")
    assert re.search(r'<details class="directory-filters">', text)
    assert "(2 chosen)" in text
    assert '<details class="directory-filters" open' not in html(client, place="Denver, CO", radius="5")


def test_zero_results_are_said_first_with_searches_that_find_something(client, real_slice):
    text = html(client, place="36784", radius="25")
    none = text.index('class="directory-none"')
    assert none < text.index("<form")  # above the form, not 2,800 px down
    assert "0 facilities within 25 miles of 36784 (Thomasville, AL)" in text
    assert re.search(
        r'href="\?place=36784&amp;radius=50&amp;sort=distance">Search within 50 miles: 4 facilities', text
    )
    assert 'href="?place=AL">See the ' in text
    assert '<a href="tel:+18006624357">1-800-662-4357</a>' in text
    assert "Search without the filters" not in text  # there are none
    assert 'class="directory-results"' not in text


def test_at_the_largest_radius_no_wider_search_is_offered(client, real_slice):
    text = html(client, place="99723", radius="100", medication="otp")
    assert "0 facilities within 100 miles" in text
    assert "Search within" not in text
    assert re.search(r"Search without the filters: 1 facility<", text)
    assert '<a href="tel:+18006624357">' in text


@pytest.mark.parametrize("radius", ["10", "100"])
def test_when_nothing_can_help_only_the_helpline_is_offered(client, real_slice, radius):
    text = html(client, place="Denver, CO", radius=radius)  # the slice has no Colorado facility
    assert f"0 facilities within {radius} miles of Denver, CO" in text
    assert "directory-suggestions" not in text
    assert "the largest distance we search" in text
    assert '<a href="tel:+18006624357">1-800-662-4357</a>' in text


def test_a_state_with_no_facility_matching_the_filters_offers_fewer_filters(client, real_slice):
    text = html(client, place="AK", medication="otp", population="dui", language="korean")
    assert "0 facilities in Alaska" in text
    assert "Search without the filters" in text


def names_in_order(text: str) -> list[str]:
    return re.findall(r'<li class="result">\s*<h3><a href="[^"]+">([^<]+)</a>', text)


def test_results_sort_by_distance_or_by_name(client, real_slice):
    by_distance = html(client, place="35007", radius="25")
    by_name = html(client, place="35007", radius="25", sort="name")
    distances = [float(m) for m in re.findall(r"([\d.]+) miles away", by_distance)]
    assert distances == sorted(distances) and len(distances) == 10
    names = names_in_order(by_name)
    assert names == sorted(names, key=str.casefold)
    assert set(names) == set(names_in_order(by_distance))
    assert re.search(r'<option value="name" selected>', by_name)


def test_a_whole_state_sorts_by_city_or_by_name(client, real_slice):
    by_name = names_in_order(html(client, place="AL", sort="name"))
    assert by_name == sorted(by_name, key=str.casefold)
    by_city = html(client, place="AL")
    assert names_in_order(by_city) != by_name


def test_pagination_keeps_the_sort(client, real_slice):
    text = html(client, place="AL", sort="name")
    assert re.search(r'href="\?[^"]*sort=name[^"]*&amp;page=2"', text)


def test_each_result_states_its_source(client, real_slice):
    load_demo_facilities()
    samhsa = html(client, place="35007", radius="10")
    assert "Source: SAMHSA National Directory 2022" in samhsa
    assert "Clearline demo data" not in samhsa
    assert "Opioid Environment Policy Scan (OEPS)" in samhsa
    demo = html(client, place="Denver, CO")
    assert demo.count("Source: Clearline demo data (fictional)") == len(names_in_order(demo)) == 4
    assert "SAMHSA" not in re.search(r'<section class="directory-results".*?</section>', demo, re.S).group(0)


def test_spanish_distance_options_and_sort(client):
    load_demo_facilities()
    text = client.get("/es/treatment/", {"place": "Denver, CO"}).content.decode()
    select = re.search(r'<select name="radius".*?</select>', text, re.S).group(0)
    assert "miles</option>" not in select
    assert "Within" not in select


def test_a_demo_facility_page_says_it_is_fictional_and_publishes_no_schema_org(client):
    load_demo_facilities()
    facility = Facility.objects.get(source_id="demo-1")
    text = client.get(f"/treatment/{facility.pk}/").content.decode()
    listing = re.search(r'<article class="directory listing">.*?</article>', text, re.S).group(0)
    assert "Source: Clearline demo data (fictional)." in listing
    assert "SAMHSA" not in listing
    assert "application/ld+json" not in text
