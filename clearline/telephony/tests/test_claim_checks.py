"""Finished calls checked against the claims they were made under, from the real call records."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clearline.content.models import DisclosureVersion, Helpline, HelplineKind
from clearline.content.tests.conftest import add_provider
from clearline.lib.pagecache import current_generation
from clearline.providers.models import Provider
from clearline.providers.routing_inputs import standing_snapshot
from clearline.providers.routing_settings import current_routing_settings
from clearline.routing import CallbackOffer, Dial, Intent
from clearline.routing.claim_builders import FeeTerms, number_claims
from clearline.routing.claims import ListingRingsOnlyFacility
from clearline.telephony import services, tasks
from clearline.telephony.claim_checks import CheckResult, check_call, check_finished_calls, facts_for
from clearline.telephony.models import Attempt, Call, CallbackRequest, CallbackStatus
from clearline.telephony.tests.conftest import CALLER, HELPLINE, wave_over

pytestmark = pytest.mark.django_db

LISTING = "+12065550150"


def claims_document(helpline: Helpline, providers: list[Provider]) -> dict[str, object]:
    """What the disclosure version stores: the number's claims (from these providers and the settings in
    force), and the listing numbers' claim."""
    now = timezone.now()
    claims = number_claims(
        [standing_snapshot(p) for p in providers],
        current_routing_settings().to_policy(),
        FeeTerms("monthly", frozenset(str(p.pk) for p in providers)),
        now,
        intent=Intent(helpline.intent),
    )
    return {
        "numbers": {str(helpline.pk): [c.as_dict() for c in claims]},
        "listing": [ListingRingsOnlyFacility().as_dict()],
    }


def start(call_sid: str = "CA-claims-1", to: str = HELPLINE) -> Call:
    return services.start_call(call_sid=call_sid, to_number=to, caller_number=CALLER).call


def made_under(call: Call, claims: dict[str, object]) -> Call:
    """Store ``claims`` on the call's disclosure version (as the disclosure does) and reload the call."""
    DisclosureVersion.objects.filter(pk=call.disclosure_version_id).update(claims=claims)
    return reload(call)


def reload(call: Call) -> Call:
    return (
        Call.objects.select_related("disclosure_version", "callback")
        .prefetch_related("attempts")
        .get(pk=call.pk)
    )


def end(call: Call) -> Call:
    services.advance_call_status(call.call_sid, "completed", duration_s=60)
    return reload(call)


def later() -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=5)


def ring(call: Call, dial: Dial, outcome: str) -> object:
    ids = [t.id for t in dial.targets]
    services.reserve_lines(call, ids)
    services.record_attempts(call, dial.index, ids)
    if outcome == "accept":
        services.accept_attempt(call, dial.index, ids[0])
        return wave_over(call, dial.index, "answered", 5)
    return wave_over(call, dial.index, "no-answer", dial.ring_timeout_s)


@pytest.fixture
def claims(helpline, providers) -> dict[str, object]:
    return claims_document(helpline, providers)


def test_a_connected_helpline_call_is_told_as_it_happened_and_keeps_its_claims(helpline, providers, claims):
    call = made_under(start(), claims)
    dial = call.routing_plan.first_dial()
    assert dial is not None
    ring(call, dial, "accept")
    call = end(call)

    facts = facts_for(call)
    ids = tuple(t.id for t in dial.targets)
    assert facts.kind == "helpline" and facts.outcome == "connected"
    assert facts.waves[0] == ids and all(w == () for w in facts.waves[1:])
    assert facts.named == ids and facts.connected == ids[0]
    assert set(facts.eligible) == {str(p.pk) for p in providers}
    assert facts.at == call.routing_started_at and facts.callback_assignees == ()

    assert check_call(call, later()) is CheckResult.KEPT
    call.refresh_from_db()
    assert call.claims_checked_at is not None and call.claim_violations == []


def test_a_call_still_going_or_waiting_for_its_callback_is_checked_later(helpline, providers, claims):
    call = made_under(start(), claims)
    assert check_call(call, later()) is CheckResult.NOT_FINISHED
    step = call.routing_plan.first_dial()
    while isinstance(step, Dial):
        step = ring(call, step, "no-answer")
    assert isinstance(step, CallbackOffer)
    services.record_callback(call, step.provider_id, step.deadline, CALLER)
    call = end(call)
    assert check_call(call, later()) is CheckResult.NOT_FINISHED  # the callback is still open
    assert Call.objects.get(pk=call.pk).claims_checked_at is None

    CallbackRequest.objects.filter(call=call).update(
        status=CallbackStatus.RETURNED, outcome="reached", closed_at=timezone.now()
    )
    call = reload(call)
    facts = facts_for(call)
    assert facts.outcome == "callback"
    assert facts.callback_assignees == (step.provider_id,)
    assert facts.callback_consent == tuple(call.callback.consent.get("provider_ids", ()))
    assert facts.callback_minutes is not None and facts.callback_minutes <= step.minutes + 2
    assert facts.callback_open_hours is not None and facts.callback_open_hours < 1
    assert len([w for w in facts.waves if w]) >= 2
    assert check_call(call, later()) is CheckResult.KEPT


def test_a_callback_passed_to_a_provider_the_caller_did_not_agree_to_contradicts_the_promise(
    helpline, providers, claims
):
    call = made_under(start(), claims)
    step = call.routing_plan.first_dial()
    while isinstance(step, Dial):
        step = ring(call, step, "no-answer")
    assert isinstance(step, CallbackOffer)
    services.record_callback(call, step.provider_id, step.deadline, CALLER)
    other = next(str(p.pk) for p in providers if str(p.pk) != step.provider_id)
    CallbackRequest.objects.filter(call=call).update(
        consent={"provider_ids": [step.provider_id]},
        assignees=[step.provider_id, other],
        status=CallbackStatus.RETURNED,
        closed_at=timezone.now(),
    )
    call = end(call)
    assert check_call(call, later()) is CheckResult.CONTRADICTED
    assert [v["kind"] for v in Call.objects.get(pk=call.pk).claim_violations] == ["callback"]


def test_a_provider_rung_who_is_not_in_the_claims_is_recorded_as_a_contradiction(helpline, providers):
    named = providers[:2]
    outsider = providers[2]
    call = made_under(start(), claims_document(helpline, named))
    dial = call.routing_plan.first_dial()
    assert dial is not None
    ring(call, dial, "no-answer")
    Attempt.objects.create(call=call, step_index=dial.index + 1, provider=outsider, status="no-answer")
    call = end(call)

    assert str(outsider.pk) in facts_for(call).rung
    assert check_call(call, later()) is CheckResult.CONTRADICTED
    stored = Call.objects.get(pk=call.pk).claim_violations
    kinds = {v["kind"] for v in stored}
    assert {"answered_by", "flat_fee"} <= kinds
    answered_by = next(v["claim"] for v in stored if v["kind"] == "answered_by")
    assert {p["id"] for p in answered_by["providers"]} == {str(p.pk) for p in named}


def test_a_listing_call_keeps_its_claim_and_one_forged_to_a_provider_does_not(providers, claims, helpline):
    from clearline.directory.demo import load_demo_facilities
    from clearline.directory.models import Facility

    load_demo_facilities()
    Helpline.objects.create(
        label="Listing",
        intent="rehabilitation",
        number=LISTING,
        kind=HelplineKind.LISTING,
        facility=Facility.objects.first(),
    )
    kept = made_under(start("CA-listing-1", LISTING), claims)
    kept = end(kept)
    facts = facts_for(kept)
    assert facts.kind == "listing" and facts.rung == frozenset() and facts.named == ()
    assert check_call(kept, later()) is CheckResult.KEPT

    forged = made_under(start("CA-listing-2", LISTING), claims)
    Attempt.objects.create(call=forged, step_index=2, provider=providers[0], status="no-answer")
    forged = end(forged)
    assert check_call(forged, later()) is CheckResult.CONTRADICTED
    assert [v["kind"] for v in Call.objects.get(pk=forged.pk).claim_violations] == ["listing_only"]


def test_a_call_made_before_claims_were_stored_is_never_marked(helpline, providers):
    call = made_under(start(), {})
    call = end(call)
    assert check_call(call, later()) is CheckResult.NOT_CHECKABLE
    call.refresh_from_db()
    assert call.claims_checked_at is None and call.claim_violations == []
    assert check_finished_calls(later()) == {"checked": 0, "contradicted": 0, "not_checkable": 0}


def test_a_number_the_version_says_nothing_about_is_counted_as_not_checkable(helpline, providers, claims):
    other = Helpline.objects.create(label="Alcohol", intent="hotline", number="+12065550102")
    call = made_under(start(), {**claims, "numbers": {str(other.pk): claims["numbers"][str(helpline.pk)]}})
    end(call)
    assert check_finished_calls(later()) == {"checked": 0, "contradicted": 0, "not_checkable": 1}
    assert Call.objects.get(pk=call.pk).claims_checked_at is None


def test_the_job_checks_each_finished_call_once(helpline, providers, claims):
    first = made_under(start("CA-job-1"), claims)
    dial = first.routing_plan.first_dial()
    assert dial is not None
    ring(first, dial, "accept")
    end(first)
    forged = made_under(start("CA-job-2"), claims)
    Attempt.objects.create(
        call=forged, step_index=99, provider=add_provider("Dune House"), status="no-answer"
    )
    end(forged)
    going = made_under(start("CA-job-3"), claims)

    assert check_finished_calls(timezone.now()) == {"checked": 0, "contradicted": 0, "not_checkable": 0}
    moment = later()
    assert check_finished_calls(moment) == {"checked": 2, "contradicted": 1, "not_checkable": 0}
    stamps = dict(Call.objects.values_list("call_sid", "claims_checked_at"))
    assert stamps == {"CA-job-1": moment, "CA-job-2": moment, "CA-job-3": None}
    violations = Call.objects.get(pk=forged.pk).claim_violations

    assert tasks.check_finished_calls.call() == {"checked": 0, "contradicted": 0, "not_checkable": 0}
    assert check_finished_calls(moment + dt.timedelta(hours=1)) == {
        "checked": 0,
        "contradicted": 0,
        "not_checkable": 0,
    }
    assert dict(Call.objects.values_list("call_sid", "claims_checked_at")) == stamps
    assert Call.objects.get(pk=forged.pk).claim_violations == violations
    assert Call.objects.get(pk=going.pk).claims_checked_at is None


def test_checking_a_call_of_a_published_month_renews_the_public_pages(helpline, providers, claims):
    call = end(made_under(start(), claims))
    before = current_generation()
    check_finished_calls(later())  # a call of this month: not published yet, nothing to renew
    assert current_generation() == before

    old = end(made_under(start("CA-claims-old"), claims))
    Call.objects.filter(pk=old.pk).update(started_at=call.started_at - dt.timedelta(days=40))
    check_finished_calls(later())
    assert current_generation() == before + 1


def test_the_job_is_scheduled_every_few_minutes(settings):
    intervals = dict(settings.CLEARLINE_PERIODIC_TASKS)
    assert intervals["clearline.telephony.tasks.check_finished_calls"] <= 600


def test_every_routing_filter_has_plain_words():
    from clearline.routing.eligibility import FILTERS
    from clearline.telephony.call_story import FILTER_WORDS

    assert set(FILTER_WORDS) == set(FILTERS)
