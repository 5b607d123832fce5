"""One call told in plain words for operators: the decision (who was eligible, filtered out and why, the order),
each wave and what happened, the callback, the keys, and the claims the call was made under, each with the
sentence callers were shown (``claim_text``) and whether the call contradicted it (``claim_checks``).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.routing import Disclosure
from clearline.routing.claims import Claim, claim_from_dict
from clearline.telephony.claim_checks import NotCheckable, callback_of, claims_for
from clearline.telephony.models import Call

logger = logging.getLogger(__name__)


def claim_text(claim: Claim | Mapping[str, Any]) -> str:
    """The sentence callers were shown for ``claim`` (a claim or its stored dict), in the active language: the
    web's wording from ``clearline.content.claims_text``. Should that module be missing, or a stored claim be
    one it cannot word any more, the claim's kind stands in, so a page never fails over a sentence."""
    try:
        value = claim if isinstance(claim, Claim) else claim_from_dict(claim)
    except (KeyError, TypeError, ValueError):
        return str(claim.get("kind", "?")) if isinstance(claim, Mapping) else "?"
    try:
        from clearline.content.claims_text import web_sentence
    except ImportError:
        return value.kind
    try:
        return str(web_sentence(value))
    except Exception:  # a stored claim the current wording code cannot render: show its kind, log why
        logger.exception("Could not word a %s claim", value.kind)
        return value.kind


FILTER_WORDS = {
    "contract_active": "no running contract",
    "license_current": "licence not current",
    "certification_current": "certification not current",
    "open_now": "closed at that moment",
    "not_paused": "paused",
    "not_auto_paused": "paused after unanswered calls",
    "free_slot": "no free line",
    "under_daily_cap": "daily limit reached",
    "serves_area": "does not serve the caller's area",
    "speaks_language": "does not take calls in the caller's language",
    "offers_intent": "does not take this kind of call",
}


@dataclass(frozen=True)
class ProviderVerdict:
    name: str
    eligible: bool
    failed: tuple[str, ...]  # plain words


@dataclass(frozen=True)
class WaveStory:
    number: int
    rung: tuple[tuple[str, str], ...]  # (provider name, what happened)
    planned: tuple[str, ...]  # names the plan meant to ring


@dataclass(frozen=True)
class ClaimStory:
    kind: str
    text: str
    contradicted: bool


@dataclass(frozen=True)
class CallStory:
    """One call told in plain words for the operators' page: the decision, what happened, what was claimed."""

    verdicts: tuple[ProviderVerdict, ...]
    order: tuple[str, ...]
    waves: tuple[WaveStory, ...]
    named: tuple[str, ...]
    connected: str | None
    callback: tuple[str, ...]  # plain sentences
    keys: tuple[str, ...]
    claims: tuple[ClaimStory, ...]
    trace_erased: bool
    notes: tuple[str, ...] = field(default=())


def _name(names: Mapping[str, str], pid: object) -> str:
    key = str(pid)
    return names.get(key) or _("provider #%(id)s (no longer on file)") % {"id": key}


def call_story(call: Call, names: Mapping[str, str]) -> CallStory:
    """The decision trace and the check of one call in plain words. ``names`` maps provider ids (strings) to
    names; every provider the trace, the attempts or the callback mention should be in it."""
    trace = call.trace if isinstance(call.trace, dict) else {}
    verdicts = tuple(
        ProviderVerdict(
            name=_name(names, p.get("id")),
            eligible=bool(p.get("eligible")),
            failed=tuple(FILTER_WORDS.get(f, f) for f in p.get("failed", ())),
        )
        for p in trace.get("providers", ())
    )
    attempts_by_step: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for attempt in sorted(call.attempts.all(), key=lambda a: a.pk):
        attempts_by_step[attempt.step_index].append(
            (_name(names, attempt.provider_id), str(attempt.get_status_display()))
        )
    waves: list[WaveStory] = []
    named: tuple[str, ...] = ()
    plan_steps: set[int] = set()
    if call.plan:
        plan = call.routing_plan
        for dial in plan.dials:
            plan_steps.add(dial.index)
            planned = tuple(t.name for t in dial.targets)
            waves.append(WaveStory(dial.wave, tuple(attempts_by_step.get(dial.index, ())), planned))
        disclosure = next((s for s in plan.steps if isinstance(s, Disclosure)), None)
        named = tuple(t.name for t in disclosure.targets) if disclosure else ()
    for index in sorted(set(attempts_by_step) - plan_steps):
        waves.append(WaveStory(len(waves) + 1, tuple(attempts_by_step[index]), ()))
    callback = callback_of(call)
    callback_lines: list[str] = []
    if callback is not None:
        assignees = [str(p) for p in callback.assignees or ()] or [str(callback.provider_id)]
        consent = callback.consent if isinstance(callback.consent, dict) else {}
        callback_lines.append(
            _("Assigned to, in order: %(who)s.") % {"who": ", ".join(_name(names, p) for p in assignees)}
        )
        if consent.get("provider_ids"):
            callback_lines.append(
                _("The caller agreed to: %(who)s.")
                % {"who": ", ".join(_name(names, p) for p in consent["provider_ids"])}
            )
        else:
            callback_lines.append(_("No consent recorded (the named provider only)."))
        callback_lines.append(
            _("Requested %(created)s, due %(due)s, %(status)s%(closed)s.")
            % {
                "created": f"{timezone.localtime(callback.created_at):%Y-%m-%d %H:%M}",
                "due": f"{timezone.localtime(callback.due_at):%Y-%m-%d %H:%M}",
                "status": callback.get_status_display(),
                "closed": f" {timezone.localtime(callback.closed_at):%Y-%m-%d %H:%M}"
                if callback.closed_at
                else "",
            }
        )
    keys = tuple(
        _("%(digit)s at %(moment)s") % {"digit": press[0], "moment": str(press[1]).replace("_", " ")}
        for press in call.key_presses or ()
        if isinstance(press, list | tuple) and len(press) == 2
    )
    contradicted = [v.get("claim", {}) for v in call.claim_violations or () if isinstance(v, dict)]
    notes: list[str] = []
    try:
        made_under: Sequence[Claim | Mapping[str, Any]] = claims_for(call)
    except NotCheckable as reason:
        notes.append(str(reason))
        made_under = contradicted
    stories = []
    for claim in made_under:
        data = claim.as_dict() if isinstance(claim, Claim) else dict(claim)
        stories.append(ClaimStory(str(data.get("kind", "?")), claim_text(claim), _same(data, contradicted)))
    return CallStory(
        verdicts=verdicts,
        order=tuple(_name(names, pid) for pid in trace.get("order", ())),
        waves=tuple(waves),
        named=named,
        connected=_name(names, call.connected_provider_id) if call.connected_provider_id else None,
        callback=tuple(callback_lines),
        keys=keys,
        claims=tuple(stories),
        trace_erased=not call.plan and not trace,
        notes=tuple(notes),
    )


def _same(data: Mapping[str, Any], stored: Sequence[Mapping[str, Any]]) -> bool:
    """Whether ``data`` is one of the stored contradicted claims (compared as stored: JSON has lists)."""
    canonical = json.dumps(data, sort_keys=True, default=list)
    return any(json.dumps(s, sort_keys=True, default=list) == canonical for s in stored)


def provider_ids_in(call: Call) -> set[int]:
    """Every provider id the story of ``call`` mentions (to load their names in one query)."""
    trace = call.trace if isinstance(call.trace, dict) else {}
    ids: set[Any] = {p.get("id") for p in trace.get("providers", ())} | set(trace.get("order", ()))
    ids |= {a.provider_id for a in call.attempts.all()}
    ids.add(call.connected_provider_id)
    callback = callback_of(call)
    if callback is not None:
        ids |= set(callback.assignees or ()) | {callback.provider_id}
        consent = callback.consent if isinstance(callback.consent, dict) else {}
        ids |= set(consent.get("provider_ids") or ())
    return {int(i) for i in ids if i is not None and str(i).isdigit()}
