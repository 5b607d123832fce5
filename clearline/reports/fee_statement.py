"""The transparency page's fee statement: the fee terms of the contracts of the providers taking part in a month
(contract terms, not payments received: nothing here records a payment).

Fees are flat periodic contracts (``providers.Contract``), equal for every provider whose contracts overlap in time
(``providers.services.check_equal_fee``; DESIGN.md rule 2). This module only reads them for the page: nothing here
is read by routing, and no fee is related to any call count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from clearline.providers.models import Contract, ContractPeriod


@dataclass(frozen=True)
class FeeTerms:
    amount: Decimal
    currency: str
    period: str  # ContractPeriod value
    providers: int  # providers with a contract on these terms running from first_day to last_day
    first_day: dt.date  # the part of the month these terms ran, for each of those providers
    last_day: dt.date

    @property
    def period_label(self) -> str:
        return str(ContractPeriod(self.period).label) if self.period in ContractPeriod.values else self.period

    @property
    def whole_month(self) -> bool:
        return self.first_day.day == 1 and (self.last_day + dt.timedelta(days=1)).day == 1


def fee_terms(first_day: dt.date) -> list[FeeTerms]:
    """The fee terms of the contracts running at any time in the month, one line per terms and part of the month
    (a provider that joined on the 15th is not said to have taken part all month), oldest first."""
    last_day = (first_day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    running = Contract.objects.filter(starts_on__lte=last_day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first_day)
    )
    providers: dict[tuple[Decimal, str, str, dt.date, dt.date], set[int]] = defaultdict(set)
    for provider_id, amount, currency, period, starts, ends in running.values_list(
        "provider_id", "amount", "currency", "period", "starts_on", "ends_on"
    ):
        span = (max(starts, first_day), min(ends or last_day, last_day))
        providers[(amount, currency, period, *span)].add(provider_id)
    result = [
        FeeTerms(amount, currency, period, len(ids), first, last)
        for (amount, currency, period, first, last), ids in providers.items()
    ]
    return sorted(result, key=lambda t: (t.first_day, t.last_day, t.amount))
