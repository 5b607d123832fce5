"""The what-if replay's figures, what happened beside what would likely have happened (``replay.replay``).

Both sides count the same replayed calls. "What happened" is read from the records (rings, acceptances, callbacks);
"what if" sums each call's expected values, so its counts can be fractional.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from clearline.routing.replay import RecordedCall, Replayed


@dataclass(frozen=True)
class Side:
    """Figures of one side over the replayed calls."""

    calls: int
    offers: Mapping[str, float]  # rings per provider
    first_rings: Mapping[str, float]  # providers in each call's first wave, per provider
    answered: float  # calls a human accepted live
    callbacks: float  # callback requests
    returned: float  # ... returned before their deadline
    free_line: float  # ended at the free helpline (callback declined, or none to offer)
    left: float  # callers who hung up or pressed 9/0 before a human or a callback
    human_after_s: float | None  # average seconds from routing start to the human, over answered calls

    def pct(self, count: float) -> float | None:
        return round(100.0 * count / self.calls, 1) if self.calls else None

    def share_pct(self, provider_id: str) -> float | None:
        total = sum(self.first_rings.values())
        return round(100.0 * self.first_rings.get(provider_id, 0.0) / total, 1) if total else None

    @property
    def answered_or_returned(self) -> float:
        return self.answered + self.returned


@dataclass(frozen=True)
class Comparison:
    recorded: int  # general helpline calls in the period
    not_replayable: Mapping[str, int]  # reason -> calls, never silently dropped
    same_plans: int  # replayed plans identical to the recorded ones (eligible, waves, callback provider)
    same_offers: int  # calls whose likely rings are the recorded rings, wave by wave
    actual: Side
    what_if: Side
    providers: Sequence[str] = field(default_factory=tuple)  # ids, in the order to show them

    @property
    def replayed(self) -> int:
        return self.actual.calls

    def as_dict(self, names: Mapping[str, str] | None = None) -> dict[str, Any]:
        names = names or {}
        sides = {"actual": self.actual, "what_if": self.what_if}
        return {
            "calls": self.recorded,
            "replayed": self.replayed,
            "not_replayable": dict(self.not_replayable),
            "same_plans": self.same_plans,
            "same_offers": self.same_offers,
            **{
                name: {
                    "answered_pct": side.pct(side.answered),
                    "answered_or_returned_pct": side.pct(side.answered_or_returned),
                    "callbacks": round(side.callbacks, 2),
                    "callbacks_returned": round(side.returned, 2),
                    "free_line_pct": side.pct(side.free_line),
                    "left_pct": side.pct(side.left),
                    "avg_time_to_human_s": side.human_after_s,
                }
                for name, side in sides.items()
            },
            "providers": [
                {
                    "id": pid,
                    "name": names.get(pid, pid),
                    "offers": {k: round(s.offers.get(pid, 0.0), 2) for k, s in sides.items()},
                    "share_pct": {k: s.share_pct(pid) for k, s in sides.items()},
                }
                for pid in self.providers
            ],
        }


def summarise(
    calls: Sequence[RecordedCall],
    results: Sequence[Replayed],
    recorded: int,
    not_replayable: Mapping[str, int],
) -> Comparison:
    by_id = {r.call_id: r for r in results}
    actual = _actual(calls)
    what_if = _what_if(results)
    same_plans = same_offers = 0
    for c in calls:
        r = by_id[c.call_id]
        same_plans += (r.waves, r.eligible, r.callback_provider) == (c.waves, c.eligible, c.callback_provider)
        same_offers += _waves_of((w, p) for w, p, _ in r.likely_offers) == _waves_of(
            (g.wave, g.provider_id) for g in c.rings
        )
    ids = {p.id for c in calls for p in c.inputs.providers} | set(actual.offers) | set(what_if.offers)
    return Comparison(
        recorded, not_replayable, same_plans, same_offers, actual, what_if, sorted(ids, key=_id_key)
    )


def _waves_of(rings: Any) -> list[tuple[int, tuple[str, ...]]]:
    by_wave: dict[int, list[str]] = {}
    for wave, pid in rings:
        by_wave.setdefault(wave, []).append(pid)
    return [(w, tuple(sorted(p))) for w, p in sorted(by_wave.items())]


def _id_key(pid: str) -> tuple[int, str]:
    return (int(pid), "") if pid.isdigit() else (0, pid)


def _actual(calls: Sequence[RecordedCall]) -> Side:
    offers: dict[str, float] = {}
    first: dict[str, float] = {}
    answered = callbacks = returned = free_line = left = 0
    waits: list[float] = []
    for c in calls:
        for ring in c.rings:
            offers[ring.provider_id] = offers.get(ring.provider_id, 0.0) + 1
        for pid in c.waves[0] if c.waves else ():
            first[pid] = first.get(pid, 0.0) + 1
        accepted = [g for g in c.rings if g.answered_after_s is not None]
        if accepted:
            answered += 1
            waits.append(min(g.after_s + (g.answered_after_s or 0.0) for g in accepted))
        elif c.callback_answer == "accepted":
            callbacks += 1
            returned += bool(c.callback_on_time)
        elif c.left_after_s is not None or c.callback_answer == "left":
            left += 1
        else:
            free_line += 1
    average = round(sum(waits) / len(waits), 1) if waits else None
    return Side(len(calls), offers, first, answered, callbacks, returned, free_line, left, average)


def _what_if(results: Sequence[Replayed]) -> Side:
    offers: dict[str, float] = {}
    first: dict[str, float] = {}
    for r in results:
        for pid, n in r.offers.items():
            offers[pid] = offers.get(pid, 0.0) + n
        for pid in r.waves[0] if r.waves else ():
            first[pid] = first.get(pid, 0.0) + 1
    answered = sum(r.answered for r in results)
    weighted = sum(r.answered * r.human_after_s for r in results)
    return Side(
        len(results),
        offers,
        first,
        answered,
        sum(r.callback for r in results),
        sum(r.returned for r in results),
        sum(r.free_line for r in results),
        sum(r.left for r in results),
        round(weighted / answered, 1) if answered else None,
    )
