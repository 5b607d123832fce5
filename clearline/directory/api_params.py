"""Query-parameter parsing for the HSDS API: every bad value raises ApiError naming its parameter."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.http import QueryDict

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PROXIMITY_METERS = 805_000  # about 500 miles
# Strict forms, so the API refuses exactly what its OpenAPI document says it refuses (Python's int(), float()
# and UUID() would also take " 7", "1_000" or "{…}").
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
UUID_LIST_PATTERN = f"^{UUID_PATTERN}(,{UUID_PATTERN}){{0,9}}$"
INTEGER_RE = re.compile(r"^-?[0-9]+$")
NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
UUID_RE = re.compile(f"^{UUID_PATTERN}$")


@dataclass
class ApiError(Exception):
    parameter: str
    message: str


def integer(params: QueryDict, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not INTEGER_RE.match(raw):
        raise ApiError(name, f"{name} must be a whole number.")
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ApiError(name, f"{name} must be between {minimum} and {maximum}.")
    return value


def number(params: QueryDict, name: str, minimum: float, maximum: float) -> float | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not NUMBER_RE.match(raw):
        raise ApiError(name, f"{name} must be a number.")
    value = float(raw)
    if not minimum <= value <= maximum:  # also refuses nan
        raise ApiError(name, f"{name} must be between {minimum:g} and {maximum:g}.")
    return value


def uuid_param(params: QueryDict, name: str) -> uuid.UUID | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not UUID_RE.match(raw):
        raise ApiError(name, f"{name} must be a UUID.")
    return uuid.UUID(raw)


def uuid_list(params: QueryDict, name: str, limit: int = 10) -> list[uuid.UUID]:
    """Comma-separated ids (an extension of HSDS's single id): every one must match."""
    raw = params.get(name)
    if raw is None:
        return []
    parts = raw.split(",")
    if len(parts) > limit:
        raise ApiError(name, f"{name} takes at most {limit} ids.")
    if not all(UUID_RE.match(part) for part in parts):
        raise ApiError(name, f"{name} must be a UUID or comma-separated UUIDs.")
    return [uuid.UUID(part) for part in parts]


def text(params: QueryDict, name: str, max_length: int = 200) -> str:
    raw = params.get(name) or ""
    if len(raw) > max_length:
        raise ApiError(name, f"{name} must be at most {max_length} characters.")
    value = " ".join(raw.split())
    return value.replace("\x00", "")  # PostgreSQL refuses NUL in a query parameter


def postcode(params: QueryDict) -> str:
    raw = params.get("postcode")
    if raw is None:
        return ""
    if not re.match(r"^[0-9]{5}$", raw):
        raise ApiError("postcode", "postcode must be a five-digit U.S. ZIP code.")
    return raw


def boolean(params: QueryDict, name: str) -> bool | None:
    raw = params.get(name)
    if raw is None:
        return None
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise ApiError(name, f"{name} must be true or false.")


def paging(params: QueryDict) -> tuple[int, int]:
    page = integer(params, "page", 1, 1, 1_000_000)
    per_page = integer(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return page, per_page
