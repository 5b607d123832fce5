"""Every finished call checked against what its caller was told (DESIGN.md rule 4: "the disclosure checks itself").

A call records the disclosure version it was made under (``Call.disclosure_version``), and that version stores the
typed claims its sentences were rendered from (``DisclosureVersion.claims``: per general helpline number, and one
list for listing numbers). Once a call is over (and its callback, if any, closed), ``check_call`` turns its
records into ``routing.claims.CallFacts`` (``facts_for``), takes the claims it was made under (``claims_for``: the
number's claims plus what this call's greeting said) and stores the ones the call contradicted on the call
(``claim_violations``, with ``claims_checked_at``). The transparency page counts them per month; operators see
each contradicting call with its decision trace (``call_story``) in the Wagtail admin.

Each call is checked once: the write is one UPDATE conditional on ``claims_checked_at`` being empty, so the worker
job (``check_finished_calls``) can run twice at once or again later without checking anything twice. A call
whose records cannot be checked (no disclosure version, a version stored before claims were, a plan already
erased by the retention purge, a number its version says nothing about) is left unchecked and counted as not
checkable; it is never marked as contradicting anything.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.lib.pagecache import bump_generation
from clearline.routing import CallbackOffer, Disclosure
from clearline.routing.claim_builders import call_claims
from clearline.routing.claims import CallFacts, Claim, claim_from_dict, violations
from clearline.telephony import disclosed
from clearline.telephony.models import Call, CallbackRequest, CallbackStatus

logger = logging.getLogger(__name__)

# A call is checked this long after it ended: a leg's last status callback may still be on its way.
SETTLE = dt.timedelta(minutes=2)
# Calls read per query, and at most this many checked per run (the next run, minutes later, goes on).
BATCH_SIZE = 500
MAX_PER_RUN = 20_000


class NotCheckable(Exception):
    """The call's records cannot be checked against claims; the message says why (for logs and operators)."""


class CheckResult(StrEnum):
    KEPT = "kept"  # checked: every claim held
    CONTRADICTED = "contradicted"  # checked: at least one claim did not hold
    NOT_FINISHED = "not_finished"  # still going, or its callback is still open: checked later
    NOT_CHECKABLE = "not_checkable"
    ALREADY_CHECKED = "already_checked"  # another run checked it first


# --- From records to facts -------------------------------------------------------------------------------------


def _callback_of(call: Call) -> CallbackRequest | None:
    try:
        return call.callback
    except CallbackRequest.DoesNotExist:
        return None


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def _waves(call: Call) -> tuple[tuple[str, ...], ...]:
    """Providers actually rung, wave by wave: the plan's dials in order, each with the providers that have an
    attempt at its step; attempts at a step the plan has no dial for (which should never happen) are kept, as
    waves of their own in step order, so they cannot escape the check."""
    rung: dict[int, list[str]] = defaultdict(list)
    for attempt in sorted(call.attempts.all(), key=lambda a: a.pk):
        rung[attempt.step_index].append(str(attempt.provider_id))
    steps = {d.index for d in call.routing_plan.dials} if call.plan else set()
    return tuple(tuple(rung.get(index, ())) for index in sorted(steps | set(rung)))


def _callback_minutes(call: Call, callback: CallbackRequest) -> float | None:
    """The deadline the caller was given, in minutes from the request. A reassignment moves ``due_at`` to the
    new provider's deadline (the caller agreed to that in the consent), so for a reassigned request the first
    deadline is the offer's, from the plan."""
    due = callback.due_at
    if callback.reassignments and call.plan:
        offer = next((s for s in call.routing_plan.steps if isinstance(s, CallbackOffer)), None)
        if offer is None:
            return None
        due = offer.deadline
    return (due - callback.created_at).total_seconds() / 60


def facts_for(call: Call, now: dt.datetime | None = None) -> CallFacts:
    """What happened on ``call``, from its records (load it with ``checkable_calls()`` to avoid a query per
    relation): the decision's eligible providers, the providers named by the greeting and rung wave by wave,
    who took it, the callback (its assignees in order, what the caller consented to, its deadline and how long it
    stayed open: until it closed, or ``now``) and the keys pressed."""
    moment = now or timezone.now()
    trace = call.trace if isinstance(call.trace, dict) else {}
    eligible = tuple(str(p["id"]) for p in trace.get("providers", ()) if p.get("eligible"))
    named: tuple[str, ...] = ()
    if call.plan and call.number_kind == "helpline":
        disclosure = next((s for s in call.routing_plan.steps if isinstance(s, Disclosure)), None)
        named = tuple(t.id for t in disclosure.targets) if disclosure else ()
    callback = _callback_of(call)
    assignees: tuple[str, ...] = ()
    consent: tuple[str, ...] = ()
    minutes = open_hours = None
    if callback is not None:
        assignees = callback.assignee_ids()
        given = callback.consent if isinstance(callback.consent, dict) else {}
        consent = tuple(str(p) for p in given.get("provider_ids") or ())
        minutes = _callback_minutes(call, callback)
        open_hours = _hours((callback.closed_at or moment) - callback.created_at)
    presses = tuple(
        (str(press[0]), str(press[1]))
        for press in call.key_presses or ()
        if isinstance(press, list | tuple) and len(press) == 2
    )
    return CallFacts(
        kind=call.number_kind,
        outcome=call.outcome,
        at=call.routing_started_at,
        caller_state=call.caller_state or None,
        caller_zip3=call.caller_zip3 or None,
        language=call.language,
        eligible=eligible,
        waves=_waves(call),
        named=named,
        connected=str(call.connected_provider_id) if call.connected_provider_id else None,
        callback_assignees=assignees,
        callback_consent=consent,
        callback_minutes=minutes,
        callback_open_hours=open_hours,
        key_presses=presses,
    )


def claims_for(call: Call) -> list[Claim]:
    """The claims ``call`` was made under: for a general helpline number, what its disclosure version said about
    that number plus what this call's greeting said (``call_claims``); for a listing number, the version's listing
    claims. Raises NotCheckable when the records cannot say."""
    version = call.disclosure_version
    if version is None:
        raise NotCheckable("the call has no disclosure version")
    stored = version.claims if isinstance(version.claims, dict) else {}
    if not stored:
        raise NotCheckable(f"disclosure v{version.number} was stored before claims were")
    if not call.plan:
        raise NotCheckable("the call's plan was erased after the retention period")
    made_under = list(disclosed.number_claims_of(call))
    if not made_under:
        kind = "listing numbers" if call.number_kind == "listing" else "this call's number"
        raise NotCheckable(f"disclosure v{version.number} has no claims for {kind}")
    if call.number_kind == "listing":
        return made_under
    claims: list[Claim] = []
    for claim in (*made_under, *call_claims(call.routing_plan, made_under)):
        if claim not in claims:  # the greeting repeats the number's fee and keys claims: one check each
            claims.append(claim)
    return claims


def violation_records(claims: Iterable[Claim], facts: CallFacts) -> list[dict[str, Any]]:
    """What is stored on the call: each contradicted claim's kind and the claim itself (its values)."""
    return [{"kind": c.kind, "claim": c.as_dict()} for c in violations(claims, facts)]


# --- Checking -----------------------------------------------------------------------------------------------------


def is_finished(call: Call) -> bool:
    """Over, and with its callback (if any) closed: nothing that a claim speaks of can change any more."""
    if call.ended_at is None:
        return False
    callback = _callback_of(call)
    return callback is None or callback.status != CallbackStatus.OPEN


def check_call(call: Call, now: dt.datetime | None = None) -> CheckResult:
    """Check one finished call against its claims and store the result, once (a conditional UPDATE: a call
    already checked, by this run or another, is left as it is)."""
    moment = now or timezone.now()
    if call.claims_checked_at is not None:
        return CheckResult.ALREADY_CHECKED
    if not is_finished(call):
        return CheckResult.NOT_FINISHED
    try:
        claims = claims_for(call)
    except NotCheckable as reason:
        logger.info("Call %s cannot be checked against claims: %s", call.pk, reason)
        return CheckResult.NOT_CHECKABLE
    found = violation_records(claims, facts_for(call, moment))
    won = Call.objects.filter(pk=call.pk, claims_checked_at__isnull=True).update(
        claims_checked_at=moment, claim_violations=found
    )
    if not won:
        return CheckResult.ALREADY_CHECKED
    call.claims_checked_at, call.claim_violations = moment, found
    if found:
        logger.warning(
            "Call %s contradicted what its caller was told: %s", call.pk, ", ".join(v["kind"] for v in found)
        )
        return CheckResult.CONTRADICTED
    return CheckResult.KEPT


def checkable_calls(now: dt.datetime) -> QuerySet[Call]:
    """Calls to check now: not checked yet, ended a moment ago, with no open callback, made under a disclosure
    version that stores claims, plan not erased. With what ``facts_for`` and ``claims_for`` read, in one query
    plus one for the attempts."""
    return (
        Call.objects.filter(claims_checked_at__isnull=True, ended_at__lte=now - SETTLE)
        .exclude(callback__status=CallbackStatus.OPEN)
        .exclude(Q(disclosure_version__isnull=True) | Q(disclosure_version__claims={}) | Q(plan={}))
        .select_related("disclosure_version", "callback")
        .prefetch_related("attempts")
        .order_by("pk")
    )


@dataclass
class RunCounts:
    checked: int = 0
    contradicted: int = 0
    not_checkable: int = 0
    published_months_changed: bool = False

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "contradicted": self.contradicted,
            "not_checkable": self.not_checkable,
        }


def check_finished_calls(now: dt.datetime | None = None, *, limit: int = MAX_PER_RUN) -> dict[str, int]:
    """Check every finished call not checked yet (up to ``limit`` per run), in batches by primary key. Returns
    how many were checked by this run, how many of those contradicted a claim and how many could not be checked.
    When a call of a month already published on the transparency page is checked, the public page cache is
    renewed (the page shows the month's counts)."""
    moment = now or timezone.now()
    counts = RunCounts()
    current_month = _local_month_start(moment)
    last_pk, seen = 0, 0
    while seen < limit:
        batch = list(checkable_calls(moment).filter(pk__gt=last_pk)[: min(BATCH_SIZE, limit - seen)])
        if not batch:
            break
        for call in batch:
            result = check_call(call, moment)
            if result in (CheckResult.KEPT, CheckResult.CONTRADICTED):
                counts.checked += 1
                counts.contradicted += result is CheckResult.CONTRADICTED
                if call.started_at < current_month:
                    counts.published_months_changed = True
            elif result is CheckResult.NOT_CHECKABLE:
                counts.not_checkable += 1
        last_pk, seen = batch[-1].pk, seen + len(batch)
    if counts.published_months_changed:
        bump_generation()
    if counts.checked or counts.not_checkable:
        logger.info(
            "Checked %s finished calls against their claims: %s contradicted one; %s could not be checked",
            counts.checked,
            counts.contradicted,
            counts.not_checkable,
        )
    return counts.as_dict()


def _local_month_start(moment: dt.datetime) -> dt.datetime:
    """The first instant of ``moment``'s month in the operator's time zone (the transparency page's months)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


# --- Words ----------------------------------------------------------------------------------------------------------


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
    callback = _callback_of(call)
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
    callback = _callback_of(call)
    if callback is not None:
        ids |= set(callback.assignees or ()) | {callback.provider_id}
        consent = callback.consent if isinstance(callback.consent, dict) else {}
        ids |= set(consent.get("provider_ids") or ())
    return {int(i) for i in ids if i is not None and str(i).isdigit()}
