"""Returning callbacks: claim, reveal (logged, never the number in the log), record the outcome; a closed or
reassigned callback shows no number and cannot be closed by the provider that lost it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clearline.lib.models import AuditEntry
from clearline.providers.models import Provider
from clearline.telephony import callback_actions
from clearline.telephony.models import CallbackOutcome, CallbackRequest, CallbackStatus

pytestmark = pytest.mark.django_db


def post(client, name, callback, follow=False, **data):
    data.setdefault("seen", callback.reassignments)
    return client.post(reverse(name, args=[callback.pk]), data, follow=follow)


def reassign(callback: CallbackRequest, to: Provider) -> None:
    """What the deadline job does: a conditional UPDATE moving the request and clearing the claim."""
    CallbackRequest.objects.filter(pk=callback.pk).update(
        provider=to,
        due_at=timezone.now() + dt.timedelta(minutes=15),
        reassignments=callback.reassignments + 1,
        claimed_by=None,
        claimed_at=None,
    )


def test_revealing_shows_the_number_once_and_logs_who_without_the_number(client, login_verified, alder):
    login_verified(alder.agent)
    response = post(client, "portal:callback_reveal", alder.callback)
    assert response.status_code == 200
    assert alder.caller in response.content.decode()
    entry = AuditEntry.objects.get(action="telephony.callback.number_revealed")
    assert entry.actor == "alder-agent"
    assert entry.target_id == str(alder.callback.pk) and entry.data["callback_id"] == alder.callback.pk
    assert alder.caller not in str(entry.data) and alder.caller[2:] not in entry.hash + str(entry.__dict__)
    # The list afterwards (and a GET of the same address) does not show it again.
    assert alder.caller not in client.get(reverse("portal:callbacks")).content.decode()
    assert client.get(reverse("portal:callback_reveal", args=[alder.callback.pk])).status_code == 405


def test_claim_then_record_the_outcome_closes_the_callback(client, login_verified, alder):
    login_verified(alder.agent)
    post(client, "portal:callback_claim", alder.callback)
    alder.callback.refresh_from_db()
    assert alder.callback.claimed_by == alder.agent
    response = post(client, "portal:callback_outcome", alder.callback, outcome=CallbackOutcome.REACHED)
    assert response.status_code == 302
    alder.callback.refresh_from_db()
    assert alder.callback.status == CallbackStatus.RETURNED
    assert alder.callback.outcome == CallbackOutcome.REACHED
    assert alder.callback.closed_by == alder.agent and alder.callback.closed_at is not None
    returned = AuditEntry.objects.get(action="telephony.callback.returned")
    assert returned.actor == "alder-agent" and returned.data["outcome"] == "reached"
    assert AuditEntry.objects.filter(action="telephony.callback.claimed", actor="alder-agent").exists()


def test_a_closed_callback_never_reveals_its_number(client, login_verified, alder):
    callback_actions.record_callback_outcome(alder.callback.pk, alder.provider.pk, "no_answer", alder.admin)
    login_verified(alder.agent)
    response = client.post(
        reverse("portal:callback_reveal", args=[alder.callback.pk]), {"seen": 0}, follow=True
    )
    html = response.content.decode()
    assert alder.caller not in html and "is closed" in html
    assert not AuditEntry.objects.filter(action="telephony.callback.number_revealed").exists()
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.reveal_callback_number(alder.callback.pk, alder.provider.pk, alder.agent)


def test_a_reassigned_callback_cannot_be_revealed_or_closed_by_the_provider_that_lost_it(
    client, login_verified, alder, birch
):
    reassign(alder.callback, birch.provider)
    login_verified(alder.agent)
    assert post(client, "portal:callback_reveal", alder.callback).status_code == 404
    assert post(client, "portal:callback_outcome", alder.callback, outcome="reached").status_code == 404
    alder.callback.refresh_from_db()
    assert alder.callback.status == CallbackStatus.OPEN and alder.callback.provider == birch.provider
    # The service refuses too, whoever calls it.
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.record_callback_outcome(alder.callback.pk, alder.provider.pk, "reached", alder.agent)
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.reveal_callback_number(alder.callback.pk, alder.provider.pk, alder.agent)


def test_a_form_drawn_before_a_reassignment_cannot_close_the_request_even_if_it_came_back(
    client, login_verified, alder, birch
):
    stale = alder.callback.reassignments
    reassign(alder.callback, birch.provider)
    alder.callback.refresh_from_db()
    reassign(alder.callback, alder.provider)  # back to Alder, as a new request for them
    login_verified(alder.agent)
    response = client.post(
        reverse("portal:callback_outcome", args=[alder.callback.pk]),
        {"seen": stale, "outcome": "reached"},
        follow=True,
    )
    assert "reassigned" in response.content.decode()
    alder.callback.refresh_from_db()
    assert alder.callback.status == CallbackStatus.OPEN
    response = client.post(reverse("portal:callback_reveal", args=[alder.callback.pk]), {"seen": stale})
    assert alder.caller not in response.content.decode()


def test_a_colleagues_claim_is_not_taken_over(client, login_verified, alder):
    callback_actions.claim_callback(alder.callback.pk, alder.provider.pk, alder.admin)
    login_verified(alder.agent)
    html = post(client, "portal:callback_claim", alder.callback, follow=True).content.decode()
    assert "A colleague is already returning this call." in html
    alder.callback.refresh_from_db()
    assert alder.callback.claimed_by == alder.admin


def test_an_outcome_must_be_chosen(client, login_verified, alder):
    login_verified(alder.agent)
    html = post(client, "portal:callback_outcome", alder.callback, follow=True).content.decode()
    assert "Choose what happened when you called back" in html
    alder.callback.refresh_from_db()
    assert alder.callback.status == CallbackStatus.OPEN


def test_writes_need_the_csrf_token(login_verified, alder):
    browser = Client(enforce_csrf_checks=True)
    login_verified(alder.agent, on=browser)
    response = browser.post(reverse("portal:callback_reveal", args=[alder.callback.pk]), {"seen": 0})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="telephony.callback.number_revealed").exists()


def test_only_one_of_two_racing_closes_wins(alder):
    callback_actions.record_callback_outcome(alder.callback.pk, alder.provider.pk, "reached", alder.agent)
    with pytest.raises(callback_actions.CallbackError):
        callback_actions.record_callback_outcome(
            alder.callback.pk, alder.provider.pk, "declined", alder.admin
        )
    alder.callback.refresh_from_db()
    assert alder.callback.outcome == "reached" and alder.callback.closed_by == alder.agent
    assert AuditEntry.objects.filter(action="telephony.callback.returned").count() == 1
