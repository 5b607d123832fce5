"""What a call was told: the claims of its disclosure version for its number, and its greeting's own claims.

The greeting is rendered from ``spoken_claims`` and the worker checks the call against ``claims_for``
(``claim_checks``), so what was said and what is checked are the same values.
"""

from __future__ import annotations

import functools

from django.utils.translation import override

from clearline.content.claims_text import spoken_sentence
from clearline.routing.claim_builders import call_claims
from clearline.routing.claims import Claim, KeysWork, claim_from_dict
from clearline.telephony.models import Call


def number_claims_of(call: Call) -> tuple[Claim, ...]:
    """The version's claims about the number this call dialled (empty when the version has none, or when the
    call's helpline number has since been deleted). Parsing them is a few dozen microseconds: not cached."""
    version = call.disclosure_version
    if version is None:
        return ()
    stored = version.claims if isinstance(version.claims, dict) else {}
    if call.number_kind == "listing":
        found = stored.get("listing")
    elif call.helpline_id is None:
        return ()
    else:
        found = (stored.get("numbers") or {}).get(str(call.helpline_id))
    return tuple(claim_from_dict(c) for c in found or ())


def spoken_claims(call: Call) -> tuple[Claim, ...]:
    """What this call's greeting says: who rings now or that nobody can, the fee if claimed, the keys."""
    return call_claims(call.routing_plan, number_claims_of(call))


def greeting_sentences(call: Call) -> list[str]:
    """The greeting's sentences in the call's language; the keys sentence comes last, after the names."""
    return list(_spoken(spoken_claims(call), call.language))


# bench/webhooks.py --in-process-only: rendering the sentences (gettext under a language override) was ~0.3 ms of
# the voice webhook; calls share few distinct claim sets (one per first wave of each version), so they are kept
# per process, keyed by the claims themselves (frozen values: a changed claim is a new key, never a stale hit).
@functools.lru_cache(maxsize=1024)
def _spoken(claims: tuple[Claim, ...], language: str) -> tuple[str, ...]:
    ordered = [c for c in claims if not isinstance(c, KeysWork)] + [
        c for c in claims if isinstance(c, KeysWork)
    ]
    with override(language):
        return tuple(spoken_sentence(c) for c in ordered)
