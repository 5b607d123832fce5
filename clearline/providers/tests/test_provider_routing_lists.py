"""The routing lists an operator types as JSON on a provider (states, ZIP prefixes, languages, call types) are
checked when saved in the back office: a wrong shape is explained on the form and changes nothing, because it
would silently change whom the provider serves, or (an unknown call type) stop every helpline call's roster."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clearline.providers.models import Contract, Provider
from clearline.routing import Intent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wagtail_root")]


@pytest.fixture
def provider(db) -> Provider:
    provider = Provider.objects.create(
        name="Birch Health", slug="birch", public_description="Care.", open_24_7=True, phone="+12065550132"
    )
    Contract.objects.create(
        provider=provider, amount=Decimal("900"), period="monthly", starts_on=dt.date(2020, 1, 1)
    )
    return provider


def form_data(provider: Provider, **changes: str) -> dict[str, str]:
    data = {
        "name": provider.name,
        "slug": provider.slug,
        "public_description": provider.public_description,
        "active": "on",
        "open_24_7": "on",
        "phone": provider.phone,
        "timezone": provider.timezone,
        "lines": "1",
        "callback_minutes": "15",
        "states": "[]",
        "zip_prefixes": "[]",
        "languages": "[]",
        "intents": "[]",
    }
    for panel in ("opening_hours", "closures"):
        data.update(
            {f"{panel}-TOTAL_FORMS": "0", f"{panel}-INITIAL_FORMS": "0", f"{panel}-MIN_NUM_FORMS": "0"}
        )
        data[f"{panel}-MAX_NUM_FORMS"] = "1000"
    return {**data, **changes}


WRONG = [
    ("states", '"WA"'),
    ("states", '["Washington"]'),
    ("states", '["wa"]'),
    ("states", "[53]"),
    ("states", '{"WA": true}'),
    ("states", "5"),
    ("states", "null"),
    ("zip_prefixes", '["981-"]'),
    ("zip_prefixes", "[98101]"),
    ("zip_prefixes", '["981012"]'),
    ("languages", '"en"'),
    ("languages", '["English"]'),
    ("languages", '[["en"]]'),
    ("intents", '["Detox"]'),
    ("intents", '["treatment"]'),
    ("intents", '"detox"'),
]


@pytest.mark.parametrize("field,value", WRONG)
def test_a_wrong_routing_list_is_explained_in_the_admin_and_saves_nothing(
    client, operator, provider, field, value
):
    response = client.post(
        f"/admin/snippets/providers/provider/edit/{provider.pk}/", form_data(provider, **{field: value})
    )
    assert response.status_code == 200, response.get("Location")
    assert "A list " in response.content.decode()
    provider.refresh_from_db()
    assert getattr(provider, field) == []


def test_right_routing_lists_are_saved(client, operator, provider):
    lists = {
        "states": '["WA", "OR"]',
        "zip_prefixes": '["981", "98052"]',
        "languages": '["en", "es"]',
        "intents": '["detox", "hotline"]',
    }
    response = client.post(
        f"/admin/snippets/providers/provider/edit/{provider.pk}/", form_data(provider, **lists)
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.states == ["WA", "OR"] and provider.languages == ["en", "es"]
    assert {Intent(i) for i in provider.intents} == {Intent.DETOX, Intent.HOTLINE}  # as the roster reads them


def test_the_model_refuses_them_whatever_form_is_used(provider):
    provider.intents = ["Detox"]
    with pytest.raises(ValidationError) as refused:
        provider.full_clean()
    assert set(refused.value.message_dict) == {"intents"}
