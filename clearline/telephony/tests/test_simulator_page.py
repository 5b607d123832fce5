"""The staff-only call simulator: pretend calls through the real, signed webhooks, shown step by step."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from wagtail import hooks

from clearline.telephony import simulator_views
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallbackRequest, CallOutcome, LineSlot
from clearline.telephony.simulation import SimulatedCall, simulate_call
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.wagtail_hooks import register_call_simulator_menu_item

pytestmark = pytest.mark.django_db

URL = "/telephony/simulator/"
FIXED_SID = "CA" + "5" * 32


@pytest.fixture(autouse=True)
def twilio_off(settings):
    """As in the demo: no Twilio settings at all."""
    settings.TWILIO_AUTH_TOKEN = None
    settings.TWILIO_ACCOUNT_SID = None
    settings.CLEARLINE_PUBLIC_URL = ""


@pytest.fixture
def staff(client, django_user_model, login_verified):
    user = django_user_model.objects.create_user("operator", password="x", is_staff=True)
    login_verified(user)
    return user


def everyone(providers, behaviour: str) -> dict[str, str]:
    return {str(p.pk): behaviour for p in providers}


def run(providers, behaviours: dict[str, str], **kwargs) -> SimulatedCall:
    return simulate_call(number=HELPLINE, caller=CALLER, caller_state="WA", behaviours=behaviours, **kwargs)


def form_data(providers, behaviour: str = "accept", **fields: str) -> dict[str, str]:
    return {
        "number": HELPLINE,
        "caller": CALLER,
        "caller_state": "WA",
        "menu_digit": "",
        "callback": "on",
        "facility": "accept",
        **{f"provider_{p.pk}": behaviour for p in providers},
        **fields,
    }


def test_staff_see_the_form_with_each_number_and_provider(client, staff, helpline, providers):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert HELPLINE in page and all(p.name in page for p in providers)
    assert "<script>" not in page and "style=" not in page  # the CSP allows neither


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_and_non_staff_users_never_reach_it(
    client, django_user_model, helpline, providers, settings, monkeypatch, method, login_verified
):
    ran = []
    monkeypatch.setattr(simulator_views, "simulate_call", lambda **kw: ran.append(kw))
    data = form_data(providers) if method == "post" else None
    anonymous = getattr(client, method)(URL, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(settings.WAGTAILADMIN_LOGIN_URL)
    login_verified(django_user_model.objects.create_user("visitor", password="x"))
    member = getattr(client, method)(URL, data)
    assert member.status_code in (302, 403)
    assert b"Call simulator" not in member.content
    assert not ran and not Call.objects.exists() and not Attempt.objects.exists()


def test_the_second_wave_takes_the_call_when_the_first_does_not_answer(helpline, providers):
    probe = run(providers, everyone(providers, "no-answer"), call_sid=FIXED_SID)
    first, second = probe.call.trace["waves"][:2]
    taker = next(p for p in second if p not in first)
    behaviours = {str(p.pk): "no-answer" for p in providers} | {taker: "accept"}
    result = run(providers, behaviours, call_sid=FIXED_SID)
    assert result.call.trace["waves"][:2] == [first, second]  # the rolled-back probe changed nothing
    assert result.outcome == CallOutcome.CONNECTED
    assert str(result.call.connected_provider_id) == taker
    statuses = {(a.step_index, str(a.provider_id)): a.status for a in result.attempts}
    first_step = min(step for step, _ in statuses)
    assert all(statuses[(first_step, p)] == AttemptStatus.NO_ANSWER for p in first)
    assert AttemptStatus.ACCEPTED in statuses.values()
    assert all(slot.released_at for slot in result.line_slots)
    assert result.call.status == "completed"
    labels = [s.label for s in result.steps]
    assert any("presses 1 to accept" in label for label in labels)
    assert not any(step.failed for step in result.steps)


def test_nobody_free_ends_in_a_named_callback_and_nothing_is_kept(helpline, providers):
    result = run(providers, everyone(providers, "busy"))
    assert result.outcome == CallOutcome.CALLBACK
    assert result.callback is not None and result.callback.provider.name in {p.name for p in providers}
    assert result.callback.encrypted_number == ""
    assert {a.status for a in result.attempts} == {AttemptStatus.BUSY}
    dial_results = [dict(s.arguments).get("ending") for s in result.steps]
    assert "busy" in dial_results and "answered" not in dial_results
    # Pretend calls leave nothing behind.
    assert (
        not Call.objects.exists() and not CallbackRequest.objects.exists() and not LineSlot.objects.exists()
    )


def test_voicemail_never_takes_the_call(helpline, providers):
    result = run(providers, everyone(providers, "voicemail"), callback=False)
    assert result.outcome != CallOutcome.CONNECTED
    assert result.call.connected_provider_id is None
    assert AttemptStatus.ACCEPTED not in {a.status for a in result.attempts}
    assert any("Voicemail answers" in s.label for s in result.steps)
    assert result.callback is None


def test_pressing_9_transfers_to_the_crisis_line(helpline, providers):
    result = run(providers, everyone(providers, "accept"), menu_digit="9")
    assert result.outcome == CallOutcome.TRANSFERRED_CRISIS
    assert "+18002738255" in result.steps[1].body
    assert not result.attempts


def test_pressing_2_switches_to_spanish_and_carries_on(helpline, providers):
    result = run(providers, everyone(providers, "accept"), menu_digit="2")
    assert result.call.language == "es" and result.outcome == CallOutcome.CONNECTED


def test_the_page_shows_the_twiml_the_trace_and_the_records(client, staff, helpline, providers):
    response = client.post(URL, form_data(providers, "busy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/telephony/twilio/voice" in page and "/telephony/twilio/dial" in page
    assert "&lt;Gather" in page and "&lt;Dial" in page  # pretty-printed TwiML inside <pre>
    assert "open_now" in page and "free_slot" in page  # the trace table, filter by filter
    assert str(response.context["result"].call.trace["seed"]) in page
    assert "callback requested" in page
    assert "stored encrypted (not shown)" in page


def test_it_drives_the_call_flow_without_twilio_settings_or_the_test_client(
    client, settings, helpline, providers
):
    result = run(providers, everyone(providers, "accept"))
    assert result.outcome == CallOutcome.CONNECTED and not any(step.failed for step in result.steps)
    assert [s.event for s in result.steps][:2] == ["call_started", "menu_pressed"]
    assert settings.TWILIO_AUTH_TOKEN is None
    # The webhooks stay off: nothing was switched on for the run.
    assert client.post("/telephony/twilio/voice", {"CallSid": "CAx", "To": HELPLINE}).status_code == 404


def test_the_twiml_shown_carries_the_sites_public_urls(settings, helpline, providers):
    result = run(providers, everyone(providers, "accept"), origin="https://help.example.org")
    assert result.outcome == CallOutcome.CONNECTED
    assert "https://help.example.org/telephony/twilio/menu" in result.steps[0].body


def test_a_failing_event_shows_the_fallback_and_stops(monkeypatch, helpline, providers):
    def broken(**_kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("clearline.telephony.flow.menu_pressed", broken)
    result = run(providers, everyone(providers, "accept"))
    failed = [s for s in result.steps if s.failed]
    assert len(failed) == 1 and "1-800-662-4357" in failed[0].body
    assert result.outcome == CallOutcome.ABANDONED  # the caller's status still ends the call


def test_the_callers_number_never_appears_on_the_page(client, staff, helpline, providers):
    response = client.post(URL, form_data(providers, "no-answer"))
    page = response.content.decode()
    assert response.context["result"].outcome == CallOutcome.CALLBACK
    for form in (CALLER, CALLER[1:], CALLER[2:], "555-0177", "555 0177", "5550177"):
        assert form not in page
    assert "••77" in page  # masked: the last two digits only


def test_bad_input_is_explained_and_not_run(client, staff, helpline, providers, monkeypatch):
    ran = []
    monkeypatch.setattr(simulator_views, "simulate_call", lambda **kw: ran.append(kw))
    response = client.post(
        URL, form_data(providers, "sometimes", caller="12345", caller_state="W1", number="+1999")
    )
    assert response.status_code == 200 and not ran
    errors = response.context["form"].errors
    assert {"caller", "caller_state", "number", f"provider_{providers[0].pk}"} <= set(errors)
    page = response.content.decode()
    assert "Enter two letters" in page and 'value="12345"' not in page


def test_staff_find_it_in_the_wagtail_menu(django_user_model):
    assert register_call_simulator_menu_item in hooks.get_hooks("register_admin_menu_item")
    item = register_call_simulator_menu_item()
    request = RequestFactory().get("/")
    request.user = django_user_model(username="s", is_staff=True)
    assert item.url == URL and item.is_shown(request)
    request.user = django_user_model(username="m", is_staff=False)
    assert not item.is_shown(request)


def test_an_unknown_number_shows_the_failure_instead_of_an_error_page(helpline, providers):
    result = simulate_call(number="+12065550100", caller=CALLER, caller_state="WA", behaviours={})
    assert result.call is None
    assert result.steps[0].failed and "1-800-662-4357" in result.steps[0].body
    assert result.steps[-1].event == "status_changed" and result.steps[-1].failed
