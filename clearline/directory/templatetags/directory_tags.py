from __future__ import annotations

from django import template

from ..filters import labels_for
from ..models import Facility

register = template.Library()


@register.simple_tag
def facility_labels(facility: Facility, param: str) -> list[str]:
    return labels_for(facility.service_codes, param)


@register.filter
def miles(distance: float | None) -> str:
    if distance is None:
        return ""
    return f"{distance:.1f}"
