"""Operators see the calls that contradicted a claim, with their decision traces; nobody else does."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail import hooks

from clearline.content.tests.conftest import add_provider
from clearline.telephony.claim_checks import CheckResult, check_call
from clearline.telephony.models import Attempt, Call
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_claim_checks import (
    claims_document,
    end,
    later,
    made_under,
    ring,
    start,
)
from clearline.telephony.wagtail_hooks import register_contradictions_menu_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, django_user_model, login_verified):
    """Operator staff, signed in to the Wagtail admin (as providers/tests/conftest.py's ``operator``)."""
    user = django_user_model.objects.create_superuser("olivia", "olivia@example.invalid", "x")
    login_verified(user)
    return user


@pytest.fixture
def contradicting(helpline, providers) -> Call:
    """A call rung to a provider the disclosure never named: Dune House, outside the number's claims."""
    call = made_under(start("CA-admin-1"), claims_document(helpline, providers))
    dial = call.routing_plan.first_dial()
    assert dial is not None
    ring(call, dial, "no-answer")
    Attempt.objects.create(call=call, step_index=dial.index + 1, provider=add_provider("Dune House"))
    call = end(call)
    assert check_call(call, later()) is CheckResult.CONTRADICTED
    kept = end(made_under(start("CA-admin-2"), claims_document(helpline, providers)))
    assert check_call(kept, later()) is CheckResult.KEPT
    return call


def test_staff_see_the_contradicting_call_listed_without_the_callers_number(client, staff, contradicting):
    response = client.get(reverse("telephony_contradictions"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("telephony_contradiction", args=[contradicting.pk]) in page
    assert "answered_by" in page and "Heroin Detox" in page
    assert contradicting.caller_hmac[:8] in page
    assert contradicting.caller_hmac not in page and CALLER not in page and CALLER[2:] not in page
    kept = Call.objects.get(call_sid="CA-admin-2")
    assert reverse("telephony_contradiction", args=[kept.pk]) not in page


def test_the_call_page_tells_its_trace_and_which_claims_failed(client, staff, contradicting, providers):
    response = client.get(reverse("telephony_contradiction", args=[contradicting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(p.name in page for p in providers) and "Dune House" in page
    assert "Wave 1" in page and "no answer" in page
    assert f"v{contradicting.disclosure_version.number}" in page
    assert "Answered or returned only by" in page or "answered_by" in page
    assert "<strong>no</strong>" in page  # a claim marked as not held
    assert contradicting.caller_hmac not in page and CALLER not in page


def test_a_call_that_kept_its_claims_has_no_page_there_unless_checked(client, staff, helpline, providers):
    unchecked = start("CA-admin-3")
    assert client.get(reverse("telephony_contradiction", args=[unchecked.pk])).status_code == 404


@pytest.mark.parametrize("name", ["telephony_contradictions", "telephony_contradiction"])
def test_non_staff_never_reach_them(non_staff_visits, contradicting, name):
    url = reverse(name, args=[contradicting.pk] if name == "telephony_contradiction" else [])
    refused, member = non_staff_visits(url)
    assert b"Dune House" not in refused.content and b"answered_by" not in refused.content
    assert b"answered_by" not in member.content


def test_staff_find_it_in_the_wagtail_menu(django_user_model):
    assert register_contradictions_menu_item in hooks.get_hooks("register_admin_menu_item")
    item = register_contradictions_menu_item()
    request = RequestFactory().get("/")
    request.user = django_user_model(username="s", is_staff=True)
    assert item.url == reverse("telephony_contradictions") and item.is_shown(request)
    request.user = django_user_model(username="m", is_staff=False)
    assert not item.is_shown(request)
