""" "A slot is open" has one definition (``telephony.models.SLOT_HELD``, ``LineSlot.objects.held()``), and every
statement that counts or releases lines uses it: the roster's counts, the wave's reservation, the end of a call
and the reaper agree on which slots are held."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from clearline.telephony import callbacks, roster, statements
from clearline.telephony.models import SLOT_HELD, Call, LineSlot
from clearline.telephony.sql import where

pytestmark = pytest.mark.django_db


def make_call(helpline, sid: str, ended: bool = False) -> Call:
    now = timezone.now()
    return Call.objects.create(
        call_sid=sid,
        helpline=helpline,
        number_kind="helpline",
        seed=1,
        plan={},
        trace={},
        routing_started_at=now,
        ended_at=now if ended else None,
    )


def test_a_released_slot_is_not_held(helpline, providers):
    alder, birch, _cedar = providers
    call = make_call(helpline, "CA" + "1" * 32)
    held = LineSlot.objects.create(call=call, provider=alder)
    LineSlot.objects.create(call=call, provider=birch, released_at=timezone.now())
    assert list(LineSlot.objects.held()) == [held]


def test_release_releases_each_held_slot_exactly_once(helpline, providers):
    alder, birch, _cedar = providers
    call = make_call(helpline, "CA" + "2" * 32)
    LineSlot.objects.create(call=call, provider=alder)
    LineSlot.objects.create(call=call, provider=birch)
    moment = timezone.now()
    assert LineSlot.objects.filter(call=call).release(moment) == 2
    assert LineSlot.objects.filter(call=call).release(moment + dt.timedelta(minutes=1)) == 0
    assert set(LineSlot.objects.values_list("released_at", flat=True)) == {moment}


def test_the_counts_the_wave_and_the_reaper_agree_on_what_is_held(helpline, providers):
    alder, birch, cedar = providers
    live, ended = make_call(helpline, "CA" + "3" * 32), make_call(helpline, "CA" + "4" * 32, ended=True)
    LineSlot.objects.create(call=live, provider=alder)
    LineSlot.objects.create(call=live, provider=birch, released_at=timezone.now())
    LineSlot.objects.create(call=ended, provider=cedar)
    held = {pk: LineSlot.objects.held().filter(provider=pk).count() for pk in (alder.pk, birch.pk, cedar.pk)}
    assert held == {alder.pk: 1, birch.pk: 0, cedar.pk: 1}

    roster.forget()
    _inputs, counts = roster.current(timezone.now())
    assert {pk: counts.lines_in_use.get(pk, 0) for pk in held} == held
    with transaction.atomic():
        usage = statements.open_lines(list(held), live.pk)
    assert {pk: n for pk, (n, _mine) in usage.items()} == {pk: n for pk, n in held.items() if n}
    assert usage[alder.pk] == (1, 1)

    assert callbacks.reap_line_slots() == 1  # the ended call's slot, and only it
    assert list(LineSlot.objects.held().values_list("provider", flat=True)) == [alder.pk]


def test_the_end_of_a_call_releases_only_its_held_slots(helpline, providers):
    alder, birch, _cedar = providers
    call, other = make_call(helpline, "CA" + "5" * 32), make_call(helpline, "CA" + "6" * 32)
    earlier = timezone.now() - dt.timedelta(minutes=5)
    released = LineSlot.objects.create(call=call, provider=alder, released_at=earlier)
    LineSlot.objects.create(call=call, provider=birch)
    LineSlot.objects.create(call=other, provider=birch)
    with transaction.atomic():
        assert statements.end_call(call.call_sid, timezone.now(), 30, "pending", "abandoned")
    released.refresh_from_db()
    assert released.released_at == earlier  # released once, never again
    assert not LineSlot.objects.held().filter(call=call).exists()
    assert LineSlot.objects.held().filter(call=other).count() == 1


def test_the_hand_written_sql_says_held_as_the_model_does():
    sql = where(LineSlot, SLOT_HELD)
    assert "released_at" in sql and "IS NULL" in sql.upper()
    assert "." not in sql  # unqualified: it reads the same in any statement on the slots' table
