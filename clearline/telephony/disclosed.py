"""What a call was told: the claims of its disclosure version for its number, and its greeting's own claims.

The greeting is rendered from ``spoken_claims`` and the worker checks the call against ``claims_for``
(``claim_checks``), so what was said and what is checked are the same values.
"""

from __future__ import annotations

import functools

from django.utils.translation import override

from clearline.content.claims_text import spoken_sentence
from clearline.content.models import DisclosureVersion
from clearline.routing.claim_builders import call_claims
from clearline.routing.claims import Claim, KeysWork, claim_from_dict
from clearline.telephony.models import Call


@functools.lru_cache(maxsize=256)
def _parsed(version_pk: int, content_hash: str, helpline_id: int | None) -> tuple[Claim, ...]:
    # Versions are never edited (a change makes a new one), so the parsed claims of one can be kept.
    version = DisclosureVersion.objects.only("claims").get(pk=version_pk)
    stored = version.claims if isinstance(version.claims, dict) else {}
    if helpline_id is None:
        return tuple(claim_from_dict(c) for c in stored.get("listing") or ())
    return tuple(claim_from_dict(c) for c in (stored.get("numbers") or {}).get(str(helpline_id)) or ())


def number_claims_of(call: Call) -> tuple[Claim, ...]:
    """The version's claims about the number this call dialled (empty when the version has none)."""
    version = call.disclosure_version
    if version is None:
        return ()
    helpline = None if call.number_kind == "listing" else call.helpline_id
    return _parsed(version.pk, version.content_hash, helpline)


def spoken_claims(call: Call) -> tuple[Claim, ...]:
    """What this call's greeting says: who rings now or that nobody can, the fee if claimed, the keys."""
    return call_claims(call.routing_plan, number_claims_of(call))


def greeting_sentences(call: Call) -> list[str]:
    """The greeting's sentences in the call's language; the keys sentence comes last, after the names."""
    claims = spoken_claims(call)
    ordered = [c for c in claims if not isinstance(c, KeysWork)] + [
        c for c in claims if isinstance(c, KeysWork)
    ]
    with override(call.language):
        return [spoken_sentence(c) for c in ordered]
