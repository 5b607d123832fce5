"""Distances and places: haversine, bounding boxes, and ZIP / "City, ST" / state lookup from `zipcodes`.

The `zipcodes` package ships GeoNames ZIP centroids (CC BY 4.0); they are loaded once per process (~0.6 s).
"""

from __future__ import annotations

import difflib
import math
import re
import statistics
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext as _

EARTH_RADIUS_MILES = 3958.7613
METERS_PER_MILE = 1609.344

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana",
    "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
    "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
    "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
    "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands", "FM": "Micronesia", "MH": "Marshall Islands", "PW": "Palau",
}  # fmt: skip
STATE_BY_NAME = {name.lower(): code for code, name in STATES.items()}
ZIP_RE = re.compile(r"^(\d{5})(?:-\d{4})?$")


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) containing every point within `miles` (slightly generous)."""
    dlat = math.degrees(miles / EARTH_RADIUS_MILES) * 1.001
    min_lat, max_lat = lat - dlat, lat + dlat
    if max_lat >= 90 or min_lat <= -90:
        return max(min_lat, -90), min(max_lat, 90), -180.0, 180.0
    # The widest longitude span is at the latitude farthest from the equator.
    widest = max(abs(min_lat), abs(max_lat))
    dlon = math.degrees(miles / (EARTH_RADIUS_MILES * math.cos(math.radians(widest)))) * 1.001
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:  # a pole or the antimeridian: no lon cut
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, lon - dlon, lon + dlon


@dataclass(frozen=True)
class Place:
    label: str
    latitude: float | None = None
    longitude: float | None = None
    state: str | None = None  # set for a whole-state search (no radius)
    region: str | None = None  # the state a ZIP code or city lies in (for "all listings in the state")

    @property
    def is_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class PlaceNotFound(Exception):
    query: str
    message: str
    suggestions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _ZipIndex:
    by_zip: dict[str, tuple[float, float, str, str]]  # zip -> (lat, lon, city, state)
    by_city: dict[str, list[tuple[float, float]]]  # "alabaster, al" -> centroids
    city_labels: dict[str, str]  # "alabaster, al" -> "Alabaster, AL"
    states_by_city: dict[str, list[str]]  # "alabaster" -> ["AL"]


@cache
def zip_index() -> _ZipIndex:
    import zipcodes

    by_zip: dict[str, tuple[float, float, str, str]] = {}
    by_city: dict[str, list[tuple[float, float]]] = {}
    labels: dict[str, str] = {}
    states_by_city: dict[str, list[str]] = {}
    for row in zipcodes.list_all():
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        if lat == 0 and lon == 0:  # a few unique (single-company) ZIPs carry no location
            continue
        city, state = row["city"], row["state"]
        by_zip[row["zip_code"]] = (lat, lon, city, state)
        key = f"{city.lower()}, {state.lower()}"
        by_city.setdefault(key, []).append((lat, lon))
        labels[key] = f"{city}, {state}"
        states = states_by_city.setdefault(city.lower(), [])
        if state not in states:
            states.append(state)
    return _ZipIndex(by_zip, by_city, labels, states_by_city)


def zip_centroid(zip_code: str) -> tuple[float, float] | None:
    found = zip_index().by_zip.get(zip_code[:5])
    return (found[0], found[1]) if found else None


def _city_place(key: str) -> Place:
    index = zip_index()
    points = index.by_city[key]
    # The median of the city's ZIP centroids: one misplaced ZIP cannot drag the centre away.
    return Place(
        index.city_labels[key],
        statistics.median(p[0] for p in points),
        statistics.median(p[1] for p in points),
        region=key.rsplit(", ", 1)[1].upper(),
    )


def resolve_place(text: str) -> Place:
    """A ZIP code, "City, ST", "City ST", a state code or name, or a unique city name -> a Place."""
    query = " ".join((text or "").split())
    if not query:
        raise PlaceNotFound(query, _("Enter a ZIP code, a city and state, or a state."))
    index = zip_index()
    zip_match = ZIP_RE.match(query)
    if zip_match:
        found = index.by_zip.get(zip_match.group(1))
        if found:
            return Place(
                f"{zip_match.group(1)} ({found[2]}, {found[3]})", found[0], found[1], region=found[3]
            )
        near = sorted(z for z in index.by_zip if z[:3] == query[:3])[:5]
        raise PlaceNotFound(query, _("We don't know the ZIP code %(zip)s.") % {"zip": query}, near)
    lowered = query.lower()
    if lowered.upper() in STATES and len(lowered) == 2:
        return Place(STATES[lowered.upper()], state=lowered.upper())
    if lowered in STATE_BY_NAME:
        code = STATE_BY_NAME[lowered]
        return Place(STATES[code], state=code)
    city_state = re.match(r"^(.+?)[,\s]\s*([A-Za-z]{2})$", query)
    if city_state:
        key = f"{city_state.group(1).strip(' ,').lower()}, {city_state.group(2).lower()}"
        if key in index.by_city:
            return _city_place(key)
    states = index.states_by_city.get(lowered.strip(" ,"), [])
    if len(states) == 1:
        return _city_place(f"{lowered.strip(' ,')}, {states[0].lower()}")
    if states:
        suggestions = [f"{query.strip(' ,').title()}, {s}" for s in sorted(states)]
        return_message = _("There is more than one %(city)s. Which state?") % {"city": query}
        raise PlaceNotFound(query, return_message, suggestions)
    close = difflib.get_close_matches(lowered, index.city_labels.keys(), n=5, cutoff=0.75)
    raise PlaceNotFound(
        query,
        _("We couldn't find %(place)s. Try a ZIP code, or a city with its state, like “Denver, CO”.")
        % {"place": query},
        [index.city_labels[k] for k in close],
    )
