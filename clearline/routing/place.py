"""Whether a helpline call should ask the caller where they are, and how a typed ZIP prefix meets providers' areas.

Twilio's ``FromState`` is the state of the caller's *number* (often empty for mobile and VoIP callers, and wrong
for anyone who moved), so area is a guess. The adapters ask for a ZIP code (which the caller may skip) only when
the answer can change who is rung:

- the area is unknown and a provider that could take this call (now, or as a callback) serves only some areas:
  without a place it would be rung for callers it does not serve, and the caller could be served by someone
  closer; or
- the area is known, nobody who could take this call serves it, and someone who fails only on ``serves_area``
  would take it (nobody serves this caller's area, but someone serves elsewhere: the caller's number may be from
  a state they are not in).

A caller is asked once: a call that already has a ZIP prefix is never asked again.

Only the first three digits of a typed ZIP code reach the engine (``CallContext.caller_zip``). A provider's ZIP
prefix of one or two digits matches when the three digits start with it; a prefix of three or more digits matches
when its first three digits are the caller's three: a provider serving "98052" is offered callers from all of
"980". With three digits nothing finer can be known, and offering the call to the nearest provider beats offering
it to nobody; operators are told so in ``docs/twilio.md``. ``for_zip3`` applies that rule to the snapshots given
to ``plan_call`` (the claims' ``serves`` compares the same way).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from clearline.routing.eligibility import CALLBACK_FILTERS, FILTERS, Verdict
from clearline.routing.types import CallContext, NumberKind, ProviderSnapshot, RoutingPolicy

_SERVES = FILTERS.index("serves_area")
_NOW = tuple(i for i, name in enumerate(FILTERS) if name != "serves_area")
_LATER = tuple(FILTERS.index(name) for name in CALLBACK_FILTERS if name != "serves_area")


def would_take(verdict: Verdict, policy: RoutingPolicy) -> bool:
    """Whether the provider passes every filter but ``serves_area``, now or (with callbacks on) for a callback."""
    results = verdict.results
    if all(results[i] for i in _NOW):
        return True
    return policy.callbacks and all(results[i] for i in _LATER)


def needs_place(
    call: CallContext,
    providers: Sequence[ProviderSnapshot],
    verdicts: Sequence[Verdict],
    policy: RoutingPolicy,
) -> bool:
    """Whether to ask this caller for a ZIP code before greeting (``verdicts`` from the call's decision trace)."""
    if call.number_kind is not NumberKind.HELPLINE or call.caller_zip is not None:
        return False
    takers = [(p, v) for p, v in zip(providers, verdicts, strict=True) if would_take(v, policy)]
    if call.caller_state is None:
        return any(p.states or p.zip_prefixes for p, _ in takers)
    return bool(takers) and not any(v.results[_SERVES] for _, v in takers)


def zip3_prefixes(prefixes: Iterable[str]) -> frozenset[str]:
    """Providers' ZIP prefixes as compared with a three-digit caller prefix: longer ones cut to three digits."""
    return frozenset(p[:3] for p in prefixes)


def for_zip3(providers: Sequence[ProviderSnapshot]) -> list[ProviderSnapshot]:
    """The snapshots to plan a call whose ``caller_zip`` is a three-digit prefix (see the module docstring)."""
    return [
        dataclasses.replace(p, zip_prefixes=zip3_prefixes(p.zip_prefixes))
        if any(len(z) > 3 for z in p.zip_prefixes)
        else p
        for p in providers
    ]
