"""Hand-written SQL for the statements every call set-up runs: adding the decision's share credit, holding a
wave's lines, recording its attempts, and ending the call.

Each function is one short statement that the ORM spends more CPU composing than the database spends running.
Kept because the benchmark shows it: ``bench/webhooks.py --statements`` runs each both ways (the ORM spelling is
``OrmStatements`` there), and per set-up these cost 4.3 ms of CPU (this process and PostgreSQL) against 27.6 ms
through the ORM, 23 ms more on a set-up whose three webhooks cost about 12 ms in all. The figure beside each
function is from that run (median CPU ms, here / through the ORM). ``apply_share_credit`` also has no ORM
spelling at all (the ORM's upsert cannot add to a column).

They read and write exactly what the ORM spelling does; table and column names come from the models' metadata,
"a slot is held" is the models' ``SLOT_HELD`` compiled once, values are always parameters, and the same SQL runs
on SQLite and PostgreSQL (``FOR UPDATE`` only where the database has it; SQLite's IMMEDIATE transactions lock the
whole database instead). ``services`` is their only caller.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection

from clearline.providers.models import Provider
from clearline.telephony.models import SLOT_HELD, Attempt, AttemptStatus, Call, LineSlot, RotationCredit
from clearline.telephony.roster_counts import rotation_period
from clearline.telephony.sql import marks, table, where


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _when(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _run(sql: str, params: Sequence[Any]) -> tuple[list[tuple[Any, ...]], int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        return rows, cursor.rowcount


# bench/webhooks.py --in-process-only --baseline <tree with Call.objects.create>, 7 rounds: voice 3.91 -> 3.53 ms
# wall, 2.86 -> 2.57 ms CPU (the ORM composing the INSERT of a 24-column row was the cost).
def insert_call(call: Call, credit: dict[str, float] | None = None, now: dt.datetime | None = None) -> None:
    """INSERT a new call from an unsaved instance (the model has applied its defaults) and give it its id, as
    ``Call.objects.create`` would; a repeated CallSid raises ``IntegrityError`` the same way.

    ``credit`` (share-credit changes, as ``apply_share_credit`` takes them, for the month of ``now``) is added in
    the same statement on PostgreSQL, so it is written exactly when the call is: one round trip instead of two
    (see ``_insert_call_sql``); elsewhere it is the next statement."""
    values = [adapt(getattr(call, attname)) for attname, adapt in _call_adapters(connection.vendor)]
    rows_sql, params = _credit_rows(credit or {}, now or call.started_at)
    if rows_sql and connection.vendor == "postgresql":
        rows, _count = _run(_insert_call_sql(connection.vendor, rows_sql), [*values, *params])
    else:
        rows, _count = _run(_insert_call_sql(connection.vendor), values)
        if rows_sql:
            _run(_upsert_credit_sql(rows_sql), params)
    call.pk = rows[0][0]
    call._state.adding = False
    call._state.db = connection.alias


def _call_fields() -> list[Any]:
    return [field for field in Call._meta.concrete_fields if not field.primary_key]


def _as_is(value: Any) -> Any:
    return value


@functools.lru_cache(maxsize=4)
def _call_adapters(_vendor: str) -> list[tuple[str, Any]]:
    """Each column's attribute and how its value goes to the database: what ``get_db_prep_save`` does for it,
    without its generic steps (~70 us over the 24 columns of every new call, the same again as the INSERT's own
    cost in this process). JSON, integers and date-times are adapted as Django adapts them; the other columns
    (text, ids; no ``pre_save`` work: no ``auto_now``) are passed as they are, as Django passes them."""
    adapters: list[tuple[str, Any]] = []
    for field in _call_fields():
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            raise TypeError(f"Call.{field.name} sets itself on save: give it its own adapter here")
        adapt: Callable[[Any], Any]
        if field.get_internal_type() == "JSONField":
            adapt = functools.partial(_json, field)
        elif field.get_internal_type() == "DateTimeField":
            adapt = _datetime
        elif field.get_internal_type() in _INTEGERS:
            adapt = functools.partial(_integer, field.get_internal_type())
        else:
            adapt = _as_is
        adapters.append((field.attname, adapt))
    return adapters


def _json(field: Any, value: Any) -> Any:
    # JSONField.get_db_prep_save's last step (SQL NULL for None; our values are never expressions).
    return None if value is None else connection.ops.adapt_json_value(value, field.encoder)


_INTEGERS = frozenset(
    f"{size}IntegerField" for size in ("", "Small", "Big", "Positive", "PositiveSmall", "PositiveBig")
)


def _integer(internal_type: str, value: int | None) -> Any:
    # PostgreSQL's server-side binding wants each integer typed by its column (Int2, Int4, Int8), as Django does.
    return None if value is None else connection.ops.adapt_integerfield_value(value, internal_type)


def _datetime(value: dt.datetime | None) -> Any:
    return None if value is None else connection.ops.adapt_datetimefield_value(value)


# bench/webhooks.py --in-process-only --baseline <tree inserting the call, then its credit>, 3 rounds (a busy
# machine): the voice webhook's CPU, this process + PostgreSQL, 3.59 -> 3.37 ms (one round trip fewer).
@functools.lru_cache(maxsize=16)
def _insert_call_sql(_vendor: str, credit_rows: str = "") -> str:
    """The call's INSERT; with ``credit_rows`` (PostgreSQL), the share-credit upsert rides along as a
    data-modifying CTE: a repeated CallSid fails the whole statement, so no credit is added twice."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _call_fields())
    primary_key = quote(Call._meta.pk.column)
    insert = (
        f"INSERT INTO {table(Call)} ({columns}) VALUES ({marks(len(_call_fields()))}) RETURNING {primary_key}"  # noqa: S608
    )
    if not credit_rows:
        return insert
    credit = _upsert_credit_sql(credit_rows)
    return f"WITH new_call AS ({insert}), credit AS ({credit}) SELECT {primary_key} FROM new_call"  # noqa: S608


def _credit_rows(changes: dict[str, float], now: dt.datetime) -> tuple[str, list[object]]:
    """``(%s, %s, %s), ...`` and its parameters: one row per provider, in provider order (concurrent calls lock the
    rows alike)."""
    if not changes:
        return "", []
    period = rotation_period(now)
    rows = sorted((int(pid), float(change)) for pid, change in changes.items())
    return ", ".join(["(%s, %s, %s)"] * len(rows)), [v for pid, change in rows for v in (pid, period, change)]


def _upsert_credit_sql(credit_rows: str) -> str:
    credits = table(RotationCredit)
    return (
        f"INSERT INTO {credits} (provider_id, period, credit) VALUES {credit_rows} "  # noqa: S608 (no user input)
        f"ON CONFLICT (provider_id, period) DO UPDATE SET credit = {credits}.credit + excluded.credit"
    )


# bench/webhooks.py --statements: 0.41 ms here, 1.06 ms through the ORM.
def lock_live_call(call_id: int) -> bool:
    """Lock the call's row if it has not ended (inside a transaction); False when it has ended."""
    sql = f"SELECT id FROM {table(Call)} WHERE id = %s AND ended_at IS NULL{_for_update()}"  # noqa: S608
    return bool(_run(sql, [call_id])[0])


# bench/webhooks.py --statements: 0.31 ms here, 0.89 ms through the ORM.
def lock_provider_lines(provider_ids: Sequence[int]) -> dict[int, int]:
    """Lock the providers' rows in id order (no deadlocks); provider id -> concurrent lines."""
    ids = sorted(set(provider_ids))
    if not ids:
        return {}
    sql = f"SELECT id, lines FROM {table(Provider)} WHERE id IN ({marks(ids)}) ORDER BY id{_for_update()}"  # noqa: S608
    return {int(pk): int(lines) for pk, lines in _run(sql, ids)[0]}


# bench/webhooks.py --statements: 0.31 ms here, 1.58 ms through the ORM.
def open_lines(provider_ids: Sequence[int], call_id: int) -> dict[int, tuple[int, int]]:
    """Provider id -> (lines held now by anyone, of which by this call), in one grouped statement."""
    ids = sorted(set(provider_ids))
    if not ids:
        return {}
    sql = (
        f"SELECT provider_id, COUNT(*), SUM(CASE WHEN call_id = %s THEN 1 ELSE 0 END) FROM {table(LineSlot)} "  # noqa: S608
        f"WHERE provider_id IN ({marks(ids)}) AND {where(LineSlot, SLOT_HELD)} GROUP BY provider_id"
    )
    return {int(pk): (int(n), int(mine or 0)) for pk, n, mine in _run(sql, [call_id, *ids])[0]}


# bench/webhooks.py --statements: 0.32 ms here, 1.04 ms through the ORM.
def insert_line_slots(call_id: int, provider_ids: Sequence[int], now: dt.datetime) -> None:
    if not provider_ids:
        return
    rows = ", ".join(["(%s, %s, %s, NULL)"] * len(provider_ids))
    params: list[object] = []
    for pk in provider_ids:
        params += [pk, call_id, _when(now)]
    _run(
        f"INSERT INTO {table(LineSlot)} (provider_id, call_id, reserved_at, released_at) VALUES {rows}",  # noqa: S608
        params,
    )


# bench/webhooks.py --statements: 0.41 ms here, 1.14 ms through the ORM.
def upsert_attempts(
    call_id: int, step_index: int, provider_ids: Sequence[int], now: dt.datetime
) -> dict[int, int]:
    """Insert a ringing attempt per provider, or find the one a repeated webhook already inserted (the unique
    constraint on call, step and provider); provider id -> attempt id, in one statement."""
    ids = list(dict.fromkeys(provider_ids))
    if not ids:
        return {}
    rows = ", ".join(["(%s, %s, %s, %s, %s, NULL, NULL)"] * len(ids))
    params: list[object] = []
    for pk in ids:
        params += [call_id, step_index, pk, AttemptStatus.RINGING.value, _when(now)]
    sql = (
        f"INSERT INTO {table(Attempt)} (call_id, step_index, provider_id, status, started_at, answered_at, ended_at) "  # noqa: S608
        f"VALUES {rows} ON CONFLICT (call_id, step_index, provider_id) DO UPDATE SET step_index = excluded.step_index "
        "RETURNING provider_id, id"
    )
    return {int(pk): int(attempt) for pk, attempt in _run(sql, params)[0]}


# bench/webhooks.py --statements: 0.38 ms here, 0.95 ms through the ORM.
def advance_status(call_sid: str, status: str, lower: Sequence[str]) -> bool:
    """Set the call's status if its current one ranks lower; whether it changed."""
    sql = f"UPDATE {table(Call)} SET status = %s WHERE call_sid = %s AND status IN ({marks(lower)})"  # noqa: S608
    return _run(sql, [status, call_sid, *lower])[1] == 1


# bench/webhooks.py --statements: 0.94 ms here, 4.02 ms through the ORM (three statements each).
def end_call(call_sid: str, now: dt.datetime, duration_s: int | None, pending: str, abandoned: str) -> bool:
    """The first final status ends the call (its end, duration, and outcome if still pending); a repeated one
    leaves every column as it is. Then its ringing attempts end and its lines are freed, each exactly once.
    False when no call has this CallSid (nothing is written)."""
    call = table(Call)
    ended = _run(
        f"UPDATE {call} SET ended_at = COALESCE(ended_at, %s), "  # noqa: S608
        "duration_s = CASE WHEN ended_at IS NULL THEN %s ELSE duration_s END, "
        "outcome = CASE WHEN outcome = %s THEN %s ELSE outcome END WHERE call_sid = %s",
        [_when(now), duration_s, pending, abandoned, call_sid],
    )[1]
    if not ended:
        return False
    this_call = f"(SELECT id FROM {call} WHERE call_sid = %s)"  # noqa: S608
    # Not CANCELED: a leg's own final status (no answer, busy) may still arrive and must win.
    _run(
        f"UPDATE {table(Attempt)} SET status = %s, ended_at = %s WHERE call_id = {this_call} AND status = %s",  # noqa: S608
        [AttemptStatus.CALL_ENDED.value, _when(now), call_sid, AttemptStatus.RINGING.value],
    )
    _run(
        f"UPDATE {table(LineSlot)} SET released_at = %s WHERE call_id = {this_call} AND {where(LineSlot, SLOT_HELD)}",  # noqa: S608
        [_when(now), call_sid],
    )
    return True


# bench/webhooks.py --statements: 0.45 ms here, 4.01 ms for the nearest ORM spelling (1 + one per provider).
def apply_share_credit(changes: dict[str, float], now: dt.datetime) -> None:
    """Add one decision's share-credit changes to the month's running sums: one upsert for all providers, each
    row created or incremented atomically (rows in provider order, so concurrent calls lock them alike)."""
    rows_sql, params = _credit_rows(changes, now)
    if rows_sql:
        _run(_upsert_credit_sql(rows_sql), params)
