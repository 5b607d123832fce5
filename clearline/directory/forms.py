from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .filters import FILTER_GROUPS
from .search import DEFAULT_RADIUS, RADII_MILES


class SearchForm(forms.Form):
    """The search page's query string. Every field is optional; an invalid value is ignored, never a 500."""

    place = forms.CharField(
        label=_("ZIP code, city and state, or state"), max_length=100, required=False, strip=True
    )
    radius = forms.TypedChoiceField(
        label=_("Distance"),
        choices=[(r, _("Within %(miles)s miles") % {"miles": r}) for r in RADII_MILES],
        coerce=int,
        initial=DEFAULT_RADIUS,
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

    @property
    def has_filters(self) -> bool:
        return self.is_bound and any(self.data.get(group.param) for group in FILTER_GROUPS)

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
