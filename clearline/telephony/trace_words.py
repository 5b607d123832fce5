"""A call's decision trace in plain words, for the operators' call page (``admin_calls``).

Pure formatting: each function takes the stored trace (``routing.Trace.as_dict()``, as kept in ``Call.trace``) and
plain values (provider names by id, attempts as mappings) and returns sentences in the active language. No query,
no model instance: the view loads the records, these functions only word them, and the tests feed them hand-made
traces. Nothing here ever sees the caller's number or keyed hash.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clearline.routing.callback_choice import CALLBACK_RECORD_DAYS

# Every routing filter (``routing.eligibility.FILTERS``) by a human-readable rule name and what failing it means.
RULES: dict[str, tuple[Any, Any]] = {
    "contract_active": (gettext_lazy("Contract"), gettext_lazy("no running contract")),
    "license_current": (gettext_lazy("Licence"), gettext_lazy("licence not current")),
    "certification_current": (gettext_lazy("Certification"), gettext_lazy("certification not current")),
    "open_now": (gettext_lazy("Opening hours"), gettext_lazy("closed at that moment")),
    "not_paused": (gettext_lazy("Pause"), gettext_lazy("paused by staff or by the provider")),
    "not_auto_paused": (gettext_lazy("Automatic pause"), gettext_lazy("paused after unanswered calls")),
    "free_slot": (gettext_lazy("Free line"), gettext_lazy("every line busy")),
    "under_daily_cap": (gettext_lazy("Daily limit"), gettext_lazy("daily limit reached")),
    "serves_area": (gettext_lazy("Area served"), gettext_lazy("does not serve the caller's area")),
    "speaks_language": (
        gettext_lazy("Language"),
        gettext_lazy("does not take calls in the caller's language"),
    ),
    "offers_intent": (gettext_lazy("Kind of call"), gettext_lazy("does not take this kind of call")),
}

# Rules that leave a provider out of the callback although it passes every filter (``routing.callback_choice``,
# the trace's ``callback_refused``), by name and what it means.
CALLBACK_RULES: dict[str, tuple[Any, Any]] = {
    "keeps_callbacks": (
        gettext_lazy("Callback record"),
        gettext_lazy("more than one in ten of its callbacks of the last %(days)s days were late or not made"),
    ),
}

ATTEMPT_WORDS: dict[str, Any] = {
    "ringing": gettext_lazy("still ringing"),
    "accepted": gettext_lazy("accepted (pressed 1)"),
    "no-answer": gettext_lazy("no answer"),
    "busy": gettext_lazy("busy"),
    "declined": gettext_lazy("declined (did not press 1)"),
    "failed": gettext_lazy("the call to it failed"),
    "canceled": gettext_lazy("stopped ringing: another provider answered first"),
    "call-ended": gettext_lazy("still ringing when the caller hung up or chose another line"),
}


def caller_tag(caller_hmac: str) -> str:
    """A short, stable tag for the caller (the first 8 characters of the keyed hash; empty once erased): enough to
    see two calls came from one caller, never the number, never the hash itself."""
    return caller_hmac[:8] if caller_hmac else ""


def rule_name(rule: str) -> str:
    return str(RULES[rule][0]) if rule in RULES else rule


def _failed_words(rule: str) -> str:
    if rule not in RULES:
        return rule
    name, words = RULES[rule]
    return _("%(words)s (rule: %(rule)s)") % {"words": words, "rule": name}


def name_of(names: Mapping[str, str], provider_id: object) -> str:
    key = str(provider_id)
    return names.get(key) or _("provider #%(id)s (no longer on file)") % {"id": key}


def _names(names: Mapping[str, str], ids: Sequence[object]) -> str:
    return ", ".join(name_of(names, pid) for pid in ids)


def eligibility_sentences(trace: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """Who was considered, who was eligible, who was filtered out and by which rules."""
    if not trace:
        return [
            _("This call has no decision trace: it was erased after the retention period, or never made.")
        ]
    if trace.get("number_kind") == "listing":
        return [_("A listing number: it rings only its facility, so no provider was considered.")]
    providers = [p for p in trace.get("providers", ()) if isinstance(p, Mapping)]
    if not providers:
        return [_("No provider was on the roster for this number, so none could be considered.")]
    eligible = [p["id"] for p in providers if p.get("eligible")]
    sentences = [
        _("%(n)s providers were considered; %(k)s passed every rule.")
        % {"n": len(providers), "k": len(eligible)}
        if len(providers) != 1
        else _("1 provider was considered; %(k)s passed every rule.") % {"k": len(eligible)}
    ]
    if eligible:
        sentences.append(_("Eligible: %(who)s.") % {"who": _names(names, eligible)})
    else:
        sentences.append(_("Nobody was eligible."))
    for provider in providers:
        if provider.get("eligible"):
            continue
        failed = [str(rule) for rule in provider.get("failed", ())]
        sentences.append(
            _("%(who)s was filtered out: %(why)s.")
            % {
                "who": name_of(names, provider.get("id")),
                "why": "; ".join(_failed_words(rule) for rule in failed) or _("no rule recorded"),
            }
        )
    place = trace.get("place")
    if isinstance(place, Mapping) and place.get("asked"):
        answer = place.get("answer")
        if answer == "zip":
            sentences.append(
                _(
                    "The caller was asked for a ZIP code and typed one; the decision above was made for its first "
                    "three digits."
                )
            )
        elif answer == "skip":
            sentences.append(_("The caller was asked for a ZIP code and skipped the question."))
        else:
            sentences.append(_("The caller was asked for a ZIP code and had not answered."))
    return sentences


def order_sentences(trace: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """The order the eligible providers were put in, and why (continuity, fair rotation, the seed)."""
    order = list(trace.get("order", ()))
    if not order:
        return []
    sentences = [
        _("Order: %(list)s.")
        % {"list": "; ".join(f"{n}. {name_of(names, pid)}" for n, pid in enumerate(order, start=1))}
    ]
    continuity = trace.get("continuity")
    if continuity:
        sentences.append(
            _(
                "%(who)s went first because it answered this caller's previous call within the continuity period "
                "(continuity)."
            )
            % {"who": name_of(names, continuity)}
        )
    rest = _("The others") if continuity else _("The providers")
    sentences.append(
        _(
            "%(rest)s are in fair-rotation order: first the provider most owed first rings (its fair share of first "
            "rings among the calls it was eligible for, minus the first rings it got: fair share), then the one rung "
            "least recently (rotation); remaining ties are broken by the call's seed, %(seed)s. Money never enters "
            "the order."
        )
        % {"rest": rest, "seed": trace.get("seed", "?")}
    )
    if trace.get("policy_version") not in (None, ""):
        sentences.append(
            _("Decided at %(at)s under routing settings version %(version)s.")
            % {"at": _moment(trace.get("at")), "version": trace["policy_version"]}
        )
    return sentences


def _moment(value: object) -> str:
    if not isinstance(value, str):
        return "?"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def wave_sentences(
    trace: Mapping[str, Any],
    attempts: Sequence[Mapping[str, Any]],
    names: Mapping[str, str],
    wave_of_step: Mapping[int, int] | None = None,
) -> list[str]:
    """Each wave: who it was planned to ring and what each provider rung did (from the call's attempts).

    ``attempts`` are mappings with ``step_index``, ``provider_id``, ``status`` and, when known, ``started_at`` and
    ``answered_at``; ``wave_of_step`` maps the plan's step index of each dial to its wave number (from the stored
    plan); without it, the attempts' steps are numbered in order."""
    planned = [list(w) for w in trace.get("waves", ()) if isinstance(w, list | tuple)]
    by_step: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for attempt in attempts:
        by_step[int(attempt["step_index"])].append(attempt)
    if wave_of_step is None:
        wave_of_step = {step: n for n, step in enumerate(sorted(by_step), start=1)}
    rung_by_wave: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for step, rows in by_step.items():
        rung_by_wave[wave_of_step.get(step, 0)].extend(rows)
    sentences = []
    for number in range(1, max([len(planned), *rung_by_wave.keys(), 0]) + 1):
        plan_part = (
            _(" (planned: %(who)s)") % {"who": _names(names, planned[number - 1])}
            if number <= len(planned)
            else ""
        )
        rows = rung_by_wave.get(number, [])
        if rows:
            results = "; ".join(
                f"{name_of(names, row['provider_id'])}: {_attempt_words(row)}" for row in rows
            )
        else:
            results = _("not rung (the call had ended or been answered before)")
        sentences.append(
            _("Wave %(n)s%(plan)s: %(results)s.") % {"n": number, "plan": plan_part, "results": results}
        )
    if rung_by_wave.get(0):
        rows = rung_by_wave[0]
        sentences.append(
            _("Rung outside the plan's waves: %(results)s.")
            % {"results": "; ".join(f"{name_of(names, r['provider_id'])}: {_attempt_words(r)}" for r in rows)}
        )
    if not sentences:
        sentences.append(_("No provider was rung."))
    return sentences


def _attempt_words(attempt: Mapping[str, Any]) -> str:
    words = str(ATTEMPT_WORDS.get(str(attempt.get("status")), attempt.get("status")))
    started, answered = attempt.get("started_at"), attempt.get("answered_at")
    if (
        attempt.get("status") == "accepted"
        and isinstance(started, dt.datetime)
        and isinstance(answered, dt.datetime)
    ):
        seconds = round((answered - started).total_seconds())
        words = _("%(words)s after %(s)s s") % {"words": words, "s": seconds}
    return words


def _refused_sentences(trace: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    refused = trace.get("callback_refused")
    if not isinstance(refused, Mapping):
        return []
    sentences = []
    for pid, rule in refused.items():
        name, words = CALLBACK_RULES.get(str(rule), (str(rule), None))
        why = str(rule) if words is None else str(words) % {"days": CALLBACK_RECORD_DAYS}
        sentences.append(
            _("%(who)s was not offered for the callback: %(why)s (rule: %(rule)s); it could still be rung.")
            % {"who": name_of(names, pid), "why": why, "rule": name}
        )
    return sentences


def ending_sentences(trace: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """What the plan held for when nobody accepts, and who a callback rule left out of it."""
    terminal = trace.get("terminal")
    if terminal == "callback_offer":
        return [
            _("If nobody accepted, the caller would be offered a callback from %(who)s.")
            % {"who": name_of(names, trace.get("callback_provider"))},
            *_refused_sentences(trace, names),
        ]
    if terminal == "free_helpline":
        return [
            _("If nobody accepted, the caller would be transferred to the free national helpline."),
            *_refused_sentences(trace, names),
        ]
    if terminal == "listing_options":
        return [
            _(
                "If the facility did not answer, the caller would hear the options (call again, free helplines)."
            )
        ]
    return []


def callback_sentences(callback: Mapping[str, Any] | None, names: Mapping[str, str]) -> list[str]:
    """The callback request, if any: to whom (in order), what the caller agreed to, when it was due, how it ended.

    ``callback`` holds ``provider_id``, ``assignees``, ``consent``, ``created_at``, ``due_at``, ``status`` (its
    words) and ``closed_at``; never the number."""
    if not callback:
        return []
    assignees = [str(p) for p in callback.get("assignees") or ()] or [str(callback.get("provider_id"))]
    sentences = [_("Callback assigned to, in order: %(who)s.") % {"who": _names(names, assignees)}]
    consent = callback.get("consent") if isinstance(callback.get("consent"), Mapping) else {}
    if consent and consent.get("provider_ids"):
        sentences.append(
            _("The caller agreed to be called back by: %(who)s.")
            % {"who": _names(names, consent["provider_ids"])}
        )
    else:
        sentences.append(_("No consent recorded: only the named provider may return it."))
    closed = callback.get("closed_at")
    sentences.append(
        _("Requested %(created)s, due %(due)s; %(status)s%(closed)s.")
        % {
            "created": _local(callback.get("created_at")),
            "due": _local(callback.get("due_at")),
            "status": callback.get("status", ""),
            "closed": (_(" on %(when)s") % {"when": _local(closed)}) if closed else "",
        }
    )
    return sentences


def _local(moment: object) -> str:
    if not isinstance(moment, dt.datetime):
        return "?"
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
