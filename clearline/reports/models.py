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
    # The day's general helpline calls as a caller lived them (``call_figures``); None on a row stored before
    # these were kept: such a day's calls are counted from the call records instead.
    helpline_calls = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("General helpline calls started this day that have ended.")
    )
    abandoned = models.PositiveIntegerField(
        default=0, help_text=_("Of them, calls the caller hung up before reaching a person.")
    )
    calls_in_progress = models.PositiveIntegerField(
        default=0, help_text=_("General helpline calls started this day not ended when it was computed.")
    )
    no_provider = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Ended calls that reached no provider: {where they went: calls}."),
    )

    class Meta:
        verbose_name_plural = "daily totals"

    def __str__(self) -> str:
        return f"{self.date}: {self.answered}/{self.offered}"

    @property
    def final(self) -> bool:
        """Nothing in this day's figures can change any more."""
        return self.complete and self.callbacks_open == 0


class RoutingLogHead(models.Model):
    """The routing log's one head row (pk 1): the last entry appended and the lowest call id that may still be
    unchained. Appends lock it (SELECT ... FOR UPDATE), so two workers append one linear chain."""

    sequence = models.PositiveBigIntegerField(default=0, help_text=_("The last entry's sequence number."))
    entry_hash = models.CharField(max_length=64, default="0" * 64, help_text=_("The last entry's hash."))
    period = models.DateField(null=True, blank=True, help_text=_("The last entry's month (its first day)."))
    low_water = models.PositiveBigIntegerField(
        default=0, help_text=_("Calls with a lower id are all chained (a scan starts a little below it).")
    )

    def __str__(self) -> str:
        return f"routing log head #{self.sequence}"


class RoutingLogEntry(models.Model):
    """One call's decision trace, chained: ``entry_hash`` = SHA-256 of the previous entry's hash and the canonical
    JSON of the call's trace and identifying fields (``routing_log.payload``). Never updated once written.

    The call is named by id (and CallSid) without a foreign key, so an entry outlives a deleted call and the
    verification can name it."""

    sequence = models.PositiveBigIntegerField(unique=True)
    call_pk = models.BigIntegerField(unique=True, help_text=_("The call's id (no foreign key: see above)."))
    call_sid = models.CharField(max_length=64)
    ordered_at = models.DateTimeField(help_text=_("The call's end (or start, for a call never ended)."))
    period = models.DateField(help_text=_("The log month this entry belongs to (its first day)."))
    entry_hash = models.CharField(max_length=64)
    appended_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["period", "sequence"])]
        verbose_name_plural = "routing log entries"

    def __str__(self) -> str:
        return f"#{self.sequence} call {self.call_pk}"


class RoutingLogMonth(models.Model):
    """A finished log month, sealed: its digest (the hash of its last entry, or the previous month's digest when it
    has none) is what the transparency page publishes. Written once, when the month is over."""

    period = models.DateField(unique=True, help_text=_("The month's first day (operator's time zone)."))
    first_sequence = models.PositiveBigIntegerField(help_text=_("Its first entry (= last + 1 when empty)."))
    last_sequence = models.PositiveBigIntegerField()
    start_hash = models.CharField(max_length=64, help_text=_("The hash the month's chain starts from."))
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["period"]

    def __str__(self) -> str:
        return f"{self.period:%Y-%m}: {self.digest[:12]}"

    @property
    def calls(self) -> int:
        return self.last_sequence - self.first_sequence + 1
