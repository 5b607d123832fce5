import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import DisclosureVersion, Helpline
from clearline.content.tasks import refresh_disclosure_version
from clearline.content.tests.conftest import add_provider
from clearline.providers.models import Contract
from clearline.providers.services import create_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def general_number(db) -> Helpline:
    """The disclosure speaks about each general helpline number; these tests have one."""
    return Helpline.objects.create(label="Treatment Helpline", intent="hotline", number="+12065550109")


def names_in(version: DisclosureVersion) -> list[str]:
    return [entry["name"] for entry in version.roster]


def test_it_names_exactly_the_active_providers_with_a_running_contract():
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    add_provider("Cedar Care", active=False)
    add_provider("Dogwood Detox", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31))
    add_provider("Elm Clinic", starts_on=dt.date.today() + dt.timedelta(days=30))
    version = ensure_current_disclosure()
    assert names_in(version) == ["Alder Recovery", "Birch Health"]
    assert (
        "one of these 2 participating treatment providers, paid advertisers: Alder Recovery ("
        in version.text_en
    )
    assert "; Birch Health (callers anywhere; any time; in English)." in version.text_en
    for absent in ("Cedar Care", "Dogwood Detox", "Elm Clinic"):
        assert absent not in version.text_en
        assert absent not in version.text_es


def test_it_stores_a_new_version_when_a_provider_is_added():
    add_provider("Alder Recovery")
    first = ensure_current_disclosure()
    add_provider("Birch Health")
    second = ensure_current_disclosure()
    assert second.number == first.number + 1
    assert "Birch Health" in second.text_en and "Birch Health" not in first.text_en


def test_it_stores_a_new_version_when_a_provider_is_deactivated():
    alder = add_provider("Alder Recovery")
    add_provider("Birch Health")
    first = ensure_current_disclosure()
    alder.active = False
    alder.save()
    second = ensure_current_disclosure()
    assert second.number == first.number + 1
    assert names_in(second) == ["Birch Health"]


def test_it_stores_a_new_version_when_a_provider_is_renamed():
    alder = add_provider("Alder Recovery")
    first = ensure_current_disclosure()
    alder.name = "Alder Recovery Center"
    alder.save()
    second = ensure_current_disclosure()
    assert second.number == first.number + 1
    assert "Alder Recovery Center" in second.text_en


def test_it_keeps_the_version_when_nothing_changed():
    add_provider("Alder Recovery")
    assert ensure_current_disclosure().pk == ensure_current_disclosure().pk
    assert DisclosureVersion.objects.count() == 1


def test_roster_changes_refresh_the_version_through_the_job(django_capture_on_commit_callbacks):
    # Tests run jobs immediately; the signal queues the job when the transaction commits.
    with pytest.raises(DisclosureVersion.DoesNotExist):
        DisclosureVersion.objects.latest()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_provider("Alder Recovery")
    assert callbacks
    assert names_in(DisclosureVersion.objects.latest()) == ["Alder Recovery"]
    assert refresh_disclosure_version.call() == DisclosureVersion.objects.latest().number


def test_it_says_the_fee_is_flat_and_equal_and_offers_free_alternatives():
    add_provider("Alder Recovery")
    text = ensure_current_disclosure().text_en
    assert "Each of these providers pays Clearline the same flat monthly fee" in text
    assert "No fee depends on" in text and "which provider a caller chooses" in text
    assert "no obligation to enter treatment" in text
    assert "terms of use" in text
    assert "988" in text and "1-800-662-4357" in text and "FindTreatment.gov" in text
    assert "In an emergency, call 911." in text
    assert "rings that facility only" in text


def test_it_says_how_many_ring_at_once_from_the_routing_setting(settings):
    add_provider("Alder Recovery")
    settings.CLEARLINE_ROUTING_WAVE_SIZE = 2
    assert "Up to 2 of them ring at the same time" in ensure_current_disclosure().text_en
    settings.CLEARLINE_ROUTING_WAVE_SIZE = 1
    version = ensure_current_disclosure()
    assert "They are rung one at a time, 13 seconds each" in version.text_en
    assert "at the same time" not in version.text_en


def test_with_no_providers_it_says_calls_go_to_the_free_helpline():
    text = ensure_current_disclosure().text_en
    assert "Right now no treatment provider answers this number" in text
    assert "paid advertisers" not in text


def test_it_is_written_in_spanish_too():
    add_provider("Alder Recovery")
    add_provider("Birch Health")
    text = ensure_current_disclosure().text_es
    assert "Alder Recovery (" in text and "Birch Health (" in text
    assert "la misma tarifa fija mensual" in text
    assert "En una emergencia, llame al 911." in text
    assert "General helpline" not in text


def test_a_contract_with_a_different_fee_is_refused():
    alder = add_provider("Alder Recovery")
    birch = add_provider("Birch Health", active=True)
    Contract.objects.filter(provider=birch).delete()
    with pytest.raises(ValidationError, match="same flat fee"):
        create_contract(
            provider_id=birch.pk, amount=Decimal("999.00"), period="monthly", starts_on=dt.date(2026, 2, 1)
        )
    with pytest.raises(ValidationError, match="same flat fee"):
        create_contract(
            provider_id=birch.pk, amount=Decimal("1500.00"), period="yearly", starts_on=dt.date(2026, 2, 1)
        )
    contract = create_contract(
        provider_id=birch.pk, amount=Decimal("1500.00"), period="monthly", starts_on=dt.date(2026, 2, 1)
    )
    assert contract.provider_id == birch.pk and alder.contracts.count() == 1


def test_no_provider_or_contract_field_prices_a_call_lead_or_admission():
    from django.apps import apps

    forbidden = ("per_call", "per_lead", "per_admission", "price", "bid", "revenue", "commission", "payout")
    # Every Clearline app's models, not only the providers': a call, callback, listing or figures row is where a
    # per-call price would most likely creep in.
    models = [model for model in apps.get_models() if model.__module__.startswith("clearline.")]
    assert {"Contract", "Call", "CallbackRequest", "ListingEdit", "DailyProviderFigures"} <= {
        model.__name__ for model in models
    }
    for model in models:
        for field in model._meta.get_fields():
            assert not any(word in field.name for word in forbidden), f"{model.__name__}.{field.name}"


def test_a_providers_own_overlapping_contract_must_have_the_same_fee_too():
    alder = add_provider("Alder Recovery")
    with pytest.raises(ValidationError, match="same flat fee"):
        Contract.objects.create(
            provider=alder, amount=Decimal("2000.00"), period="monthly", starts_on=dt.date(2026, 3, 1)
        )


def test_contracts_written_without_a_form_are_checked_too():
    add_provider("Alder Recovery")
    birch = add_provider("Birch Health")
    contract = birch.contracts.get()
    contract.amount = Decimal("10.00")
    with pytest.raises(ValidationError, match="same flat fee"):
        contract.save()


def test_pages_still_answer_when_fees_were_made_unequal_behind_the_apps_back(client, article):
    add_provider("Alder Recovery")
    birch = add_provider("Birch Health")
    Contract.objects.filter(provider=birch).update(amount=Decimal("10.00"))  # a database console, say
    response = client.get(article.url)
    assert response.status_code == 200
    text = ensure_current_disclosure().text_en
    assert "same flat" not in text and "Alder Recovery (" in text and "Birch Health (" in text
