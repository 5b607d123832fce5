"""Availability: pause and resume take effect in the router at once; hours, closures, lines and beds are checked
and explained, and every change is audited with the acting user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clearline.lib.models import AuditEntry
from clearline.providers import availability
from clearline.providers.models import ClosureDay, OpeningHours
from clearline.routing import CallContext
from clearline.routing.eligibility import evaluate
from clearline.telephony.snapshots import build_policy, snapshot_providers

pytestmark = pytest.mark.django_db


def verdict(provider):
    now = timezone.now()
    policy = build_policy()
    snapshot = next(s for s in snapshot_providers(now, policy) if s.id == str(provider.pk))
    return evaluate(snapshot, CallContext(call_id="test"), policy, now)


def test_pausing_makes_the_provider_ineligible_at_once_and_resuming_restores_it(
    client, login_verified, alder
):
    assert verdict(alder.provider).eligible
    login_verified(alder.agent)
    response = client.post(reverse("portal:pause"), follow=True)
    assert "Paused." in response.content.decode()
    assert not verdict(alder.provider).eligible and "not_paused" in str(verdict(alder.provider).failed)
    entry = AuditEntry.objects.get(action="providers.availability.paused")
    assert entry.actor == "alder-agent" and entry.target_id == str(alder.provider.pk)
    updated = AuditEntry.objects.filter(action="providers.provider.updated", actor="alder-agent").last()
    assert updated is not None and updated.data["paused"] == {"before": False, "after": True}
    client.post(reverse("portal:resume"))
    assert verdict(alder.provider).eligible


def test_resuming_clears_an_auto_pause_and_restarts_the_count(client, login_verified, alder):
    type(alder.provider).objects.filter(pk=alder.provider.pk).update(auto_paused=True)
    login_verified(alder.agent)
    html = client.get(reverse("portal:availability")).content.decode()
    assert "Paused after unanswered calls." in html
    client.post(reverse("portal:resume"))
    alder.provider.refresh_from_db()
    assert not alder.provider.auto_paused and not alder.provider.paused
    assert alder.provider.offers_counted_since is not None
    assert AuditEntry.objects.get(action="providers.availability.resumed").data == {
        "cleared_auto_pause": True
    }


def test_pause_and_resume_are_post_only(client, login_verified, alder):
    login_verified(alder.agent)
    assert client.get(reverse("portal:pause")).status_code == 405
    alder.provider.refresh_from_db()
    assert not alder.provider.paused


def hours_post(**fields):
    data = {"open_24_7": ""}
    data.update(fields)
    return data


def test_an_administrator_sets_weekly_hours_in_the_providers_zone(client, login_verified, alder):
    login_verified(alder.admin)
    response = client.post(
        reverse("portal:set_hours"),
        hours_post(
            d0_0_opens="08:00",
            d0_0_closes="12:00",
            d0_1_opens="13:00",
            d0_1_closes="17:00",
            d4_0_opens="22:00",
            d4_0_closes="06:00",
        ),
    )
    assert response.status_code == 302
    rows = [
        (h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}")
        for h in OpeningHours.objects.filter(provider=alder.provider)
    ]
    assert rows == [(0, "08:00", "12:00"), (0, "13:00", "17:00"), (4, "22:00", "06:00")]
    alder.provider.refresh_from_db()
    assert not alder.provider.open_24_7
    assert AuditEntry.objects.filter(action="providers.availability.hours_set", actor="alder-admin").exists()
    assert AuditEntry.objects.filter(action="providers.hours.created").count() == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"d1_0_opens": "09:00"}, "Tuesday: give both the opening and the closing time"),
        (
            {"d2_0_opens": "09:00", "d2_0_closes": "09:00"},
            "Wednesday: the opening and closing times are the same",
        ),
        (
            {"d3_0_opens": "09:00", "d3_0_closes": "17:00", "d3_1_opens": "16:00", "d3_1_closes": "18:00"},
            "Thursday: the opening times 09:00-17:00 and 16:00-18:00 overlap",
        ),
        ({"d5_0_opens": "25:00", "d5_0_closes": "18:00"}, "Enter a valid time."),
    ],
)
def test_bad_hours_are_explained_and_nothing_is_saved(client, login_verified, alder, fields, message):
    login_verified(alder.admin)
    response = client.post(reverse("portal:set_hours"), hours_post(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OpeningHours.objects.filter(provider=alder.provider).exists()
    alder.provider.refresh_from_db()
    assert alder.provider.open_24_7  # unchanged


def test_agents_cannot_change_hours_closures_or_lines_but_can_update_beds(client, login_verified, alder):
    login_verified(alder.agent)
    assert client.post(reverse("portal:set_hours"), hours_post()).status_code == 403
    assert client.post(reverse("portal:set_lines"), {"lines": 5}).status_code == 403
    assert (
        client.post(reverse("portal:add_closure"), {"date": f"{dt.date.today().year + 5}-01-01"}).status_code
        == 403
    )
    assert client.post(reverse("portal:remove_closure", args=[alder.closure.pk])).status_code == 403
    assert client.post(reverse("portal:set_beds"), {"beds": "4"}).status_code == 302
    alder.provider.refresh_from_db()
    assert alder.provider.open_24_7 and alder.provider.lines == 1 and alder.provider.beds_available == 4
    assert alder.provider.beds_updated_at is not None
    assert ClosureDay.objects.filter(pk=alder.closure.pk).exists()


def test_closures_are_added_and_removed_with_clear_messages(client, login_verified, alder):
    login_verified(alder.admin)
    day = availability.local_today(alder.provider) + dt.timedelta(days=3)
    assert (
        client.post(reverse("portal:add_closure"), {"date": day.isoformat(), "reason": "Holiday"}).status_code
        == 302
    )
    assert ClosureDay.objects.filter(provider=alder.provider, date=day, opens=None).exists()
    again = client.post(reverse("portal:add_closure"), {"date": day.isoformat()})
    assert "There is already an exception on" in again.content.decode()
    past = client.post(reverse("portal:add_closure"), {"date": "2020-01-01"})
    assert "has passed in your time zone (America/Los_Angeles)" in past.content.decode()
    half = client.post(
        reverse("portal:add_closure"), {"date": (day + dt.timedelta(days=1)).isoformat(), "opens": "09:00"}
    )
    assert "Give both the opening and the closing time" in half.content.decode()
    client.post(reverse("portal:remove_closure", args=[alder.closure.pk]))
    assert not ClosureDay.objects.filter(pk=alder.closure.pk).exists()
    assert AuditEntry.objects.filter(action="providers.closure.deleted", actor="alder-admin").exists()


def test_a_closure_today_closes_the_provider_in_the_router(alder):
    availability.add_closure(alder.provider.pk, availability.local_today(alder.provider), alder.admin)
    assert "open_now" in verdict(alder.provider).failed


def test_lines_and_beds_are_checked(client, login_verified, alder):
    login_verified(alder.admin)
    zero = client.post(reverse("portal:set_lines"), {"lines": "0"})
    assert zero.status_code == 400 and "To stop calls for a while, pause instead." in zero.content.decode()
    assert "Beds available" in client.post(reverse("portal:set_beds"), {"beds": "-1"}).content.decode()
    assert "cannot be negative" in client.post(reverse("portal:set_beds"), {"beds": "-1"}).content.decode()
    client.post(reverse("portal:set_lines"), {"lines": "3"})
    alder.provider.refresh_from_db()
    assert alder.provider.lines == 3
    with pytest.raises(ValidationError):
        availability.set_lines(alder.provider.pk, 51, alder.admin)
