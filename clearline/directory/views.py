"""Public directory pages: search and the facility listing. Parse, call one service function, render."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .filters import FILTER_GROUPS
from .forms import SearchForm
from .geo import STATES, Place, PlaceNotFound, resolve_place
from .listing import listing_context
from .models import Facility
from .presenters import result_rows
from .search import DEFAULT_RADIUS, RADII_MILES, CodeSets, ranked_ids, search
from .sources import OEPS, results_sources

NATIONAL_HELPLINE = "+18006624357"


@dataclass(frozen=True)
class Suggestion:
    """A search that finds something, offered when this one found nothing."""

    kind: str  # "radius", "filters" or "state"
    url: str
    count: int
    radius: int | None = None
    state: str = ""


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm.from_query(request.GET)
    context: dict[str, object] = {"form": form, "result": None, "not_found": None}
    if form.is_bound:
        # Bad values (e.g. a hand-edited radius) are dropped field by field rather than failing the page.
        form.is_valid()
        data = {key: form.cleaned_data.get(key) for key in form.fields}
        place: Place | None = None
        try:
            if data["place"]:
                place = resolve_place(data["place"])
            elif data["lat"] is not None and data["lon"] is not None:
                place = Place(_("your location"), data["lat"], data["lon"])
        except PlaceNotFound as exc:
            context["not_found"] = exc
        if place is not None:
            radius = data["radius"] or DEFAULT_RADIUS
            code_sets = form.code_sets()
            sort = data["sort"] or "distance"
            result = search(place, radius, code_sets, page=data["page"] or 1, sort=sort)
            context["result"], context["rows"] = result, result_rows(result.hits)
            context["sources"] = results_sources([hit.facility for hit in result.hits])
            context["oeps"] = OEPS
            # Translated once, not once per result row.
            context["labels"] = {
                "settings": _("Settings:"),
                "medications": _("Medications:"),
                "payments": _("Payment accepted:"),
            }
            context["query_without_page"] = _query_without(request, form, "page")
            if result.total == 0:
                context["suggestions"] = suggestions(request, form, place, radius, code_sets)
                # Every wider radius was tried (with the same filters): none finds a facility.
                context["nothing_within_max"] = place.is_point
    context["helpline"] = NATIONAL_HELPLINE
    return render(request, "directory/search.html", context)


def _query_without(request: HttpRequest, form: SearchForm, *names: str) -> str:
    query = form.data.copy() if form.is_bound else request.GET.copy()  # type: ignore[attr-defined]
    for name in names:
        query.pop(name, None)
    return str(query.urlencode())


def suggestions(
    request: HttpRequest, form: SearchForm, place: Place, radius: int, code_sets: CodeSets
) -> list[Suggestion]:
    """What can still help after a search found nothing, each checked to find something: a wider radius
    (only below the largest), the same search without its filters, the listings of the place's state."""
    query = form.data.copy()  # type: ignore[attr-defined]
    query.pop("page", None)
    out: list[Suggestion] = []
    if place.is_point:
        for wider in (r for r in RADII_MILES if r > radius):
            count = len(ranked_ids(place, wider, code_sets))
            if count:
                query["radius"] = str(wider)
                out.append(Suggestion("radius", "?" + query.urlencode(), count, radius=wider))
                break
        query["radius"] = str(radius)
    if code_sets:
        plain = query.copy()
        for group in FILTER_GROUPS:
            plain.pop(group.param, None)
        count = len(ranked_ids(place, radius, ()))
        if count:
            out.append(Suggestion("filters", "?" + plain.urlencode(), count, radius=radius))
    state = place.region if place.is_point else None
    if state:
        params: list[tuple[str, str]] = [("place", state)]
        count = len(ranked_ids(Place(STATES[state], state=state), None, code_sets))
        if count:
            params += [(g.param, v) for g in FILTER_GROUPS for v in form.data.getlist(g.param)]  # type: ignore[attr-defined]
        else:
            count = len(ranked_ids(Place(STATES[state], state=state), None, ()))
        if count:
            out.append(Suggestion("state", "?" + urlencode(params), count, state=STATES[state]))
    return out


def facility_page(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("organization"), pk=pk)
    return render(request, "directory/facility.html", listing_context(facility))
