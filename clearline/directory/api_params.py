"""Query-parameter parsing for the HSDS API: every bad value raises ApiError naming its parameter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.http import QueryDict

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
MAX_PROXIMITY_METERS = 805_000  # about 500 miles


@dataclass
class ApiError(Exception):
    parameter: str
    message: str


def integer(params: QueryDict, name: str, default: int, minimum: int, maximum: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(name, f"{name} must be a whole number.") from None
    if not minimum <= value <= maximum:
        raise ApiError(name, f"{name} must be between {minimum} and {maximum}.")
    return value


def number(params: QueryDict, name: str, minimum: float, maximum: float) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(name, f"{name} must be a number.") from None
    if not minimum <= value <= maximum:  # also refuses nan
        raise ApiError(name, f"{name} must be between {minimum:g} and {maximum:g}.")
    return value


def uuid_param(params: QueryDict, name: str) -> uuid.UUID | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ApiError(name, f"{name} must be a UUID.") from None


def uuid_list(params: QueryDict, name: str, limit: int = 10) -> list[uuid.UUID]:
    """Comma-separated ids (an extension of HSDS's single id): every one must match."""
    raw = [part.strip() for part in ",".join(params.getlist(name)).split(",") if part.strip()]
    if len(raw) > limit:
        raise ApiError(name, f"{name} takes at most {limit} ids.")
    try:
        return [uuid.UUID(part) for part in raw]
    except ValueError:
        raise ApiError(name, f"{name} must be a UUID or comma-separated UUIDs.") from None


def text(params: QueryDict, name: str, max_length: int = 200) -> str:
    value = " ".join((params.get(name) or "").split())
    if len(value) > max_length:
        raise ApiError(name, f"{name} must be at most {max_length} characters.")
    if "\x00" in value:
        raise ApiError(name, f"{name} must not contain NUL characters.")
    return value


def boolean(params: QueryDict, name: str) -> bool | None:
    raw = (params.get(name) or "").lower()
    if raw == "":
        return None
    if raw in ("true", "1"):
        return True
    if raw in ("false", "0"):
        return False
    raise ApiError(name, f"{name} must be true or false.")


def paging(params: QueryDict) -> tuple[int, int]:
    page = integer(params, "page", 1, 1, 1_000_000)
    per_page = integer(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    return page, per_page
