"""The figures dashboards' GET form: a date range, and for operators a helpline number and a provider.

An empty form means the last ``DEFAULT_DAYS`` days up to today (the operator's days). A bad value is explained
beside its field and no figures are shown until it is fixed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clearline.content.models import Helpline
from clearline.providers.models import Provider
from clearline.reports.call_rows import Period
from clearline.reports.figures import local_today, operator_zone

DEFAULT_DAYS = 30
MAX_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"


class FiguresFilters(forms.Form):
    max_days = MAX_DAYS
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text=_("First day (YYYY-MM-DD)."),
        error_messages={"invalid": _("Enter a day as YYYY-MM-DD, for example 2026-11-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        help_text=_("Last day, included (YYYY-MM-DD)."),
        error_messages={"invalid": _("Enter a day as YYYY-MM-DD, for example 2026-11-30.")},
    )
    helpline = forms.TypedChoiceField(label=_("Number"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = local_today()
            self.initial.setdefault("start", today - dt.timedelta(days=DEFAULT_DAYS - 1))
            self.initial.setdefault("end", today)
        cast(forms.ChoiceField, self.fields["helpline"]).choices = [("", _("every number"))] + [
            (h.pk, f"{h.label} {h.display_number}") for h in Helpline.objects.order_by("label", "pk")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = local_today()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            raise ValidationError(_("The first day is after the last day: swap them, or pick another range."))
        if (end - start).days + 1 > self.max_days:
            raise ValidationError(
                _("Pick at most %(days)s days at a time (this range has %(asked)s).")
                % {"days": self.max_days, "asked": (end - start).days + 1}
            )
        data["start"], data["end"] = start, end
        return data

    def period(self) -> Period | None:
        """The period asked for, or None while the form has errors (an unbound form: the default period)."""
        if not self.is_bound:
            return Period(self.initial["start"], self.initial["end"], operator_zone())
        if not self.is_valid():
            return None
        data = self.cleaned_data
        return Period(
            data["start"],
            data["end"],
            operator_zone(),
            helpline_id=data.get("helpline"),
            provider_id=data.get("provider"),
        )


class OperatorFiguresFilters(FiguresFilters):
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        providers = Provider.objects.order_by("name", "pk").values_list("pk", "name")
        cast(forms.ChoiceField, self.fields["provider"]).choices = [("", _("every provider")), *providers]


class PortalFiguresFilters(FiguresFilters):
    """A provider's own figures: its share row compares it with every provider's calls of the range, read in full
    for each page and CSV, so a provider member may ask for about a quarter at a time (operators: a year)."""

    max_days = 92
