"""Two contracts saved at the same moment cannot both pass the equal-fee check (PostgreSQL).

SQLite runs every write transaction alone (BEGIN IMMEDIATE), so the race exists only on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clearline.providers import services
from clearline.providers.models import Contract, Provider

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql,
]


def test_two_different_fees_saved_at_once_leave_one_contract(monkeypatch):
    first, second = (
        Provider.objects.create(name=name, slug=name.lower(), public_description="Care.")
        for name in ("Alder", "Birch")
    )
    checked = services.check_equal_fee

    def slow_check(contract):
        checked(contract)
        time.sleep(0.5)  # both checks would pass before either insert without the lock

    monkeypatch.setattr(services, "check_equal_fee", slow_check)
    barrier = threading.Barrier(2)

    def save(args):
        provider, amount = args
        try:
            barrier.wait(timeout=10)
            Contract.objects.create(
                provider=provider, amount=Decimal(amount), period="monthly", starts_on=dt.date(2026, 1, 1)
            )
            return "saved"
        except ValidationError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(save, [(first, "1500.00"), (second, "900.00")]))
    assert results == ["refused", "saved"]
    assert Contract.objects.count() == 1
