"""Service functions for providers and their flat-fee contracts."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.providers.models import Contract

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeeTerms:
    amount: Decimal
    currency: str
    period: str


def check_equal_fee(contract: Contract) -> None:
    """Refuse a contract whose fee terms differ from any other contract overlapping it in time.

    Every participating provider pays the same flat fee (DESIGN.md rule 2); the public disclosure says so,
    and this check is what makes that sentence true.
    """
    if contract.amount is None or not contract.period or not contract.starts_on:
        return
    # The provider's own other contracts count too: two overlapping contracts of one provider at different
    # fees would make "the same flat fee" false just as surely as two providers at different fees.
    others = Contract.objects.exclude(pk=contract.pk).select_related("provider")
    for other in others:
        if not contract.overlaps(other):
            continue
        if (other.amount, other.currency, other.period) != (
            contract.amount,
            contract.currency,
            contract.period,
        ):
            raise ValidationError(
                _(
                    "Every participating provider pays the same flat fee. %(other)s has %(amount)s %(currency)s "
                    "%(period)s over overlapping dates; this contract must match it."
                )
                % {
                    "other": other.provider.name,
                    "amount": other.amount,
                    "currency": other.currency,
                    "period": other.get_period_display(),
                }
            )


@transaction.atomic
def create_contract(
    *,
    provider_id: int,
    amount: Decimal,
    period: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    currency: str = "USD",
) -> Contract:
    contract = Contract(
        provider_id=provider_id,
        amount=amount,
        currency=currency,
        period=period,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    contract.full_clean()
    contract.save()
    return contract


@dataclass(frozen=True)
class Roster:
    providers: tuple[tuple[int, str], ...]  # (id, name) of each participating provider, by name
    fee: FeeTerms | None


def current_roster(on: dt.date | None = None) -> Roster:
    """The live roster and the one flat fee its running contracts share, from a single query.

    Participating = active with a contract running on the day (today in the operator's zone). ``fee`` is None when
    no contract runs or, since Contract.save() refuses unequal fees, when rows were changed around the application
    (a database console, say): then no page may claim equal fees, and none may fail either, so we log an error and
    the disclosure leaves the fee sentence out until the contracts are fixed.
    """
    day = on or timezone.localdate()
    contracts = list(
        Contract.objects.running_on(day).filter(provider__active=True).select_related("provider")
    )
    providers = sorted({(c.provider_id, c.provider.name) for c in contracts}, key=lambda p: (p[1], p[0]))
    terms = {FeeTerms(c.amount, c.currency, c.period) for c in contracts}
    if len(terms) > 1:
        logger.error(
            "Running contracts have different fees (%s); the disclosure omits the fee sentence", len(terms)
        )
    fee = terms.pop() if len(terms) == 1 else None
    return Roster(tuple(providers), fee)
