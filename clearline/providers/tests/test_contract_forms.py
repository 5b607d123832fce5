"""Every admin form that writes contracts refuses unequal fees with the clear message, and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clearline.providers.models import Contract, Provider

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wagtail_root")]

MESSAGE = "Every participating provider pays the same flat fee"


def provider(name: str, slug: str) -> Provider:
    return Provider.objects.create(name=name, slug=slug, public_description="Care.")


def contracts() -> list[tuple[str, Decimal]]:
    return list(Contract.objects.order_by("pk").values_list("provider__slug", "amount"))


def test_the_wagtail_contract_form_refuses_a_different_fee(client, operator):
    alder, birch = provider("Alder Recovery", "alder"), provider("Birch Health", "birch")
    Contract.objects.create(
        provider=alder, amount=Decimal("1500"), period="monthly", starts_on=dt.date(2026, 1, 1)
    )
    birchs = Contract.objects.create(
        provider=birch, amount=Decimal("1500"), period="monthly", starts_on=dt.date(2026, 1, 1)
    )
    before = contracts()
    data = {
        "provider": birch.pk,
        "amount": "1000",
        "currency": "USD",
        "period": "monthly",
        "starts_on": "2026-01-01",
    }
    for url in (
        "/admin/snippets/providers/contract/add/",
        f"/admin/snippets/providers/contract/edit/{birchs.pk}/",
    ):
        response = client.post(url, data)
        assert response.status_code == 200
        assert MESSAGE in response.content.decode()
    assert contracts() == before


def test_the_django_admin_refuses_two_new_contracts_at_different_fees_on_one_page(client, operator):
    birch = provider("Birch Health", "birch")
    data = {
        "name": birch.name,
        "slug": birch.slug,
        "public_description": birch.public_description,
        "timezone": birch.timezone,
        "lines": "1",
        "callback_minutes": "15",
        "active": "on",
        "states": "[]",
        "zip_prefixes": "[]",
        "languages": "[]",
        "intents": "[]",
        "contracts-TOTAL_FORMS": "2",
        "contracts-INITIAL_FORMS": "0",
        "contracts-MIN_NUM_FORMS": "0",
        "contracts-MAX_NUM_FORMS": "1000",
    }
    for index, amount in enumerate(("1500", "900")):
        data.update(
            {
                f"contracts-{index}-amount": amount,
                f"contracts-{index}-currency": "USD",
                f"contracts-{index}-period": "monthly",
                f"contracts-{index}-starts_on": "2027-01-01",
            }
        )
    response = client.post(f"/django-admin/providers/provider/{birch.pk}/change/", data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert contracts() == []

    data["contracts-1-amount"] = "1500.00"  # the same fee written another way
    response = client.post(f"/django-admin/providers/provider/{birch.pk}/change/", data)
    assert response.status_code == 302
    assert contracts() == [("birch", Decimal("1500")), ("birch", Decimal("1500"))]
