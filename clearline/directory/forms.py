from __future__ import annotations

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
                label=group.label,
                choices=[(c.value, c.label) for c in group.choices],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[group.param] for group in FILTER_GROUPS]

    def code_sets(self) -> list[tuple[str, ...]]:
        chosen = []
        for group in FILTER_GROUPS:
            for value in self.cleaned_data.get(group.param) or []:
                choice = group.choice(value)
                if choice:
                    chosen.append(choice.codes)
        return chosen
