"""Public directory pages: search and the facility listing. Parse, call one service function, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from .forms import SearchForm
from .geo import Place, PlaceNotFound, resolve_place
from .listing import listing_context
from .models import Facility
from .presenters import result_rows
from .search import DEFAULT_RADIUS, search


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
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
            result = search(place, data["radius"] or DEFAULT_RADIUS, form.code_sets(), page=data["page"] or 1)
            context["result"], context["rows"] = result, result_rows(result.hits)
            context["query_without_page"] = _query_without_page(request)
    return render(request, "directory/search.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def facility_page(request: HttpRequest, pk: int) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("organization"), pk=pk)
    return render(request, "directory/facility.html", listing_context(facility))
