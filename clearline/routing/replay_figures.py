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


class Tally:
    """The figures of both sides, added up call by call (``add`` each recorded call with its replay), so a long
    period never has to be held at once."""

    def __init__(self) -> None:
        self.calls = 0
        self.same_plans = self.same_offers = 0
        self.offers: tuple[dict[str, float], dict[str, float]] = ({}, {})  # actual, what if
        self.first: tuple[dict[str, float], dict[str, float]] = ({}, {})
        self.actual = [0.0] * 5  # answered, callbacks, returned, free line, left
        self.waits: list[float] = []
        self.what_if = [0.0] * 5
        self.weighted_wait = 0.0
        self.providers: set[str] = set()

    def add(self, c: RecordedCall, r: Replayed) -> None:
        self.calls += 1
        self.same_plans += (r.waves, set(r.eligible), r.callback_provider) == (
            c.waves,
            set(c.eligible),
            c.callback_provider,
        )
        self.same_offers += _waves_of((w, p) for w, p, _ in r.likely_offers) == _waves_of(
            (g.wave, g.provider_id) for g in c.rings
        )
        self.providers.update(c.eligible, r.eligible)
        for ring in c.rings:
            _count(self.offers[0], ring.provider_id, 1.0)
        for pid, n in r.offers.items():
            _count(self.offers[1], pid, n)
        for side, waves in ((0, c.waves), (1, r.waves)):
            for pid in waves[0] if waves else ():
                _count(self.first[side], pid, 1.0)
        accepted = [g for g in c.rings if g.answered_after_s is not None]
        if accepted:
            outcome = 0
            self.waits.append(min(g.after_s + (g.answered_after_s or 0.0) for g in accepted))
        elif c.callback_answer == "accepted":
            outcome = 1
            self.actual[2] += bool(c.callback_on_time)
        elif c.left_after_s is not None or c.callback_answer == "left":
            outcome = 4
        else:
            outcome = 3
        self.actual[outcome] += 1
        for i, value in enumerate((r.answered, r.callback, r.returned, r.free_line, r.left)):
            self.what_if[i] += value
        self.weighted_wait += r.answered * r.human_after_s

    def comparison(self, recorded: int, not_replayable: Mapping[str, int]) -> Comparison:
        average = round(sum(self.waits) / len(self.waits), 1) if self.waits else None
        a, w = self.actual, self.what_if
        actual = Side(self.calls, self.offers[0], self.first[0], a[0], a[1], a[2], a[3], a[4], average)
        wait = round(self.weighted_wait / w[0], 1) if w[0] else None
        what_if = Side(self.calls, self.offers[1], self.first[1], w[0], w[1], w[2], w[3], w[4], wait)
        ids = self.providers | set(self.offers[0]) | set(self.offers[1])
        return Comparison(
            recorded,
            not_replayable,
            self.same_plans,
            self.same_offers,
            actual,
            what_if,
            sorted(ids, key=_id_key),
        )


def _count(counts: dict[str, float], key: str, n: float) -> None:
    counts[key] = counts.get(key, 0.0) + n


def summarise(
    calls: Sequence[RecordedCall],
    results: Sequence[Replayed],
    recorded: int,
    not_replayable: Mapping[str, int],
) -> Comparison:
    by_id = {r.call_id: r for r in results}
    tally = Tally()
    for c in calls:
        tally.add(c, by_id[c.call_id])
    return tally.comparison(recorded, not_replayable)


def _waves_of(rings: Any) -> list[tuple[int, tuple[str, ...]]]:
    by_wave: dict[int, list[str]] = {}
    for wave, pid in rings:
        by_wave.setdefault(wave, []).append(pid)
    return [(w, tuple(sorted(p))) for w, p in sorted(by_wave.items())]


def _id_key(pid: str) -> tuple[int, str]:
    return (int(pid), "") if pid.isdigit() else (0, pid)
