"""The OpenAPI 3.0 description of Clearline's HSDS API (the subset of the HSDS 3.0 standard API it serves)."""

from __future__ import annotations

from typing import Any

from .api_params import MAX_PER_PAGE, MAX_PROXIMITY_METERS, UUID_LIST_PATTERN, UUID_PATTERN

Json = dict[str, Any]
UUID_SCHEMA = {"type": "string", "pattern": f"^{UUID_PATTERN}$"}


def _query(name: str, schema: Json, description: str) -> Json:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number, from 1.")
PER_PAGE = _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Items per page.")
SEARCH = _query("search", {"type": "string", "maxLength": 200}, "Text in the name or city.")
TERM = _query(
    "taxonomy_term_id",
    {"type": "string", "pattern": UUID_LIST_PATTERN},
    "Only services with this term (or with all of several comma-separated terms).",
)
ORG = _query("organization_id", UUID_SCHEMA, "Only this organization's services.")
POSTCODE = _query("postcode", {"type": "string", "pattern": "^[0-9]{5}$"}, "U.S. ZIP code to measure from.")
PROXIMITY = _query(
    "proximity",
    {"type": "number", "minimum": 1, "maximum": MAX_PROXIMITY_METERS},
    "Radius in meters around the postcode (default 40,234 m = 25 miles); needs postcode.",
)
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
OBJECT = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
NAMED = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}


def _page_of(item: Json) -> Json:
    return {
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "contents"],
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer"},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": item},
        },
    }


def _ok(schema: Json, description: str) -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = _ok(
    {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
    },
    "A parameter is wrong; `parameter` names it.",
)
NOT_FOUND = _ok({"type": "object", "properties": {"error": {"type": "string"}}}, "No such object.")


def _list(op: str, summary: str, item: Json, params: list[Json]) -> Json:
    return {
        "get": {
            "operationId": op,
            "summary": summary,
            "parameters": params,
            "responses": {"200": _ok(_page_of(item), summary), "400": ERROR},
        }
    }


def _detail(op: str, summary: str, item: Json) -> Json:
    return {
        "parameters": [ID],
        "get": {
            "operationId": op,
            "summary": summary,
            "responses": {"200": _ok(item, summary), "404": NOT_FOUND},
        },
    }


def openapi_document() -> Json:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Clearline treatment directory (HSDS 3.0)",
            "version": "3.0",
            "description": "Read-only Open Referral HSDS 3.0 API over SAMHSA's National Directory 2022.",
        },
        "servers": [{"url": "/api/hsds"}],
        "paths": {
            "/": {
                "get": {
                    "operationId": "getAPIMetaInformation",
                    "responses": {"200": _ok(OBJECT | {"required": []}, "About this API")},
                }
            },
            "/services": _list(
                "getPaginatedListOfServices", "Services", NAMED, [SEARCH, PAGE, PER_PAGE, TERM, ORG]
            ),
            "/services/{id}": _detail("getFullyNestedServiceById", "A fully nested service", NAMED),
            "/service_at_locations": _list(
                "getPaginatedListOfServiceAtLocations",
                "Services at locations, nearest first when a postcode is given",
                OBJECT,
                [SEARCH, PAGE, PER_PAGE, TERM, ORG, POSTCODE, PROXIMITY],
            ),
            "/service_at_locations/{id}": _detail(
                "getServiceAtLocationById", "A service at a location", OBJECT
            ),
            "/organizations": _list(
                "getPaginatedListOfOrganizations", "Organizations", NAMED, [SEARCH, PAGE, PER_PAGE]
            ),
            "/organizations/{id}": _detail("getOrganizationById", "An organization with its services", NAMED),
            "/taxonomies": _list(
                "getPaginatedListOfTaxonomies", "Taxonomies", NAMED, [SEARCH, PAGE, PER_PAGE]
            ),
            "/taxonomies/{id}": _detail("getTaxonomyById", "A taxonomy", NAMED),
            "/taxonomy_terms": _list(
                "getPaginatedListOfTaxonomyTerms",
                "Taxonomy terms (SAMHSA categories and service codes)",
                NAMED,
                [
                    SEARCH,
                    PAGE,
                    PER_PAGE,
                    _query("taxonomy_id", UUID_SCHEMA, "Only this taxonomy's terms."),
                    _query("parent_id", UUID_SCHEMA, "Only this term's children."),
                    _query("top_only", {"type": "boolean"}, "Only categories (terms without a parent)."),
                ],
            ),
            "/taxonomy_terms/{id}": _detail("getTaxonomyTermById", "A taxonomy term", NAMED),
        },
    }
