"""Operator routing settings, versioned: every change is a new row, the newest row is in force.

The routing engine reads them as a ``RoutingPolicy`` (its ``version`` goes into every decision trace), and the
public disclosure states the wave size from the same row, so what callers are told and what the router does
cannot drift apart. Rows are never edited or deleted; the audit log records each new version and who made it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clearline.routing import RoutingPolicy


class RoutingSettingsQuerySet(models.QuerySet["RoutingSettings"]):
    def current(self) -> RoutingSettings | None:
        return self.order_by("-id").first()

    # Bulk edits and deletes would bypass the model's refusal (and the audit log) just the same.
    def update(self, **kwargs: Any) -> int:
        raise ValidationError("Routing settings versions are never edited; save a new version instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("Routing settings versions are never deleted.")


class RoutingSettings(models.Model):
    wave_size = models.PositiveSmallIntegerField(
        _("providers rung at once"), default=2, help_text=_("1 = one provider at a time. Stated publicly.")
    )
    later_wave_size = models.PositiveSmallIntegerField(
        _("providers rung at once after the first wave"),
        null=True,
        blank=True,
        help_text=_("Empty = the same as the first wave."),
    )
    ring_timeout_s = models.PositiveSmallIntegerField(
        _("ring time per wave (seconds)"), default=13, help_text=_("5 to 20 seconds.")
    )
    ring_budget_s = models.PositiveSmallIntegerField(
        _("total ringing before a callback is offered (seconds)"), default=40
    )
    repeat_rounds = models.BooleanField(_("ring the list again while time remains"), default=True)
    callbacks = models.BooleanField(_("offer callbacks when nobody answers"), default=True)
    callback_deadline_min = models.PositiveSmallIntegerField(
        _("default callback deadline (minutes)"), default=15
    )
    callback_max_per_line = models.FloatField(_("open callbacks per line before callbacks stop"), default=1.0)
    auto_pause_after = models.PositiveSmallIntegerField(_("unanswered offers before auto-pause"), default=3)
    auto_pause_window_min = models.PositiveSmallIntegerField(_("auto-pause window (minutes)"), default=60)
    continuity_days = models.PositiveSmallIntegerField(
        _("repeat callers go first to their last provider for (days)"),
        default=0,
        help_text=_(
            "0 = off. Otherwise, when a general helpline caller was answered by a provider within this many "
            "days, the provider who answered the latest such call is rung first, in the first wave, if it is "
            "eligible now; the fair rotation orders the rest. Callers are recognised by their number (kept as a "
            "keyed hash), so a withheld number never is. The decision trace records when this applied."
        ),
    )
    note = models.CharField(_("reason for the change"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoutingSettingsQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("routing settings version")
        verbose_name_plural = _("routing settings versions")
        get_latest_by = "id"

    def __str__(self) -> str:
        return f"Routing settings v{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Versions are append-only: a change is a new row, so every trace's version names what was in force.
        if self.pk is not None:
            raise ValidationError("Routing settings versions are never edited; save a new version instead.")
        self.full_clean()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Routing settings versions are never deleted.")

    @property
    def version_label(self) -> str:
        return f"settings-v{self.pk}" if self.pk else "settings-default"

    def to_policy(self, disclosure_version: int | str = "1") -> RoutingPolicy:
        return RoutingPolicy(
            version=self.version_label,
            disclosure_version=str(disclosure_version),
            wave_size=self.wave_size,
            later_wave_size=self.later_wave_size,
            ring_timeout_s=self.ring_timeout_s,
            ring_budget_s=self.ring_budget_s,
            repeat_rounds=self.repeat_rounds,
            callbacks=self.callbacks,
            callback_deadline_min=self.callback_deadline_min,
            callback_max_per_line=self.callback_max_per_line,
            auto_pause_after=self.auto_pause_after,
            auto_pause_window_min=self.auto_pause_window_min,
            continuity_days=self.continuity_days,
            keys_while_ringing=settings.CLEARLINE_KEYS_WHILE_RINGING,
        )

    def clean(self) -> None:
        """Each rule the routing engine enforces, explained on the field it concerns."""
        errors: dict[str, Any] = {}
        if self.wave_size is not None and not 1 <= self.wave_size <= 5:
            errors["wave_size"] = _("Ring between 1 and 5 providers at once.")
        if self.later_wave_size is not None and not 1 <= self.later_wave_size <= 5:
            errors["later_wave_size"] = _("Ring between 1 and 5 providers at once.")
        if self.ring_timeout_s is not None and not 5 <= self.ring_timeout_s <= 20:
            errors["ring_timeout_s"] = _(
                "Ring each wave for 5 to 20 seconds: shorter gives nobody time to answer, longer keeps the "
                "caller waiting."
            )
        elif (
            self.ring_budget_s is not None
            and self.ring_timeout_s is not None
            and self.ring_budget_s < self.ring_timeout_s
        ):
            errors["ring_budget_s"] = _("The total ringing time must be at least one wave's ring time.")
        if self.callback_deadline_min is not None and self.callback_deadline_min < 1:
            errors["callback_deadline_min"] = _("Give providers at least 1 minute to return a callback.")
        if self.auto_pause_after is not None and self.auto_pause_after < 1:
            errors["auto_pause_after"] = _("Pause after at least 1 unanswered offer.")
        if self.auto_pause_window_min is not None and self.auto_pause_window_min < 1:
            errors["auto_pause_window_min"] = _("The window must be at least 1 minute.")
        if self.callback_max_per_line is not None and self.callback_max_per_line <= 0:
            errors["callback_max_per_line"] = _("Must be more than 0.")
        if errors:
            raise ValidationError(errors)
        try:
            self.to_policy()
        except (ValueError, TypeError) as error:
            raise ValidationError(str(error)) from error

    def changes_from(self, previous: RoutingSettings | None) -> dict[str, tuple[Any, Any]]:
        """Field name -> (before, after) for the settings that differ from the previous version (all of
        them against the defaults when this is the first version)."""
        before = previous or default_routing_settings()
        return {
            name: (getattr(before, name), getattr(self, name))
            for name in SETTING_FIELDS
            if getattr(before, name) != getattr(self, name)
        }

    def previous_version(self) -> RoutingSettings | None:
        if self.pk is None:
            return RoutingSettings.objects.current()
        return RoutingSettings.objects.filter(pk__lt=self.pk).order_by("-id").first()


SETTING_FIELDS = (
    "wave_size",
    "later_wave_size",
    "ring_timeout_s",
    "ring_budget_s",
    "repeat_rounds",
    "callbacks",
    "callback_deadline_min",
    "callback_max_per_line",
    "auto_pause_after",
    "auto_pause_window_min",
    "continuity_days",
)


def default_routing_settings() -> RoutingSettings:
    """What is in force before an operator saves the first version: the defaults, with the wave size from
    ``CLEARLINE_ROUTING_WAVE_SIZE``. Not saved."""
    return RoutingSettings(wave_size=settings.CLEARLINE_ROUTING_WAVE_SIZE, note="defaults")


def current_routing_settings() -> RoutingSettings:
    return RoutingSettings.objects.current() or default_routing_settings()
