"""The routing log: every call's decision trace chained in order, sealed per month, verified from the traces."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clearline.lib.pagecache import bump_generation
from clearline.reports import routing_log
from clearline.reports.daily import purge_old_call_details
from clearline.reports.models import RoutingLogEntry, RoutingLogHead, RoutingLogMonth
from clearline.reports.routing_log import GENESIS, Problem, append, purge_old_traces, verify_month
from clearline.reports.tests.conftest import make_call
from clearline.telephony.models import Call

pytestmark = pytest.mark.django_db

UTC = dt.UTC
OCT, NOV, DEC = dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)


def t(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def ended_call(start: dt.datetime, minutes: float = 3, **trace: object) -> Call:
    call = make_call(start, [])
    Call.objects.filter(pk=call.pk).update(
        ended_at=start + dt.timedelta(minutes=minutes),
        trace={"seed": call.pk, "order": ["1", "2"], "providers": [], **trace},
    )
    call.refresh_from_db()
    return call


def chained() -> list[int]:
    return list(RoutingLogEntry.objects.order_by("sequence").values_list("call_pk", flat=True))


def test_ended_calls_are_chained_in_order_of_their_end_once_each(providers):
    late_ender = ended_call(t(11, 10, 12), minutes=30)  # started first, ended last
    early = ended_call(t(11, 10, 12, 5))
    in_progress = make_call(t(11, 10, 12, 6), [])
    just_ended = ended_call(t(11, 10, 12, 40), minutes=0.5)  # ended 10 s before the run: settles first
    now = t(11, 10, 12, 40) + dt.timedelta(seconds=40)

    assert append(now).appended == 2
    assert chained() == [early.pk, late_ender.pk]
    # Each hash is SHA-256 of the previous hash, a newline and the canonical JSON of the trace and the call's fields.
    first = RoutingLogEntry.objects.get(sequence=1)
    body = {
        "call": {
            "id": early.pk,
            "sid": early.call_sid,
            "number_kind": "helpline",
            "started_at": early.started_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "seed": early.seed,
            "disclosure_version": None,
        },
        "trace": early.trace,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert first.entry_hash == hashlib.sha256(f"{GENESIS}\n{text}".encode()).hexdigest()
    assert RoutingLogEntry.objects.get(sequence=2).entry_hash == routing_log.chain_hash(
        first.entry_hash, Call.objects.filter(pk=late_ender.pk).values(*routing_log.CALL_FIELDS)[0]
    )

    assert append(now).appended == 0  # nothing twice
    later = now + dt.timedelta(minutes=5)
    assert append(later).appended == 1 and chained()[-1] == just_ended.pk
    # A call that never reports its end is chained by its start once it is a day old.
    assert append(t(11, 11, 12, 7)).appended == 1 and chained()[-1] == in_progress.pk
    assert RoutingLogHead.objects.get().sequence == 4


def test_a_finished_month_is_sealed_with_its_last_entry_and_never_changes(providers):
    october = [ended_call(t(10, 30, 15)), ended_call(t(10, 31, 16))]
    # 30 November 23:50 in New York is 1 December 04:50 UTC: a November call by the operator's clock.
    november = ended_call(t(12, 1, 4, 50))
    append(t(11, 2, 9))
    october_log = RoutingLogMonth.objects.get(period=OCT)
    assert (october_log.first_sequence, october_log.last_sequence, october_log.start_hash) == (1, 2, GENESIS)
    assert october_log.digest == RoutingLogEntry.objects.get(call_pk=october[1].pk).entry_hash
    assert not RoutingLogMonth.objects.filter(period=NOV).exists()

    result = append(t(12, 1, 5, 20))  # 00:20 on 1 December in New York: November is over
    assert result.sealed == (NOV,)
    november_log = RoutingLogMonth.objects.get(period=NOV)
    assert november_log.start_hash == october_log.digest and november_log.calls == 1
    assert november_log.digest == RoutingLogEntry.objects.get(call_pk=november.pk).entry_hash

    # A November call whose end arrives after the seal (from the event journal) goes into December's run.
    late = ended_call(t(11, 29, 10))
    append(t(12, 1, 6))
    entry = RoutingLogEntry.objects.get(call_pk=late.pk)
    assert entry.period == DEC and entry.sequence == 4
    assert RoutingLogMonth.objects.get(period=NOV).digest == november_log.digest
    assert verify_month(NOV, now=t(12, 2, 0)).ok


def test_a_month_with_no_calls_keeps_the_previous_digest(providers):
    ended_call(t(9, 15, 12))
    append(t(11, 2, 9))
    september, october = RoutingLogMonth.objects.order_by("period")
    assert october.calls == 0 and october.digest == october.start_hash == september.digest
    assert verify_month(OCT, now=t(11, 3, 0)).ok


@pytest.fixture
def sealed_november(providers) -> list[Call]:
    ended_call(t(10, 20, 12))
    calls = [ended_call(t(11, day, 12), order=[str(day)]) for day in (3, 9, 17, 25)]
    append(t(12, 2, 12))
    assert RoutingLogMonth.objects.filter(period=NOV).exists()
    return calls


NOW = t(12, 3, 12)


def test_an_untouched_month_verifies(sealed_november):
    result = verify_month(NOV, now=NOW)
    assert result.ok and result.entries == 4
    assert result.computed == RoutingLogMonth.objects.get(period=NOV).digest
    assert verify_month(NOV, digest=result.computed.upper(), now=NOW).ok  # as copied from the page


def test_an_edited_trace_is_named(sealed_november):
    edited = sealed_november[1]
    Call.objects.filter(pk=edited.pk).update(trace={**edited.trace, "order": ["2", "1"]})
    result = verify_month(NOV, now=NOW)
    assert result.problem == Problem.EDITED and result.call_pk == edited.pk
    assert f"call {edited.pk} ({edited.call_sid})" in result.message()
    # An identifying field counts too.
    Call.objects.filter(pk=edited.pk).update(trace=edited.trace)
    Call.objects.filter(pk=sealed_november[2].pk).update(seed=1)
    assert verify_month(NOV, now=NOW).call_pk == sealed_november[2].pk


def test_a_deleted_call_or_trace_is_named(sealed_november):
    gone, emptied = sealed_november[1], sealed_november[3]
    Call.objects.filter(pk=emptied.pk).update(trace={})
    Call.objects.filter(pk=gone.pk).delete()
    result = verify_month(NOV, now=NOW)
    assert (result.problem, result.call_pk) == (Problem.DELETED, gone.pk)
    assert "deleted" in result.message()
    RoutingLogEntry.objects.filter(call_pk=gone.pk).delete()
    assert verify_month(NOV, now=NOW).problem == Problem.ENTRY_MISSING


def test_a_trace_emptied_is_named_as_deleted(sealed_november):
    emptied = sealed_november[3]
    Call.objects.filter(pk=emptied.pk).update(trace={})
    result = verify_month(NOV, now=NOW)
    assert (result.problem, result.call_pk) == (Problem.ERASED, emptied.pk)


def test_a_log_rewritten_to_match_an_edit_no_longer_ends_at_the_published_digest(sealed_november):
    published = RoutingLogMonth.objects.get(period=NOV).digest
    edited = sealed_november[0]
    Call.objects.filter(pk=edited.pk).update(trace={"order": []})
    # Someone recomputes every entry and the stored digest after editing the trace ...
    log = RoutingLogMonth.objects.get(period=NOV)
    previous = log.start_hash
    for entry in RoutingLogEntry.objects.filter(period=NOV).order_by("sequence"):
        row = Call.objects.filter(pk=entry.call_pk).values(*routing_log.CALL_FIELDS)[0]
        previous = routing_log.chain_hash(previous, row)
        RoutingLogEntry.objects.filter(pk=entry.pk).update(entry_hash=previous)
    RoutingLogMonth.objects.filter(pk=log.pk).update(digest=previous)
    assert verify_month(NOV, now=NOW).ok  # ... the database agrees with itself,
    result = verify_month(NOV, digest=published, now=NOW)  # but not with the digest the public copied.
    assert result.problem == Problem.WRONG_DIGEST


def test_the_command_reports_ok_edited_and_deleted(sealed_november, capsys, settings):
    call_command("routing_log_verify", "--month", "2026-11")
    assert "verified: 4 calls" in capsys.readouterr().out
    edited = sealed_november[2]
    Call.objects.filter(pk=edited.pk).update(trace={"tampered": True})
    with pytest.raises(CommandError, match=f"call {edited.pk} .*edited") as raised:
        call_command("routing_log_verify", "--month", "2026-11")
    assert raised.value.returncode == 1
    Call.objects.filter(pk=edited.pk).delete()
    with pytest.raises(CommandError, match=f"call {edited.pk} .*deleted"):
        call_command("routing_log_verify", "--month", "2026-11")
    with pytest.raises(CommandError, match="no entries") as raised:
        call_command("routing_log_verify", "--month", "2025-01")
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("routing_log_verify", "--month", "November")


def test_pruning_keeps_every_month_within_retention_verifiable(sealed_november, settings):
    settings.CLEARLINE_CALL_DETAIL_RETENTION_DAYS = 30
    settings.CLEARLINE_TRACE_RETENTION_DAYS = 60
    mid_january = t(1, 15, 12).replace(year=2027)  # November's details are past 30 days; its traces are not
    purge_old_call_details(mid_january)
    assert Call.objects.filter(caller_hmac="").count() == 5 and not Call.objects.filter(trace={}).exists()
    assert purge_old_traces(mid_january) == 1  # October's call: its month ended more than 60 days ago
    assert purge_old_traces(mid_january) == 0  # safe twice
    assert verify_month(NOV, now=mid_january).ok
    assert verify_month(OCT, now=mid_january).past_retention
    settings.CLEARLINE_TRACE_RETENTION_DAYS = 31  # the command reads the clock: October ended 34 days ago
    with pytest.raises(CommandError, match="retention") as raised:
        call_command("routing_log_verify", "--month", "2026-10")
    assert raised.value.returncode == 2


def test_the_job_is_scheduled_every_minute(settings):
    assert dict(settings.CLEARLINE_PERIODIC_TASKS)["clearline.reports.tasks.append_routing_log"] <= 60


def test_the_transparency_page_publishes_the_sealed_digest_with_how_to_verify_it(client, sealed_november):
    digest = RoutingLogMonth.objects.get(period=NOV).digest
    page = client.get("/transparency/2026-11/").content.decode()
    assert digest in page and "4 calls" in page
    assert "clearline routing_log_verify --month 2026-11 --digest" in page
    assert "kept for 400 days after the month ends" in page
    RoutingLogMonth.objects.filter(period=NOV).delete()
    bump_generation()  # (a sealed month is never deleted; here only to see the page without it)
    page = client.get("/transparency/2026-11/").content.decode()
    assert digest not in page and "not published yet" in page


def test_the_open_month_verifies_before_the_previous_one_is_sealed(providers):
    ended_call(t(10, 30, 15))
    ended_call(t(11, 30, 12))
    append(t(11, 30, 13))  # October sealed; November open
    ended_call(t(12, 1, 5, 1), minutes=1)  # 00:02 on 1 December in New York
    append(t(12, 1, 5, 10))  # before November is sealed (15 minutes after it ends)
    assert RoutingLogEntry.objects.get(sequence=3).period == DEC
    assert not RoutingLogMonth.objects.filter(period=NOV).exists()
    assert verify_month(DEC, now=t(12, 1, 5, 10)).ok and verify_month(NOV, now=t(12, 1, 5, 10)).ok
    append(t(12, 1, 5, 20))
    assert verify_month(NOV, now=t(12, 1, 6)).ok and verify_month(DEC, now=t(12, 1, 6)).ok
    # A month's start that no longer matches the month before it is reported.
    RoutingLogMonth.objects.filter(period=NOV).update(start_hash="f" * 64)
    assert verify_month(NOV, now=t(12, 1, 6)).problem == Problem.WRONG_START


def test_a_backlog_is_chained_over_several_runs_and_sealed_once_caught_up(providers, monkeypatch):
    monkeypatch.setattr(routing_log, "BATCH_SIZE", 2)
    monkeypatch.setattr(routing_log, "MAX_PER_RUN", 2)
    calls = [ended_call(t(10, day, 12)) for day in (1, 2, 3)] + [ended_call(t(11, 1, 12))]
    assert append(t(11, 5, 0)) == routing_log.AppendResult(2, ())
    assert append(t(11, 5, 0)) == routing_log.AppendResult(2, ())  # a full batch: it may not be caught up yet
    assert append(t(11, 5, 0)) == routing_log.AppendResult(0, (OCT,))
    assert chained() == [call.pk for call in calls]


def test_the_operators_call_page_says_where_the_call_is_in_the_log(client, sealed_november, login_verified):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    login_verified(get_user_model().objects.create_superuser("olivia", "olivia@example.invalid", "x"))
    call = sealed_november[0]
    entry = RoutingLogEntry.objects.get(call_pk=call.pk)
    page = client.get(reverse("telephony_call", args=[call.pk])).content.decode()
    assert f"Entry #{entry.sequence} of the routing log, in 2026-11; entry hash {entry.entry_hash}." in page
    assert RoutingLogMonth.objects.get(period=NOV).digest in page
    unchained = make_call(t(12, 3, 12), [])
    page = client.get(reverse("telephony_call", args=[unchained.pk])).content.decode()
    assert "Not in the routing log yet" in page


def test_erasing_a_traces_replay_inputs_with_the_call_details_leaves_the_month_verifiable(providers):
    from clearline.telephony.retention import purge_call_details

    inputs = {"format": 2, "call": {"language": "en", "state": "WA", "zip": "981"}}
    ended_call(t(11, 5, 12), inputs=inputs)
    append(t(12, 2, 12))
    assert verify_month(NOV, now=NOW).ok
    assert purge_call_details(t(11, 1, 0), t(12, 1, 0)) == 1
    assert Call.objects.get().trace.keys() == {"seed", "order", "providers"}
    assert verify_month(NOV, now=NOW).ok
