"""Forms: they parse and explain bad input; the service functions decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clearline.portal.queries import OUTCOME_FILTERS
from clearline.providers.accounts import Invitation, MembershipRole
from clearline.providers.availability import MAX_BEDS, MAX_LINES
from clearline.providers.operations import Weekday
from clearline.telephony.models import CallbackOutcome

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The years a date or month on a portal page may name. Outside them a day's bounds in a time zone, or the month
# after, fall off the calendar Python can represent (year 1 to 9999): refused with a message, never a 500.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def check_year(value: dt.date) -> None:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Choose a date between %(first)s and %(last)s."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class CallFilterForm(forms.Form):
    first = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET, validators=[check_year])
    last = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET, validators=[check_year])
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All calls")), *OUTCOME_FILTERS.items()],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end date is before the start date."))
        return data


class CallbackActionForm(forms.Form):
    """The hidden field is the number of reassignments the page saw: a form from before a reassignment fails."""

    seen = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class CallbackOutcomeForm(CallbackActionForm):
    outcome = forms.ChoiceField(
        label=_("What happened?"), choices=CallbackOutcome.choices, widget=forms.RadioSelect
    )


class WeeklyHoursForm(forms.Form):
    """Each weekday has a few opening ranges (time inputs, left empty for none), in the provider's time zone."""

    open_24_7 = forms.BooleanField(label=_("Open 24 hours, 7 days"), required=False)

    def __init__(self, *args: Any, current: list[tuple[int, dt.time, dt.time]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        current = current or []
        self.slots: dict[int, int] = {}
        for weekday in Weekday:
            existing = [(o, c) for d, o, c in current if d == weekday.value]
            self.slots[weekday.value] = max(2, len(existing) + 1)
            for index in range(self.slots[weekday.value]):
                opens, closes = existing[index] if index < len(existing) else (None, None)
                for part, value in (("opens", opens), ("closes", closes)):
                    label = (
                        _("%(day)s, range %(n)s, opens")
                        if part == "opens"
                        else _("%(day)s, range %(n)s, closes")
                    ) % {"day": weekday.label, "n": index + 1}
                    self.fields[self.field_name(weekday.value, index, part)] = forms.TimeField(
                        label=label, required=False, widget=TIME_WIDGET, initial=value
                    )

    @staticmethod
    def field_name(weekday: int, index: int, part: str) -> str:
        return f"d{weekday}_{index}_{part}"

    def days(self) -> list[tuple[str, list[tuple[forms.BoundField, forms.BoundField]]]]:
        """For the template: each weekday's label and its (opens, closes) pairs of bound fields."""
        return [
            (
                str(weekday.label),
                [
                    (
                        self[self.field_name(weekday.value, i, "opens")],
                        self[self.field_name(weekday.value, i, "closes")],
                    )
                    for i in range(self.slots[weekday.value])
                ],
            )
            for weekday in Weekday
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ranges = []
        for weekday in Weekday:
            for index in range(self.slots[weekday.value]):
                opens_name = self.field_name(weekday.value, index, "opens")
                closes_name = self.field_name(weekday.value, index, "closes")
                opens, closes = data.get(opens_name), data.get(closes_name)
                if opens_name in self.errors or closes_name in self.errors:
                    continue
                if (opens is None) != (closes is None):
                    missing = closes_name if closes is None else opens_name
                    self.add_error(
                        missing,
                        _("%(day)s: give both the opening and the closing time, or leave both empty.")
                        % {"day": weekday.label},
                    )
                elif opens is not None and closes is not None:
                    ranges.append((weekday.value, opens, closes))
        data["ranges"] = ranges
        return data


class ClosureForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    opens = forms.TimeField(
        label=_("Opens (optional)"),
        required=False,
        widget=TIME_WIDGET,
        help_text=_("Leave both times empty for a day closed."),
    )
    closes = forms.TimeField(label=_("Closes (optional)"), required=False, widget=TIME_WIDGET)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=120)


class LinesForm(forms.Form):
    lines = forms.IntegerField(
        label=_("Concurrent lines"),
        min_value=1,
        max_value=MAX_LINES,
        help_text=_("How many calls may ring or be in progress at once."),
        error_messages={
            "min_value": _("At least 1 line. To stop calls for a while, pause instead."),
            "max_value": _("At most %(limit_value)s lines."),
        },
    )


class BedsForm(forms.Form):
    beds = forms.IntegerField(
        label=_("Beds available now"),
        min_value=0,
        max_value=MAX_BEDS,
        required=False,
        help_text=_("Leave empty if you do not know."),
        error_messages={
            "min_value": _("The number of beds cannot be negative."),
            "max_value": _("At most %(limit_value)s beds."),
        },
    )


class InviteForm(forms.Form):
    # The invitation's column holds 254 characters; a form's EmailField allows 320 by default.
    email = forms.EmailField(
        label=_("Email address"), max_length=Invitation._meta.get_field("email").max_length
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.AGENT)


class MonthForm(forms.Form):
    month = forms.RegexField(
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Choose a month as YYYY-MM.")},
    )

    def clean_month(self) -> str:
        month = str(self.cleaned_data["month"] or "")
        if month and not FIRST_YEAR <= int(month[:4]) <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choose a month between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return month
