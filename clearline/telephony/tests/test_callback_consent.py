"""Callback consent (issue 10, item 8): the offer says who may call back and for how long, the exact words are
stored with the request, and a missed deadline never moves the caller's number beyond what they agreed to."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.routing import CallbackOffer, DialTarget
from clearline.routing.steps import Plan
from clearline.telephony import callback_deadlines, services
from clearline.telephony.models import CallbackRequest, CallbackStatus
from clearline.telephony.plan_codec import decode_plan, encode_plan
from clearline.telephony.tests.conftest import CALLER
from clearline.telephony.tests.test_services import start
from clearline.telephony.tests.test_webhooks import (
    Twilio,
    action_of,
    is_wave,
    parse,
    twilio_on,  # noqa: F401 (autouse fixture)
)
from clearline.telephony.twilio import twiml
from clearline.telephony.twilio.tests.twiml_helpers import assert_never_silent, spoken
from clearline.telephony.twilio.tests.twiml_helpers import parse as parse_xml
from clearline.telephony.twilio.twiml.callback import (
    CONSENT_VERSION,
    callback_offer_speech,
    offer_speech,
    render_callback_offer_step,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 4, 19, 0, tzinfo=dt.UTC)
URLS = twiml.Urls(callback_action="https://help.example.org/telephony/twilio/callback?call=7")


def an_offer(*backups: str, open_hours: int | None = 36, number_kept_days: int | None = 3) -> CallbackOffer:
    return CallbackOffer(
        index=4,
        provider_id="1",
        provider_name="Cedar Harbor",
        deadline=NOW + dt.timedelta(minutes=15),
        minutes=15,
        text="",
        backups=tuple(DialTarget(str(n), name) for n, name in enumerate(backups, start=2)),
        open_hours=open_hours,
        number_kept_days=number_kept_days,
    )


# --- what the caller hears -------------------------------------------------------------------------------------


def test_the_offer_names_the_backups_and_how_long_the_request_stays_open():
    root = assert_never_silent(render_callback_offer_step(an_offer("Mesa Recovery", "Riverbend"), "en", URLS))
    said = spoken(root)
    assert "Press 1 and Cedar Harbor will call you back within 15 minutes." in said
    assert (
        "If Cedar Harbor does not call you in time, your request may go to Mesa Recovery or Riverbend instead, "
        "and to nobody else." in said
    )
    assert "We keep your request open for up to 36 hours." in said
    assert "it is closed, and your number is deleted 3 days later" in said
    assert "press 0" in said and "9" in said


def test_without_backups_there_is_no_second_sentence():
    said = spoken(assert_never_silent(render_callback_offer_step(an_offer(), "en", URLS)))
    assert "in time" not in said and "nobody else" not in said
    assert "up to 36 hours" in said


def test_the_number_keeping_is_said_as_it_is():
    one = spoken(assert_never_silent(render_callback_offer_step(an_offer(number_kept_days=1), "en", URLS)))
    assert "your number is deleted 1 day later" in one
    at_once = spoken(
        assert_never_silent(render_callback_offer_step(an_offer(number_kept_days=0), "en", URLS))
    )
    assert "it is closed, and your number is deleted." in at_once
    unstated = spoken(assert_never_silent(render_callback_offer_step(an_offer(open_hours=None), "en", URLS)))
    assert "hours" not in unstated and "deleted" not in unstated  # a plan stored before the terms existed


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_spoken_offer_is_the_consent_text_word_for_word(language):
    offer = an_offer("Mesa Recovery", "Riverbend")
    said = spoken(parse_xml(render_callback_offer_step(offer, language, URLS)))
    assert said == offer_speech(offer, language)
    assert said == callback_offer_speech("Cedar Harbor", ["Mesa Recovery", "Riverbend"], 15, 36, 3, language)


# --- the plan carries the backups through storage ----------------------------------------------------------------


def test_the_plan_codec_keeps_the_backups_and_reads_plans_stored_before_them():
    offer = an_offer("Mesa Recovery", "Riverbend")
    plan = Plan("CA1", "helpline", (offer,), 40, "1")
    assert decode_plan(encode_plan(plan)) == plan
    old = encode_plan(plan)
    for field in ("backups", "open_hours", "number_kept_days"):
        del old["steps"][0][field]
    decoded = decode_plan(old).steps[0]
    assert isinstance(decoded, CallbackOffer) and decoded.backups == () and decoded.provider_ids == ("1",)
    assert decoded.open_hours is None and decoded.number_kept_days is None
    assert (offer.open_hours, offer.number_kept_days) == (36, 3)
    kept = decode_plan(encode_plan(plan)).steps[0]
    assert isinstance(kept, CallbackOffer) and (kept.open_hours, kept.number_kept_days) == (36, 3)


def test_storing_a_plan_fixes_the_deployments_callback_terms(settings):
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = 12
    settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS = 2
    fresh = an_offer("Mesa Recovery", open_hours=None, number_kept_days=None)  # as plan_call makes it
    plan = Plan("CA1", "helpline", (fresh,), 40, "1")
    stored = decode_plan(encode_plan(plan)).steps[0]
    assert isinstance(stored, CallbackOffer)
    assert (stored.open_hours, stored.number_kept_days) == (12, 2)
    assert decode_plan(encode_plan(plan)) == plan  # the terms are not part of the routing decision
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = 30
    again = decode_plan(encode_plan(Plan("CA1", "helpline", (stored,), 40, "1"))).steps[0]
    assert isinstance(again, CallbackOffer) and (again.open_hours, again.number_kept_days) == (12, 2)


# --- what is stored -------------------------------------------------------------------------------------------


def offer_of(call) -> CallbackOffer:
    return next(s for s in call.routing_plan.steps if isinstance(s, CallbackOffer))


def test_record_callback_stores_the_consent_with_the_request(helpline, providers, settings):
    call = start().call
    offer = offer_of(call)
    assert len(offer.backups) == 2  # the other two providers pass this caller's callback filters
    hours = settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS
    assert offer.open_hours == hours
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = (
        hours + 5
    )  # changed mid-call: the caller was told the old terms
    callback = services.record_callback(call, offer.provider_id, offer.deadline, CALLER)
    stored = CallbackRequest.objects.get(pk=callback.pk)
    assert stored.consent == {
        "version": CONSENT_VERSION,
        "language": "en",
        "text": callback_offer_speech(
            offer.provider_name,
            [b.name for b in offer.backups],
            offer.minutes,
            hours,
            settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS,
            "en",
        ),
        "provider_ids": [offer.provider_id, *(b.id for b in offer.backups)],
        "minutes": offer.minutes,
        "open_hours": hours,
    }
    assert stored.assignees == [offer.provider_id]
    for backup in offer.backups:
        assert backup.name in stored.consent["text"]


def through_the_webhooks_to_the_offer(client):
    twilio = Twilio(client)
    root = parse(twilio.post(action_of(parse(twilio.post("/telephony/twilio/voice")), "Gather"), Digits=""))
    while is_wave(root):
        root = parse(twilio.post(action_of(root, "Dial"), DialCallStatus="no-answer"))
    return twilio, root


def test_pressing_1_stores_the_consent_before_the_confirmation(client, helpline, providers):
    twilio, offer_root = through_the_webhooks_to_the_offer(client)
    confirmed = parse(twilio.post(action_of(offer_root, "Gather"), Digits="1"))
    request = CallbackRequest.objects.select_related("call").get()
    offer = offer_of(request.call)
    assert request.consent["version"] == CONSENT_VERSION
    assert request.consent["provider_ids"] == list(offer.provider_ids)
    assert request.assignees == [str(request.provider_id)] == [offer.provider_id]
    assert request.provider.name in " ".join(s.text for s in confirmed.iter("Say"))


def test_the_stored_consent_is_exactly_what_the_caller_heard_through_the_webhooks(
    client, helpline, providers
):
    twilio, offer_root = through_the_webhooks_to_the_offer(client)
    heard = " ".join(s.text for s in offer_root.find("Gather").iter("Say"))
    parse(twilio.post(action_of(offer_root, "Gather"), Digits="1"))
    request = CallbackRequest.objects.get()
    assert request.consent["text"] == heard
    assert len(request.consent["provider_ids"]) == 3
    for provider in providers:
        if str(provider.pk) != str(request.provider_id):
            assert provider.name in heard


# --- a missed deadline stays within the consent -------------------------------------------------------------------


@pytest.fixture
def consented(helpline, providers, django_capture_on_commit_callbacks):
    """A callback offered while the third provider was paused: the caller agreed to the first two only."""
    outsider = providers[2]
    outsider.paused = True
    outsider.save()
    call = start().call
    offer = offer_of(call)
    assert set(offer.provider_ids) == {str(providers[0].pk), str(providers[1].pk)}
    with django_capture_on_commit_callbacks(execute=True):
        callback = services.record_callback(call, offer.provider_id, offer.deadline, CALLER)
    outsider.paused = False  # eligible again, and the least loaded: but the caller never heard its name
    outsider.save()
    return callback


def test_a_missed_deadline_reassigns_only_to_a_provider_in_the_consent(consented, providers):
    first = consented.provider_id
    backup = next(int(p) for p in consented.consent["provider_ids"] if int(p) != first)
    late = consented.due_at + dt.timedelta(minutes=1)
    assert callback_deadlines.enforce_callback_deadlines(late) == 1
    consented.refresh_from_db()
    assert consented.provider_id == backup and consented.provider_id != providers[2].pk
    assert consented.assignees == [str(first), str(backup)]
    assert consented.reassignments == 1 and consented.status == CallbackStatus.OPEN
    assert callback_deadlines.enforce_callback_deadlines(late) == 0  # running the job again changes nothing

    # The backup misses its deadline too: everyone the caller agreed to has had it. Operators are told; the
    # eligible outsider never gets the number.
    later = consented.due_at + dt.timedelta(minutes=1)
    assert callback_deadlines.enforce_callback_deadlines(later) == 0
    consented.refresh_from_db()
    assert consented.provider_id == backup and consented.reassignments == 1
    assert consented.assignees == [str(first), str(backup)]
    assert consented.escalated_at == later
    assert callback_deadlines.enforce_callback_deadlines(later + dt.timedelta(minutes=5)) == 0
    consented.refresh_from_db()
    assert consented.provider_id == backup and consented.escalated_at == later


def test_with_no_consented_provider_able_it_escalates_and_does_not_reassign(consented, providers):
    first = consented.provider_id
    backup = next(p for p in providers if str(p.pk) in consented.consent["provider_ids"] and p.pk != first)
    backup.paused = True
    backup.save()
    late = consented.due_at + dt.timedelta(minutes=1)
    assert callback_deadlines.choose_reassignment(consented, late) is None
    assert callback_deadlines.enforce_callback_deadlines(late) == 0
    consented.refresh_from_db()
    assert consented.provider_id == first and consented.reassignments == 0
    assert consented.assignees == [str(first)] and consented.escalated_at == late


def test_a_request_stored_without_consent_is_never_reassigned(helpline, providers):
    call = start().call
    offer = offer_of(call)
    callback = services.record_callback(call, offer.provider_id, offer.deadline, CALLER)
    CallbackRequest.objects.filter(pk=callback.pk).update(
        consent={}, assignees=[]
    )  # as before consent existed
    late = offer.deadline + dt.timedelta(minutes=1)
    assert callback_deadlines.enforce_callback_deadlines(late) == 0
    callback.refresh_from_db()
    assert str(callback.provider_id) == offer.provider_id and callback.reassignments == 0
    assert callback.escalated_at == late


# --- how long the request stays open ----------------------------------------------------------------------------


def test_expiry_honours_the_open_hours_the_caller_was_told(helpline, providers, settings):
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = 48
    calls = [start(f"CA-open-{n}").call for n in range(2)]
    told, legacy = (
        services.record_callback(call, offer_of(call).provider_id, offer_of(call).deadline, CALLER)
        for call in calls
    )
    CallbackRequest.objects.filter(pk=told.pk).update(consent={**told.consent, "open_hours": 6})
    CallbackRequest.objects.filter(pk=legacy.pk).update(consent={})
    asked = CallbackRequest.objects.get(pk=told.pk).created_at

    callback_deadlines.expire_callbacks(asked + dt.timedelta(hours=5, minutes=59))
    assert CallbackRequest.objects.filter(status=CallbackStatus.OPEN).count() == 2
    assert callback_deadlines.expire_callbacks(asked + dt.timedelta(hours=6, minutes=1)) == 1
    # safe to run twice
    assert callback_deadlines.expire_callbacks(asked + dt.timedelta(hours=6, minutes=2)) == 0
    assert CallbackRequest.objects.get(pk=told.pk).status == CallbackStatus.EXPIRED
    assert CallbackRequest.objects.get(pk=legacy.pk).status == CallbackStatus.OPEN

    callback_deadlines.enforce_callback_deadlines(asked + dt.timedelta(hours=47))
    assert CallbackRequest.objects.get(pk=legacy.pk).status == CallbackStatus.OPEN
    callback_deadlines.enforce_callback_deadlines(asked + dt.timedelta(hours=48, minutes=5))
    assert CallbackRequest.objects.get(pk=legacy.pk).status == CallbackStatus.EXPIRED


def test_a_longer_open_time_keeps_the_request_past_the_setting(helpline, providers, settings):
    settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS = 24
    call = start().call
    callback = services.record_callback(call, offer_of(call).provider_id, offer_of(call).deadline, CALLER)
    CallbackRequest.objects.filter(pk=callback.pk).update(consent={**callback.consent, "open_hours": 72})
    asked = CallbackRequest.objects.get(pk=callback.pk).created_at
    assert callback_deadlines.expire_callbacks(asked + dt.timedelta(hours=30)) == 0
    assert callback_deadlines.expire_callbacks(asked + dt.timedelta(hours=72, minutes=1)) == 1
