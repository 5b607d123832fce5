"""HSDS API queries: which facilities, organizations and terms a request asks for (no wire format here)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .api_params import ApiError
from .geo import METERS_PER_MILE, PlaceNotFound, resolve_place
from .models import Facility, Organization, TaxonomyTerm
from .search import filter_codes, load_page, ranked_ids


@dataclass(frozen=True)
class Window:
    total: int
    facilities: list[Facility]


def codes_for_terms(term_ids: list[uuid.UUID]) -> list[list[str]]:
    """A code term filters on itself; a category term on any of its codes. Every term must hold."""
    code_sets = []
    for term_id in term_ids:
        term = TaxonomyTerm.objects.filter(uuid=term_id).first()
        if term is None:
            raise ApiError("taxonomy_term_id", f"No taxonomy term has the id {term_id}.")
        if term.parent_id is None:
            code_sets.append(list(term.children.values_list("code", flat=True)))
        else:
            code_sets.append([term.code])
    return code_sets


def facilities(
    *,
    search: str = "",
    term_ids: list[uuid.UUID] | None = None,
    organization_id: uuid.UUID | None = None,
    postcode: str = "",
    proximity_meters: float | None = None,
    page: int = 1,
    per_page: int = 20,
    with_phones: bool = False,
) -> Window:
    prefetch = ("phones",) if with_phones else ()
    base: QuerySet[Facility] = Facility.objects.all()
    if search:
        base = base.filter(
            Q(name__icontains=search) | Q(alternate_name__icontains=search) | Q(city__icontains=search)
        )
    if organization_id:
        base = base.filter(organization__uuid=organization_id)
    code_sets = codes_for_terms(term_ids or [])
    if proximity_meters is not None and not postcode:
        raise ApiError("postcode", "proximity needs a postcode to measure from.")
    if postcode:
        if not (len(postcode) == 5 and postcode.isdigit()):
            raise ApiError("postcode", "postcode must be a five-digit U.S. ZIP code.")
        try:
            place = resolve_place(postcode)
        except PlaceNotFound as exc:
            raise ApiError("postcode", str(exc.message)) from None
        miles = (proximity_meters or 25 * METERS_PER_MILE) / METERS_PER_MILE
        ranked = ranked_ids(place, miles, code_sets, base=base)
        hits = load_page(ranked, page, per_page, select=("organization",), prefetch=prefetch)
        return Window(len(ranked), [hit.facility for hit in hits])
    queryset = filter_codes(base, code_sets).order_by("id")
    total = queryset.count()
    window = queryset.select_related("organization").prefetch_related(*prefetch)[
        (page - 1) * per_page : page * per_page
    ]
    return Window(total, list(window))


def organizations(search: str, page: int, per_page: int) -> tuple[int, list[Organization]]:
    queryset = Organization.objects.order_by("id")
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.count(), list(queryset[(page - 1) * per_page : page * per_page])


def terms(
    search: str, parent_id: uuid.UUID | None, top_only: bool | None, page: int, per_page: int
) -> tuple[int, list[TaxonomyTerm]]:
    queryset = TaxonomyTerm.objects.select_related("parent").order_by("position", "id")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(code__iexact=search))
    if parent_id:
        queryset = queryset.filter(parent__uuid=parent_id)
    if top_only:
        queryset = queryset.filter(parent__isnull=True)
    return queryset.count(), list(queryset[(page - 1) * per_page : page * per_page])


def terms_by_code() -> dict[str, TaxonomyTerm]:
    return {term.code: term for term in TaxonomyTerm.objects.select_related("parent")}
