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

from clearline.providers.models import Contract, Provider

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


def list_participating_providers(on: dt.date | None = None) -> list[Provider]:
    """The live roster: active providers with a contract running today, by name."""
    return list(Provider.objects.participating(on))


def current_fee_terms(on: dt.date | None = None) -> FeeTerms | None:
    """The one flat fee that every running contract shares, or None when none runs or they disagree.

    Contract.save() refuses unequal fees, so disagreement means rows were changed around the application (a
    database console, say). Then no page may claim equal fees, and none may fail either: we log an error and the
    disclosure leaves the fee sentence out until the contracts are fixed.
    """
    day = on or timezone.localdate()
    terms = {
        FeeTerms(c.amount, c.currency, c.period)
        for c in Contract.objects.running_on(day).filter(provider__active=True)
    }
    if len(terms) > 1:
        logger.error(
            "Running contracts have different fees (%s); the disclosure omits the fee sentence", len(terms)
        )
        return None
    return terms.pop() if terms else None
