"""The read-only HSDS 3.0 API: parse parameters, ask `api`, render with `hsds`. Bad parameters -> 400 JSON."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import api, hsds
from .api_params import (
    MAX_PROXIMITY_METERS,
    ApiError,
    boolean,
    number,
    paging,
    postcode,
    text,
    uuid_list,
    uuid_param,
)
from .models import Facility, Organization, TaxonomyTerm
from .openapi import openapi_document

View = Callable[..., JsonResponse]


def endpoint(view: Callable[..., Any]) -> View:
    # Read-only and cookie-free: CSRF protection has nothing to guard, and exempting it lets any other
    # method get a plain 405 rather than a CSRF 403.
    @csrf_exempt
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return JsonResponse(view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False})
        except ApiError as exc:
            return JsonResponse({"error": exc.message, "parameter": exc.parameter}, status=400)
        except Http404:
            return JsonResponse({"error": "Not found."}, status=404)

    return wrapper


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _facility(**lookup: Any) -> Facility:
    found = (
        Facility.objects.select_related("organization").prefetch_related("phones").filter(**lookup).first()
    )
    if found is None:
        raise Http404
    return found


@endpoint
def root(request: HttpRequest) -> dict[str, Any]:
    return {
        "version": "3.0",
        "profile": "https://docs.openreferral.org/en/latest/hsds/",
        "openapi_url": request.build_absolute_uri("openapi.json"),
    }


@csrf_exempt
@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi_document())


@endpoint
def services(request: HttpRequest) -> dict[str, Any]:
    page, per_page = paging(request.GET)
    window = api.facilities(
        search=text(request.GET, "search"),
        term_ids=uuid_list(request.GET, "taxonomy_term_id"),
        organization_id=uuid_param(request.GET, "organization_id"),
        page=page,
        per_page=per_page,
    )
    return hsds.page([hsds.service(f) for f in window.facilities], window.total, page, per_page)


@endpoint
def service_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    return hsds.service(_facility(service_uuid=_uuid(pk)), api.terms_by_code(), full=True)


@endpoint
def service_at_locations(request: HttpRequest) -> dict[str, Any]:
    page, per_page = paging(request.GET)
    window = api.facilities(
        search=text(request.GET, "search"),
        term_ids=uuid_list(request.GET, "taxonomy_term_id"),
        organization_id=uuid_param(request.GET, "organization_id"),
        postcode=postcode(request.GET),
        proximity_meters=number(request.GET, "proximity", 1, MAX_PROXIMITY_METERS),
        page=page,
        per_page=per_page,
    )
    return hsds.page([hsds.service_at_location(f) for f in window.facilities], window.total, page, per_page)


@endpoint
def service_at_location_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    return hsds.service_at_location(_facility(uuid=hsds.location_uuid_for_sal(_uuid(pk))))


@endpoint
def organizations(request: HttpRequest) -> dict[str, Any]:
    page, per_page = paging(request.GET)
    total, items = api.organizations(text(request.GET, "search"), page, per_page)
    return hsds.page([hsds.organization(o) for o in items], total, page, per_page)


@endpoint
def organization_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    org = Organization.objects.filter(uuid=_uuid(pk)).first()
    if org is None:
        raise Http404
    data = hsds.organization(org)
    facilities = list(org.facilities.select_related("organization").prefetch_related("phones"))
    data["locations"] = [hsds.location(f) for f in facilities]
    data["services"] = [hsds.service(f) for f in facilities]
    return data


@endpoint
def taxonomies(request: HttpRequest) -> dict[str, Any]:
    page, per_page = paging(request.GET)
    search = text(request.GET, "search").lower()
    matching = [t for t in [hsds.taxonomy()] if search in t["name"].lower()]
    return hsds.page(matching if page == 1 else [], len(matching), page, per_page)


@endpoint
def taxonomy_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    if _uuid(pk) != hsds.TAXONOMY_ID:
        raise Http404
    return hsds.taxonomy()


@endpoint
def taxonomy_terms(request: HttpRequest) -> dict[str, Any]:
    page, per_page = paging(request.GET)
    taxonomy_id = uuid_param(request.GET, "taxonomy_id")
    total, items = api.terms(
        text(request.GET, "search"),
        uuid_param(request.GET, "parent_id"),
        boolean(request.GET, "top_only"),
        page,
        per_page,
    )
    if taxonomy_id and taxonomy_id != hsds.TAXONOMY_ID:
        total, items = 0, []
    contents = [hsds.taxonomy_term(t, t.parent.uuid if t.parent else None) for t in items]
    return hsds.page(contents, total, page, per_page)


@endpoint
def taxonomy_term_detail(request: HttpRequest, pk: str) -> dict[str, Any]:
    term = TaxonomyTerm.objects.select_related("parent").filter(uuid=_uuid(pk)).first()
    if term is None:
        raise Http404
    return hsds.taxonomy_term(term, term.parent.uuid if term.parent else None)
