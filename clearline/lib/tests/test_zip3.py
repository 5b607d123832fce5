"""The built-in ZIP3 -> state table agrees with the GeoNames ZIP list the directory ships."""

from __future__ import annotations

import collections

import pytest

from clearline.lib.zip3 import state_for_zip3

NOT_STATES = {"AA", "AE", "AP"}  # military mail


def test_known_prefixes():
    assert state_for_zip3("787") == "TX"  # Austin
    assert state_for_zip3("981") == "WA"  # Seattle
    assert state_for_zip3("100") == "NY"
    assert state_for_zip3("006") == "PR"
    assert state_for_zip3("200") == "DC"


@pytest.mark.parametrize("text", ["", "78", "7870", "78a", "abc", "000", "969", "739", "090"])
def test_unknown_shared_military_or_malformed_prefixes_have_no_state(text):
    assert state_for_zip3(text) is None


def test_the_table_matches_the_zipcodes_package_wherever_a_prefix_has_one_state():
    zipcodes = pytest.importorskip("zipcodes")
    states: dict[str, set[str]] = collections.defaultdict(set)
    for row in zipcodes.list_all():
        states[row["zip_code"][:3]].add(row["state"])
    for prefix, found in states.items():
        expected = next(iter(found)) if len(found) == 1 and not found & NOT_STATES else None
        assert state_for_zip3(prefix) == expected, prefix
    # Nothing in the table that the list does not know.
    for number in range(1000):
        prefix = f"{number:03d}"
        if prefix not in states:
            assert state_for_zip3(prefix) is None, prefix
