"""The transparency page's fee statement: what participating providers paid to take part in a month.

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
    providers: int  # providers with a contract on these terms running some time in the month
    first_day: dt.date  # the part of the month these terms ran
    last_day: dt.date

    @property
    def period_label(self) -> str:
        return str(ContractPeriod(self.period).label) if self.period in ContractPeriod.values else self.period

    @property
    def whole_month(self) -> bool:
        return self.first_day.day == 1 and (self.last_day + dt.timedelta(days=1)).day == 1


def fee_terms(first_day: dt.date) -> list[FeeTerms]:
    """The fee terms of the contracts running at any time in the month, oldest first (one, unless the fee changed
    during the month: contracts overlapping in time cannot differ)."""
    last_day = (first_day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    running = Contract.objects.filter(starts_on__lte=last_day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=first_day)
    )
    terms: dict[tuple[Decimal, str, str], list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for provider_id, amount, currency, period, starts, ends in running.values_list(
        "provider_id", "amount", "currency", "period", "starts_on", "ends_on"
    ):
        terms[(amount, currency, period)].append(
            (provider_id, max(starts, first_day), min(ends or last_day, last_day))
        )
    result = [
        FeeTerms(
            amount=amount,
            currency=currency,
            period=period,
            providers=len({pid for pid, _s, _e in spans}),
            first_day=min(s for _pid, s, _e in spans),
            last_day=max(e for _pid, _s, e in spans),
        )
        for (amount, currency, period), spans in terms.items()
    ]
    return sorted(result, key=lambda t: (t.first_day, t.last_day, t.amount))
