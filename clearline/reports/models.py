"""Daily figures, computed by the worker (``compute_daily_figures``) and added up into the monthly figures.

A day is the operator's local day (settings.TIME_ZONE). Rows are recomputed (upserted) from the call records
until the day is over and none of its callbacks is still open; after that they are what the published figures
read, and the call-detail purge (``purge_call_details``) only touches calls of such days.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyProviderFigures(models.Model):
    """One provider's figures for one day. Counts only: no fee, price or money field (DESIGN.md rule 2)."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="daily_figures")
    date = models.DateField(_("day"), help_text=_("In the operator's time zone."))
    offered = models.PositiveIntegerField(default=0, help_text=_("Distinct calls that rang this provider."))
    answered = models.PositiveIntegerField(
        default=0, help_text=_("Calls this provider accepted (pressed 1).")
    )
    answer_seconds = models.JSONField(
        default=list, help_text=_("Seconds from ringing to acceptance, one per answered call, sorted.")
    )
    callbacks_assigned = models.PositiveIntegerField(default=0)
    callbacks_on_time = models.PositiveIntegerField(default=0)
    callbacks_late = models.PositiveIntegerField(default=0)
    callbacks_open = models.PositiveIntegerField(default=0)
    callbacks_not_returned = models.PositiveIntegerField(default=0)
    helpline_connected = models.PositiveIntegerField(
        default=0, help_text=_("General helpline calls connected to this provider.")
    )
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "date"], name="one_figures_row_per_provider_day")
        ]
        indexes = [models.Index(fields=["date"])]
        verbose_name_plural = "daily provider figures"

    def __str__(self) -> str:
        return f"{self.provider_id} {self.date}: {self.answered}/{self.offered}"


class DailyTotals(models.Model):
    """All providers together for one day; its presence says the day was computed (even with no calls)."""

    date = models.DateField(unique=True, help_text=_("In the operator's time zone."))
    offered = models.PositiveIntegerField(default=0, help_text=_("Distinct calls that rang any provider."))
    answered = models.PositiveIntegerField(default=0)
    helpline_connected = models.PositiveIntegerField(default=0)
    callbacks_open = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    complete = models.BooleanField(
        default=False, help_text=_("Computed after the day ended: its call counts can no longer change.")
    )

    class Meta:
        verbose_name_plural = "daily totals"

    def __str__(self) -> str:
        return f"{self.date}: {self.answered}/{self.offered}"

    @property
    def final(self) -> bool:
        """Nothing in this day's figures can change any more."""
        return self.complete and self.callbacks_open == 0
