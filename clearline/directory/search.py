"""Facility search: a place and radius, filters, nearest first, paged.

Strategy (measured in bench/search.py): a bounding-box query on the indexed (latitude, longitude) pair,
with the filters as LIKE conditions on the padded code string, returns a few hundred candidate (id, lat, lon)
rows at most; exact haversine distances are computed in Python, then only the requested page is loaded in
full. It runs the same on SQLite and PostgreSQL and needs no per-process cache to invalidate after an import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .geo import Place, bounding_box, haversine_miles
from .models import Facility

RADII_MILES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS = 25
MAX_RADIUS_MILES = 500
PER_PAGE = 20
MAX_PER_PAGE = 100
SORTS = ("distance", "name")  # "distance": nearest first (a whole state: by city); "name": A to Z

CodeSets = Sequence[Sequence[str]]  # each inner sequence: "has any of these codes"; all of them must hold


@dataclass(frozen=True)
class Hit:
    facility: Facility
    distance_miles: float | None


@dataclass
class SearchResult:
    place: Place
    radius_miles: float | None
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    sort: str = "distance"

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1


def filter_codes(queryset: QuerySet[Facility], code_sets: CodeSets) -> QuerySet[Facility]:
    for codes in code_sets:
        condition = Q()
        for code in codes:
            condition |= Q(service_codes__contains=f" {code} ")
        queryset = queryset.filter(condition)
    return queryset


def ranked_ids(
    place: Place,
    radius_miles: float | None,
    code_sets: CodeSets = (),
    base: QuerySet[Facility] | None = None,
    sort: str = "distance",
) -> list[tuple[int, float | None]]:
    """Every matching facility id with its distance, nearest first (by city and name for a whole state);
    with sort="name", by name (then distance)."""
    queryset = filter_codes(base if base is not None else Facility.objects.all(), code_sets)
    if place.state:
        order = ("name", "city", "id") if sort == "name" else ("city", "name", "id")
        ordered = queryset.filter(state=place.state).order_by(*order).values_list("id", flat=True)
        return [(pk, None) for pk in ordered]
    assert place.latitude is not None and place.longitude is not None
    radius = float(radius_miles or DEFAULT_RADIUS)
    min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, radius)
    queryset = queryset.filter(latitude__gte=min_lat, latitude__lte=max_lat)
    if (min_lon, max_lon) != (-180.0, 180.0):
        queryset = queryset.filter(longitude__gte=min_lon, longitude__lte=max_lon)
    if sort == "name":
        named = []
        for pk, lat, lon, name in queryset.values_list("id", "latitude", "longitude", "name"):
            distance = haversine_miles(place.latitude, place.longitude, lat, lon)  # type: ignore[arg-type]
            if distance <= radius:
                named.append((name.casefold(), distance, pk))
        named.sort()
        return [(pk, distance) for _, distance, pk in named]
    found = []
    for pk, lat, lon in queryset.values_list("id", "latitude", "longitude"):
        assert lat is not None and lon is not None  # the range filters exclude nulls
        distance = haversine_miles(place.latitude, place.longitude, lat, lon)
        if distance <= radius:
            found.append((distance, pk))
    found.sort()
    return [(pk, distance) for distance, pk in found]


def load_page(
    ranked: Sequence[tuple[int, float | None]],
    page: int,
    per_page: int,
    select: Sequence[str] = (),
    prefetch: Sequence[str] = ("phones",),
) -> list[Hit]:
    """Only the requested page's facilities, with just the relations the caller will show."""
    window = ranked[(page - 1) * per_page : page * per_page]
    queryset = Facility.objects.select_related(*select).prefetch_related(*prefetch)
    by_id = queryset.in_bulk([pk for pk, _ in window])
    return [Hit(by_id[pk], distance) for pk, distance in window if pk in by_id]


def search(
    place: Place,
    radius_miles: float | None = DEFAULT_RADIUS,
    code_sets: CodeSets = (),
    page: int = 1,
    per_page: int = PER_PAGE,
    sort: str = "distance",
) -> SearchResult:
    ranked = ranked_ids(place, radius_miles, code_sets, sort=sort)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    return SearchResult(
        place=place,
        radius_miles=None if place.state else radius_miles,
        total=len(ranked),
        page=page,
        per_page=per_page,
        hits=load_page(ranked, page, per_page),
        sort=sort,
    )


def codes_for_terms(values: Iterable[str]) -> list[list[str]]:
    """Each SAMHSA code as its own code set (used by the HSDS taxonomy_term_id filter)."""
    return [[value] for value in values]
