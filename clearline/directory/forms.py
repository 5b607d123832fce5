from __future__ import annotations

from functools import cached_property
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .filters import FILTER_GROUPS
from .search import DEFAULT_RADIUS, RADII_MILES, SORTS


def _within(miles: int) -> str:
    return gettext("Within %(miles)s miles") % {"miles": miles}


# Formatted when shown, in the page's language (formatting a lazy string at import time froze it in English).
_within_lazy = lazy(_within, str)


class SearchForm(forms.Form):
    """The search page's query string. Every field is optional; an invalid value is ignored, never a 500."""

    place = forms.CharField(
        label=_("ZIP code, city and state, or state"), max_length=100, required=False, strip=True
    )
    radius = forms.TypedChoiceField(
        label=_("Distance"),
        choices=[(r, _within_lazy(r)) for r in RADII_MILES],
        coerce=int,
        initial=DEFAULT_RADIUS,
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[("distance", _("Distance")), ("name", _("Name"))],
        initial="distance",
        required=False,
    )
    lat = forms.FloatField(min_value=-90, max_value=90, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for group in FILTER_GROUPS:
            self.fields[group.param] = forms.MultipleChoiceField(
                label=str(group.label),
                choices=[(c.value, c.label) for c in group.choices],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    @classmethod
    def from_query(cls, query: QueryDict) -> SearchForm:
        """The form for a query string; a missing or unknown radius or sort becomes the default that is searched,
        so the select shows the radius the results are for (a search from that form searches it again)."""
        if not query:
            return cls()
        data = query.copy()
        if data.get("radius") not in {str(r) for r in RADII_MILES}:
            data["radius"] = str(DEFAULT_RADIUS)
        if data.get("sort") not in SORTS:
            data["sort"] = SORTS[0]
        return cls(data)

    @property
    def has_filters(self) -> bool:
        return self.is_bound and any(self.data.get(group.param) for group in FILTER_GROUPS)

    @property
    def filter_count(self) -> int:
        """How many filter values are chosen (shown on the closed filter panel)."""
        if not self.is_bound:
            return 0
        data: QueryDict = self.data  # type: ignore[assignment]
        return sum(len(data.getlist(group.param)) for group in FILTER_GROUPS)

    @cached_property
    def selects(self) -> dict[str, dict[str, Any]]:
        """The radius and sort selects as plain data, for the same reason as filter_groups below."""
        out: dict[str, dict[str, Any]] = {}
        for name in ("radius", "sort"):
            field = self.fields[name]
            chosen = str(self.data.get(name) if self.is_bound else field.initial)
            out[name] = {
                "label": field.label,
                "options": [
                    {"value": value, "label": label, "selected": str(value) == chosen}
                    for value, label in field.choices  # type: ignore[attr-defined]
                ],
            }
        return out

    def filter_groups(self) -> list[dict[str, Any]]:
        """The checkboxes, as plain data: rendering 60 widgets through Django's widget templates costs ~10 ms."""
        out: list[dict[str, Any]] = []
        for group in FILTER_GROUPS:
            chosen = set(self.data.getlist(group.param)) if self.is_bound else set()  # type: ignore[attr-defined]
            out.append(
                {
                    "param": group.param,
                    "label": group.label,
                    "choices": [
                        {
                            "value": c.value,
                            "label": c.label,
                            "checked": c.value in chosen,
                            "id": f"f-{group.param}-{c.value}",
                        }
                        for c in group.choices
                    ],
                }
            )
        return out

    def code_sets(self) -> list[tuple[str, ...]]:
        chosen = []
        for group in FILTER_GROUPS:
            for value in self.cleaned_data.get(group.param) or []:
                choice = group.choice(value)
                if choice:
                    chosen.append(choice.codes)
        return chosen
