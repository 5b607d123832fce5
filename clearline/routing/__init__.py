"""Clearline's routing engine: pure Python (standard library only), no Django, no Twilio.

Public API, for ``telephony/services.py`` (which builds the inputs from database rows) and the Twilio and
Kamailio adapters (which render the steps)::

    plan_call(call: CallContext, providers: Sequence[ProviderSnapshot], policy: RoutingPolicy,
              now: datetime, seed: int) -> Decision
        A general helpline call. ``Decision.plan`` is a ``Plan`` (ordered ``steps``: ``Disclosure``, ``Menu``,
        one ``Dial`` per wave, then a ``CallbackOffer`` or a ``Transfer`` to the free helpline);
        ``Decision.trace`` is a ``Trace`` (``to_json()`` is what the call record stores).

    plan_listing_call(call: CallContext, facility: ListingTarget, policy: RoutingPolicy,
                      now: datetime, seed: int = 0) -> Decision
        A listing number: one ``Dial`` to the facility, then ``ListingOptions``. Never a provider.

    next_step(plan: Plan, progress: Progress, result: Result) -> Step
        Called from the adapters' callbacks: ``progress.at`` is the index of the step that just ended (every
        ``Dial``/``CallbackOffer`` carries its ``index``), ``progress.ring_elapsed_s`` the ringing so far, and
        ``result`` what happened (``Outcome.ACCEPTED`` with the accepting ``provider_id``, ``NO_ANSWER``,
        ``BUSY``, ``DECLINED``, ``FAILED``, ``CALLER_HUNG_UP``, ``PRESSED_CRISIS``, ``PRESSED_FREE``,
        ``CALLBACK_ACCEPTED``, ``NO_INPUT``). Returns the next step: another ``Dial``, the terminal step,
        ``Connect``, ``Transfer``, ``CallbackConfirmed``, ``Goodbye`` or ``Ended``.

    auto_pause_due(provider, policy, now) -> bool
        After recording an unanswered offer (one per provider per call, however many waves rang it; offers
        stopped because another provider answered first are not unanswered): whether to persist
        ``auto_paused`` (until staff or the provider resume, which also clears ``unanswered_offers``).

    callback_successor(call: CallContext, providers: Sequence[ProviderSnapshot], policy: RoutingPolicy,
                       now: datetime, seed: int, consent: Sequence[str], had: Collection[str])
                       -> ProviderSnapshot | None
        The deadline job, when a callback's provider missed its deadline: among the providers the caller
        agreed to (the offer's ``provider_ids``) that have not had it, the first by the rule that chose the
        offer's assignee (``callback_choice.callback_order``), with the call's seed; None: nobody may take it.
        ``room_for_a_callback(provider, policy)`` is that rule's capacity test, re-checked when the caller
        presses 1.

    share_credit_changes(eligible_ids, first_wave_ids) -> dict[str, float]
        After each decision (``trace.eligible_ids``, the first ``Dial``'s target ids): how each provider's
        ``share_credit`` changes; services keep the running sum over the reporting period.

What-if replay (``clearline replay``, docs/replay.md): ``recorded.record_inputs`` / ``read_inputs`` keep a
decision's inputs as JSON (stored in the call's trace under ``"inputs"``) and give them back, so ``plan_call`` on
them repeats the decision; ``replay.replay`` plans recorded calls again under another policy and follows them
with the providers' and callers' recorded or observed behaviour; ``replay_figures.summarise`` compares the two.

Adapters also need: each ``Dial`` has ``targets`` (``DialTarget(id, name, phone)``), ``ring_timeout_s``,
``whisper``, ``require_accept`` and ``announce`` (spoken before waves after the first); ``Menu.options`` gives
the digits and numbers (9: 988 Lifeline via +18002738255, 0: SAMHSA +18006624357; never 911); the simulator's
``ClearlineRoute`` in ``simulator/strategies.py`` is a compact example of driving a plan with ``next_step``.

Times are timezone-aware ``datetime`` values; schedules use IANA zone names (``zoneinfo``). Every input and
output type is a frozen dataclass. Input types have no fee, price, bid or revenue field. ``docs/routing.md``
explains the rules for operators; ``clearline.routing.simulator`` drives this same code in simulations.
"""

from clearline.routing.callback_choice import callback_successor, room_for_a_callback
from clearline.routing.eligibility import FILTERS, Verdict, auto_pause_due, evaluate
from clearline.routing.ordering import share_credit_changes
from clearline.routing.outcomes import next_step
from clearline.routing.plans import Decision, plan_call, plan_listing_call
from clearline.routing.schedule import Schedule, TimeRange, is_open, next_opening, weekly_from_lists
from clearline.routing.steps import (
    CallbackConfirmed,
    CallbackOffer,
    Connect,
    Dial,
    DialTarget,
    Disclosure,
    Ended,
    Goodbye,
    ListingOptions,
    Menu,
    MenuOption,
    Outcome,
    Plan,
    Progress,
    Result,
    Step,
    Transfer,
)
from clearline.routing.trace import Trace
from clearline.routing.types import (
    CRISIS_NUMBER,
    FREE_HELPLINE_NUMBER,
    CallContext,
    Intent,
    ListingTarget,
    NumberKind,
    ProviderSnapshot,
    RoutingPolicy,
)

__all__ = [
    "CRISIS_NUMBER",
    "FILTERS",
    "FREE_HELPLINE_NUMBER",
    "CallContext",
    "CallbackConfirmed",
    "CallbackOffer",
    "Connect",
    "Decision",
    "Dial",
    "DialTarget",
    "Disclosure",
    "Ended",
    "Goodbye",
    "Intent",
    "ListingOptions",
    "ListingTarget",
    "Menu",
    "MenuOption",
    "NumberKind",
    "Outcome",
    "Plan",
    "Progress",
    "ProviderSnapshot",
    "Result",
    "RoutingPolicy",
    "Schedule",
    "Step",
    "TimeRange",
    "Trace",
    "Transfer",
    "Verdict",
    "auto_pause_due",
    "callback_successor",
    "evaluate",
    "is_open",
    "next_opening",
    "next_step",
    "plan_call",
    "plan_listing_call",
    "room_for_a_callback",
    "share_credit_changes",
    "weekly_from_lists",
]
