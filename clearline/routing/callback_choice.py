"""Who returns a callback: one rule for the offer, for pressing 1 and for a missed deadline.

- **The offer** (``plan_call``): the assignee is the first of ``callback_order``; the backups the caller hears are
  the next ones of that order, then others that pass the caller's callback filters (``callback_backups``).
- **Pressing 1** (telephony's ``record_callback``): the promise is re-checked for room only
  (``room_for_a_callback``), the named provider first, then the backups in the order the caller heard them.
- **A missed deadline** (telephony's ``enforce_callback_deadlines``): ``callback_successor``, the first of
  ``callback_order`` at that moment among the providers the caller agreed to that have not had the request yet,
  with the seed the call was planned with. Never anyone outside the consent.
- **The callback record** (``keeps_callbacks``), in all three: a provider that let more than one in ten of its
  recent callbacks go past the deadline is not promised one; ``callback_refusals`` names it for the trace.

Every key is about the providers' availability and load; nothing money can touch is an input (``types.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from clearline.routing.eligibility import FILTERS, Verdict, can_return_by, evaluate_all
from clearline.routing.ordering import order_by, rotation_order
from clearline.routing.place import for_zip3
from clearline.routing.schedule import next_opening
from clearline.routing.types import CallContext, ProviderSnapshot, RoutingPolicy

# How many other providers a callback offer names as able to take over (the caller hears every name).
CALLBACK_BACKUPS_MAX = 3
# Within the day the web's claims look ahead (24 h), less the time a cached disclosure version may lag behind.
BACKUP_OPENS_WITHIN = timedelta(hours=23)

# The callback record (``keeps_callbacks``): a provider that let more than one in ten of its callbacks of the last
# ``CALLBACK_RECORD_DAYS`` go past their deadline is not named for a new one, nor as a backup, nor as a successor;
# it is still rung live (answering now and calling back in time are different promises). Callbacks it holds open
# past their deadline count as late at once. Its record clears as the late ones age out of the window.
CALLBACK_RECORD_DAYS = 7
CALLBACK_LATE_PER_TEN = 1
# The trace's name for the rule (``callback_refusals``), as ``eligibility.FILTERS`` names the filters.
CALLBACK_RECORD_RULE = "keeps_callbacks"

_OPEN = FILTERS.index("open_now")


def keeps_callbacks(provider: ProviderSnapshot) -> bool:
    """Whether its callback record lets it be promised a callback: at most ``CALLBACK_LATE_PER_TEN`` in ten of its
    recent callbacks late (no record: yes). The same rule for every provider; nothing but the record is read."""
    return provider.late_callbacks * 10 <= provider.recent_callbacks * CALLBACK_LATE_PER_TEN


def callback_refusals(providers: Sequence[ProviderSnapshot], verdicts: Sequence[Verdict]) -> dict[str, str]:
    """For the trace: each provider passing every callback filter that a callback rule still leaves out, with
    the rule's name (``CALLBACK_RECORD_RULE``), in the order given. They may still be rung live."""
    return {
        p.id: CALLBACK_RECORD_RULE
        for p, v in zip(providers, verdicts, strict=True)
        # ``not keeps_callbacks(p)``, written out, the usual 0 first: 50 providers, 7.4 -> 2.1 us per call.
        if p.late_callbacks
        and p.late_callbacks * 10 > p.recent_callbacks * CALLBACK_LATE_PER_TEN
        and v.callback_eligible
    }


def room_for_a_callback(provider: ProviderSnapshot, policy: RoutingPolicy) -> bool:
    """A line not yet spoken for: calls in progress plus open callbacks below ``lines * callback_max_per_line``.
    (A promise the provider has no room to keep would only push live callers aside.)"""
    return provider.active_calls + provider.open_callbacks < provider.lines * policy.callback_max_per_line


def callback_order(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
    limit: int | None = None,
) -> list[ProviderSnapshot]:
    """Who could be promised a callback now, in the order the core chooses them (the first is the assignee).

    Among providers passing every filter except "open now" and "free slot" with ``room_for_a_callback`` and a
    callback record that ``keeps_callbacks``: open ones first, then those with the fewest offers left unanswered
    since they last answered, then the least loaded (calls and open callbacks per line), then rotation; after
    them the closed ones able to start before the deadline, earliest start first, then the same keys. ``limit``
    stops once that many are ordered. The order of any subset of ``providers`` is this order restricted to it
    (every key is the provider's own).
    """
    opened: list[ProviderSnapshot] = []
    closed: list[ProviderSnapshot] = []
    room = policy.callback_max_per_line
    for p, v in zip(providers, verdicts, strict=True):
        # ``room_for_a_callback`` and ``keeps_callbacks``, written out: this runs for every provider on every call
        # (the usual 0 late first: 50 providers, callback_order 9.7 -> 7.6 us, as before the record).
        if (
            v.callback_eligible
            and p.active_calls + p.open_callbacks < p.lines * room
            and (not p.late_callbacks or p.late_callbacks * 10 <= p.recent_callbacks * CALLBACK_LATE_PER_TEN)
        ):
            (opened if v.results[_OPEN] else closed).append(p)
    keys = [
        (
            len(p.unanswered_offers),
            (p.active_calls + p.open_callbacks) / (p.lines if p.lines > 1 else 1),
            -p.share_credit,
            p.last_offered_at is not None,
            p.last_offered_at,
        )
        for p in opened
    ]  # ``_load_then_rotation`` of each, written out: this runs for every provider on every call
    order = order_by(opened, keys, seed)[:limit]
    if not closed or (limit is not None and len(order) >= limit):
        return order
    deadline = now + timedelta(minutes=policy.callback_deadline_min)
    starts = {p.id: start for p in closed if (start := can_return_by(p, now, deadline)) is not None}
    later = [p for p in closed if p.id in starts]
    keys = [(starts[p.id], *_load_then_rotation(p)) for p in later]
    return order + order_by(later, keys, seed)[: None if limit is None else limit - len(order)]


def _load_then_rotation(p: ProviderSnapshot) -> tuple[Any, ...]:
    """Offers left unanswered since the provider last answered first (fewer is better), then calls in progress and
    open callbacks per line (the callback goes where it is most likely to be returned soon), then the rotation
    (``ordering.rotation_key``): one flat key, so one sort orders the callback candidates."""
    offered = p.last_offered_at
    return (
        len(p.unanswered_offers),
        (p.active_calls + p.open_callbacks) / (p.lines if p.lines > 1 else 1),
        -p.share_credit,
        offered is not None,
        offered,
    )


def choose_callback_provider(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
) -> ProviderSnapshot | None:
    """Who would return a callback: the first of ``callback_order`` (None when nobody can be promised it)."""
    order = callback_order(providers, verdicts, policy, now, seed, limit=1)
    return order[0] if order else None


def callback_backups(
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    chosen: ProviderSnapshot,
    order: Sequence[ProviderSnapshot],
    seed: int,
    now: datetime,
    limit: int = CALLBACK_BACKUPS_MAX,
) -> tuple[ProviderSnapshot, ...]:
    """Who may take a callback over from ``chosen`` if it is not returned in time: the others of ``order``
    (``callback_order``), then the other providers passing the callback filters for this caller (area,
    language, call type, licences, caps, pauses) and ``keeps_callbacks`` that have no line free or do not open
    before the deadline now but open within ``BACKUP_OPENS_WITHIN``, in rotation order; at most ``limit``. A
    reassignment later chooses among these by ``callback_successor``. The web names only providers open within a
    day (``claims.can_answer_today``), so a backup is always one the caller could have read about."""
    backups = [p for p in order if p.id != chosen.id][:limit]
    if len(backups) < limit:
        taken = {chosen.id, *(p.id for p in backups)}
        others = [
            p
            for p, v in zip(providers, verdicts, strict=True)
            if v.callback_eligible
            and p.id not in taken
            and keeps_callbacks(p)
            and (v.results[_OPEN] or next_opening(p.schedule, now, horizon=BACKUP_OPENS_WITHIN) is not None)
        ]
        backups += rotation_order(others, seed)[: limit - len(backups)]
    return tuple(backups)


def callback_successor(
    call: CallContext,
    providers: Sequence[ProviderSnapshot],
    policy: RoutingPolicy,
    now: datetime,
    seed: int,
    consent: Sequence[str],
    had: Collection[str],
) -> ProviderSnapshot | None:
    """Who takes over a callback its provider did not return in time, or None (nobody may now).

    Only a provider the caller agreed to (``consent``: the ids the offer named, the assignee first) that has not
    had the request yet (``had``) is considered; an empty consent (a request stored before consent was
    recorded) moves to nobody. Among them, the first of ``callback_order`` at ``now``, with this caller's
    callback filters and ``seed``, the seed the call was planned with: the offer's rule, keys and tie-breaks, so
    with the same providers at the same moment the successor is the first of the offer's own order that has not
    had the request. ``call.caller_zip`` is the three digits the caller typed, compared with providers' ZIP
    prefixes as when the call was planned (``for_zip3``).
    """
    allowed = {str(p) for p in consent} - {str(p) for p in had}
    among = [p for p in providers if p.id in allowed]
    if not among:
        return None
    if call.caller_zip is not None:
        among = for_zip3(among)
    verdicts = evaluate_all(among, call, policy, now)
    return choose_callback_provider(among, verdicts, policy, now, seed)
