"""``clearline replay``: recorded calls, made through the real call flow, planned again under proposed settings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from clearline.telephony.models import Call
from clearline.telephony.replay import period, proposal_from, run_replay
from clearline.telephony.retention import purge_call_details
from clearline.telephony.simulation import _Run, new_call_sid
from clearline.telephony.tests.conftest import CALLER, HELPLINE
from clearline.telephony.tests.test_wave_keys import second_wave
from clearline.telephony.tests.test_webhooks import ACCOUNT, TOKEN, Twilio, action_of, parse

pytestmark = pytest.mark.django_db


def place(behaviours: dict[str, str], callback: bool = True, menu_digit: str = "") -> str:
    """One call through the call flow (the call simulator's caller, kept rather than rolled back)."""
    run = _Run(
        number=HELPLINE,
        caller_number=CALLER,
        caller_state="WA",
        behaviours=behaviours,
        menu_digit=menu_digit,
        callback=callback,
        origin="http://testserver",
        call_sid=new_call_sid(),
    )
    run.play()
    return run.call_sid


@pytest.fixture
def month(helpline, providers):
    """Nine calls: Alder always accepts, Birch never answers, Cedar is busy; two callers take a callback, one
    declines, one presses 0 in the greeting."""
    alder, birch, cedar = (str(p.pk) for p in providers)
    everyone = {alder: "accept", birch: "no-answer", cedar: "busy"}
    for _ in range(5):
        place(everyone)
    nobody = {alder: "no-answer", birch: "no-answer", cedar: "no-answer"}
    place(nobody, callback=True)
    place(nobody, callback=True)
    place(nobody, callback=False)
    place(everyone, menu_digit="0")
    return providers


def replay_today(**settings):
    today = timezone.localdate()
    return run_replay(*period(today, today), proposal_from(settings))


def test_the_shipped_settings_reproduce_every_recorded_offer(month):
    report = replay_today()
    data = report.as_dict()
    assert (data["calls"], data["replayed"], data["not_replayable"]) == (9, 9, {})
    assert (data["same_plans"], data["same_offers"]) == (9, 9)
    for key, value in data["actual"].items():
        assert data["what_if"][key] == value, key
    for row in data["providers"]:
        assert row["offers"]["what_if"] == row["offers"]["actual"], row
        assert row["share_pct"]["what_if"] == row["share_pct"]["actual"], row
    assert data["actual"]["answered_pct"] == round(100 * 5 / 9, 1)
    assert {row["name"] for row in data["providers"]} == {p.name for p in month}


def test_waves_of_one_and_a_paused_provider_show_the_difference(month):
    alder = month[0]
    serial = replay_today(wave_size=1).as_dict()
    assert serial["same_plans"] < serial["replayed"]
    assert sum(p["offers"]["what_if"] for p in serial["providers"]) != sum(
        p["offers"]["actual"] for p in serial["providers"]
    )
    paused = replay_today(paused_providers=[alder.slug]).as_dict()
    by_name = {p["name"]: p for p in paused["providers"]}
    assert by_name[alder.name]["offers"]["what_if"] == 0
    assert by_name[alder.name]["offers"]["actual"] > 0
    assert paused["what_if"]["answered_pct"] < paused["actual"]["answered_pct"]


def test_calls_planned_without_recorded_inputs_are_counted_not_dropped(month):
    old = Call.objects.order_by("pk").first()
    Call.objects.filter(pk=old.pk).update(trace={k: v for k, v in old.trace.items() if k != "inputs"})
    data = replay_today().as_dict()
    assert data["calls"] == 9 and data["replayed"] == 8
    assert data["not_replayable"] == {
        "inputs not kept (planned before replay existed, or erased with the call details)": 1
    }


def test_the_command_prints_the_comparison_and_json(month, tmp_path, capsys):
    today = timezone.localdate().isoformat()
    settings = tmp_path / "serial.toml"
    settings.write_text("wave_size = 1\n")
    call_command("replay", "--from", today, "--to", today, "--settings", str(settings))
    text = capsys.readouterr().out
    assert "9 general helpline calls, 9 replayed" in text and "answered live %" in text
    assert month[0].name in text
    settings = tmp_path / "same.json"
    settings.write_text("{}")
    call_command("replay", "--from", today, "--to", today, "--settings", str(settings), "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["same_offers"] == 9
    assert data["settings"]["wave_size"] == 2 and data["settings"]["paused_providers"] == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ('{"ring_timeout_s": 30}', "bad.json", "Ring each wave for 5 to 20 seconds"),
        ('{"wave_sise": 1}', "bad.json", "Unknown setting(s): wave_sise"),
        ("{wave_size: 1", "bad.json", "is not valid JSON"),
        ("wave_size = ", "bad.toml", "is not valid TOML"),
        ('{"paused_providers": ["nobody"]}', "bad.json", "no single provider is called 'nobody'"),
    ],
)
def test_bad_settings_are_explained_and_the_command_fails(providers, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("replay", "--from", "2026-11-01", "--to", "2026-11-30", "--settings", str(path))


def test_a_missing_file_or_a_bad_date_is_explained(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "replay", "--from", "2026-11-01", "--to", "2026-11-30", "--settings", str(tmp_path / "x")
        )
    (tmp_path / "ok.json").write_text("{}")
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "replay", "--from", "November", "--to", "2026-11-30", "--settings", str(tmp_path / "ok.json")
        )
    with pytest.raises(CommandError, match="--to is before --from"):
        call_command(
            "replay", "--from", "2026-11-30", "--to", "2026-11-01", "--settings", str(tmp_path / "ok.json")
        )


def test_continuity_proposed_sends_a_repeat_caller_first_to_who_answered_them(month):
    alder = str(month[0].pk)  # every call here is from the same caller; Alder answered the first ones
    data = replay_today(continuity_days=7).as_dict()
    row = next(p for p in data["providers"] if p["id"] == alder)
    assert data["same_plans"] < data["replayed"]
    assert row["share_pct"]["what_if"] > row["share_pct"]["actual"]


def test_a_caller_who_pressed_0_at_a_wave_announcement_leaves_there_again(
    client, helpline, providers, settings
):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT, TOKEN
    settings.CLEARLINE_PUBLIC_URL = ""
    twilio = Twilio(client)
    announced, _rung = second_wave(twilio)
    parse(twilio.post(action_of(announced, "Gather"), Digits="0"))
    twilio.post("/telephony/twilio/status", CallStatus="completed", CallDuration="300")
    data = replay_today().as_dict()
    assert (data["replayed"], data["same_plans"], data["same_offers"]) == (1, 1, 1)
    assert data["what_if"] == data["actual"] and data["actual"]["left_pct"] == 100.0


def test_calls_whose_details_retention_erased_are_counted_not_replayed(month):
    before = replay_today().as_dict()
    first = Call.objects.order_by("pk").first()
    assert first is not None and "inputs" in first.trace
    purge_call_details(first.started_at, first.started_at + dt.timedelta(microseconds=1))
    first.refresh_from_db()
    assert (
        first.caller_state == first.caller_zip3 == "" and "inputs" not in first.trace and first.trace["order"]
    )  # the decision stays
    after = replay_today().as_dict()
    assert after["not_replayable"] == {
        "inputs not kept (planned before replay existed, or erased with the call details)": 1
    }
    assert after["replayed"] == before["replayed"] - 1
    Call.objects.filter(pk=first.pk).update(trace={})  # past trace retention
    assert replay_today().as_dict()["not_replayable"] == {"decision trace purged": 1}


def test_the_operators_month_and_days_whatever_zone_the_admin_runs_in(settings):
    from clearline.telephony.replay_settings import period as replay_period
    from clearline.telephony.roster_counts import rotation_period

    settings.TIME_ZONE = "America/New_York"
    late_on_the_31st = dt.datetime(2026, 11, 1, 3, 30, tzinfo=dt.UTC)  # 23:30 on 31 October in New York
    with timezone.override("Pacific/Kiritimati"):  # a staff member's own zone: already 1 November there
        assert rotation_period(late_on_the_31st) == "2026-10"
        start, _end = replay_period(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        assert start == dt.datetime(2026, 11, 1, 4, 0, tzinfo=dt.UTC)
