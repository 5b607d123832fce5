"""What routing needs to know about a provider: hours, lines, caps, regions, languages, documents, pauses.

Kept apart from the Provider's public profile in models.py. None of it is money: routing never sees fees.
"""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("%(value)s is not an IANA time zone such as America/Chicago.") % {"value": value}
        ) from exc


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening range on a weekday, in the provider's time zone. A range ending before it starts runs past
    midnight into the next day; 00:00-00:00 means the whole day."""

    provider = ParentalKey("providers.Provider", on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ClosureDay(models.Model):
    """A holiday or one-off exception on a local date: closed all day, or open only for the given range."""

    provider = ParentalKey("providers.Provider", on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    opens = models.TimeField(null=True, blank=True, help_text=_("Leave both times empty for closed all day."))
    closes = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "date"], name="one_exception_per_provider_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}".strip()

    def clean(self) -> None:
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(_("Give both opening and closing times, or neither for a closed day."))
