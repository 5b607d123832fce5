"""Participating providers: the paid-advertiser treatment providers who answer general helpline calls.

Money rule (DESIGN.md rule 2): a provider pays a flat periodic fee under a ``Contract``, the same for every
participating provider. No field anywhere prices a call, lead or admission, and nothing here feeds routing
order; call counts feed reports, never invoices.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel

from clearline.lib.locks import hold_lock
from clearline.lib.phone import validate_e164
from clearline.providers.accounts import Invitation, Membership, MembershipRole
from clearline.providers.operations import ClosureDay, OpeningHours, validate_timezone
from clearline.providers.routing_settings import RoutingSettings
from clearline.routing import Intent

__all__ = [
    "ClosureDay",
    "Contract",
    "ContractPeriod",
    "Invitation",
    "Membership",
    "MembershipRole",
    "OpeningHours",
    "Provider",
    "RoutingSettings",
]


# The routing lists typed in the back office as JSON. Each must be a list of such strings: anything else would
# silently change who the provider serves (a string "en" is the letters e and n) or, for call types, stop the
# roster of every provider from being built (an unknown type cannot become an Intent).
ROUTING_LISTS: dict[str, tuple[re.Pattern[str], Any]] = {
    "states": (
        re.compile(r"[A-Z]{2}"),
        _(
            'A list of two-letter state codes in capitals and quotes, e.g. ["WA", "OR"], or [] for everywhere.'
        ),
    ),
    "zip_prefixes": (
        re.compile(r"[0-9]{1,5}"),
        _('A list of ZIP code beginnings in quotes, 1 to 5 digits each, e.g. ["981", "98052"], or [].'),
    ),
    "languages": (
        re.compile(r"[a-z]{2,3}"),
        _('A list of language codes in quotes, e.g. ["en", "es"], or [] for English only.'),
    ),
    "intents": (
        re.compile("|".join(re.escape(intent.value) for intent in Intent)),
        _('A list taken from "detox", "rehabilitation" and "hotline", e.g. ["detox"], or [] for all.'),
    ),
}


def routing_list_errors(provider: Any) -> dict[str, Any]:
    errors = {}
    for name, (pattern, message) in ROUTING_LISTS.items():
        value = getattr(provider, name)
        if not isinstance(value, list) or not all(
            isinstance(item, str) and pattern.fullmatch(item) for item in value
        ):
            errors[name] = message
    return errors


class ProviderQuerySet(models.QuerySet["Provider"]):
    def participating(self, on: dt.date | None = None) -> ProviderQuerySet:
        """Active providers with a contract running on the given day (today by default)."""
        day = on or timezone.localdate()
        running = Contract.objects.running_on(day).values("provider_id")
        return self.filter(active=True, pk__in=running).order_by("name", "pk")


class Provider(ClusterableModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    public_description = models.TextField(
        _("public description"), help_text=_("Shown to callers and visitors; what care the provider offers.")
    )
    website = models.URLField(_("website"), blank=True)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive providers never receive calls and are not named.")
    )

    # How calls reach the provider (routing inputs; never anything priced).
    phone = models.CharField(
        _("answering phone (E.164)"),
        max_length=16,
        blank=True,
        validators=[validate_e164],
        help_text=_("The number the helpline rings for this provider."),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    open_24_7 = models.BooleanField(_("open 24/7"), default=False)
    lines = models.PositiveSmallIntegerField(
        _("concurrent lines"), default=1, help_text=_("Calls ringing or in progress at once.")
    )
    daily_cap = models.PositiveIntegerField(
        _("daily cap"), null=True, blank=True, help_text=_("Most calls per local day; empty for no cap.")
    )
    states = models.JSONField(
        _("states served"),
        default=list,
        blank=True,
        help_text=_('Two-letter codes, e.g. ["WA", "OR"]; empty for everywhere.'),
    )
    zip_prefixes = models.JSONField(_("ZIP prefixes served"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_('e.g. ["en", "es"]'))
    intents = models.JSONField(
        _("call types"),
        default=list,
        blank=True,
        help_text=_('Subset of ["detox", "rehabilitation", "hotline"]; empty for all.'),
    )
    license_number = models.CharField(_("state license number"), max_length=60, blank=True)
    license_expires_on = models.DateField(_("license valid through"), null=True, blank=True)
    certification_expires_on = models.DateField(_("certification valid through"), null=True, blank=True)
    paused = models.BooleanField(_("paused"), default=False, help_text=_("Paused by staff or the provider."))
    auto_paused = models.BooleanField(
        _("paused after unanswered calls"),
        default=False,
        help_text=_("Set by the router after repeated unanswered offers; clear it to resume."),
    )
    offers_counted_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Unanswered offers before this moment (the last resume) no longer count towards auto-pause.",
    )
    notify_email = models.EmailField(
        _("callback notification email"),
        blank=True,
        help_text=_("Where new and reassigned callbacks are sent."),
    )
    notify_sms = models.CharField(
        _("callback notification SMS (E.164)"), max_length=16, blank=True, validators=[validate_e164]
    )
    beds_available = models.PositiveSmallIntegerField(
        _("beds available"),
        null=True,
        blank=True,
        help_text=_("Kept up to date by the provider in the portal; empty when unknown."),
    )
    beds_updated_at = models.DateTimeField(_("beds updated"), null=True, blank=True, editable=False)
    callback_minutes = models.PositiveSmallIntegerField(
        _("callback promise (minutes)"), default=15, help_text=_("How soon the provider returns a callback.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("participating provider")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if errors := routing_list_errors(self):
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Resuming an auto-paused provider starts its unanswered-offer count afresh (routing's auto-pause rule).
        if self.pk is not None and not self.auto_paused:
            was_paused = Provider.objects.filter(pk=self.pk, auto_paused=True).exists()
            if was_paused:
                self.offers_counted_since = timezone.now()
        super().save(*args, **kwargs)


class ContractPeriod(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    YEARLY = "yearly", _("yearly")


class ContractQuerySet(models.QuerySet["Contract"]):
    def running_on(self, day: dt.date) -> ContractQuerySet:
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Contract(models.Model):
    """A flat periodic advertising fee. Equal for all participating providers, checked on save."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    amount = models.DecimalField(_("flat fee"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    period = models.CharField(_("period"), max_length=12, choices=ContractPeriod.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.amount} {self.currency} {self.period} from {self.starts_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Checked on every save, not only in forms: "the same flat fee" must hold whatever code writes contracts.
        # The lock makes check and write one step, so two contracts saved at once cannot both pass the check.
        with transaction.atomic():
            hold_lock("providers-contract-fees")
            self.full_clean()
            super().save(*args, **kwargs)

    def overlaps(self, other: Contract) -> bool:
        self_end = self.ends_on or dt.date.max
        other_end = other.ends_on or dt.date.max
        return self.starts_on <= other_end and other.starts_on <= self_end

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A contract cannot end before it starts.")})
        from clearline.providers.services import check_equal_fee

        check_equal_fee(self)
