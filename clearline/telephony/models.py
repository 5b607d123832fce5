"""Call records: calls, dial attempts, callback requests and concurrent-line slots.

Privacy (DESIGN.md rule 7): a call stores the caller's keyed HMAC, never the number. The raw number exists only
encrypted inside an open CallbackRequest and is purged after it closes. Status fields only move forward
(``advance_status``), so repeated or out-of-order webhooks converge on the same record.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clearline.routing import Plan
from clearline.telephony.plan_codec import decode_plan

# Twilio's call statuses, ranked: a status only ever replaces one of lower rank.
CALL_STATUS_RANK = {
    "queued": 0,
    "initiated": 0,
    "ringing": 1,
    "in-progress": 2,
    "answered": 2,
    "completed": 3,
    "busy": 3,
    "failed": 3,
    "no-answer": 3,
    "canceled": 3,
}


class CallOutcome(models.TextChoices):
    PENDING = "pending", _("in progress")
    CONNECTED = "connected", _("connected to a provider")
    LISTING_CONNECTED = "listing_connected", _("connected to the listed facility")
    LISTING_UNANSWERED = "listing_unanswered", _("listed facility did not answer")
    TRANSFERRED_CRISIS = "transferred_crisis", _("transferred to the crisis line")
    TRANSFERRED_FREE = "transferred_free", _("transferred to the free national helpline")
    CALLBACK = "callback", _("callback requested")
    ABANDONED = "abandoned", _("caller hung up before reaching a person")
    FALLBACK = "fallback", _("got the fallback: the database failed (crisis line and free helpline offered)")


class CallAdapter(models.TextChoices):
    """Which telephony adapter carried a call: Twilio's webhooks or the self-hosted SIP controller."""

    TWILIO = "twilio", "Twilio"
    SIP = "sip", "SIP"


class Call(models.Model):
    call_sid = models.CharField(max_length=64, unique=True)
    helpline = models.ForeignKey(
        "content.Helpline", null=True, on_delete=models.SET_NULL, related_name="calls"
    )
    number_kind = models.CharField(max_length=10)
    language = models.CharField(max_length=5, default="en")
    caller_hmac = models.CharField(max_length=64, blank=True, db_index=True)
    caller_state = models.CharField(max_length=2, blank=True)
    caller_zip3 = models.CharField(
        max_length=3,
        blank=True,
        help_text="The first three digits of a ZIP code the caller typed; never more.",
    )
    status = models.CharField(max_length=16, default="ringing")
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices, default=CallOutcome.PENDING)
    # Set with the record by the adapter that starts the call (``carried``); blank for simulated and demo calls.
    adapter = models.CharField(max_length=8, choices=CallAdapter.choices, blank=True, default="")
    disclosure_version = models.ForeignKey(
        "content.DisclosureVersion", null=True, on_delete=models.PROTECT, related_name="calls"
    )
    seed = models.BigIntegerField(default=0)
    plan = models.JSONField(default=dict, help_text="The routing plan, as rendered to the caller.")
    trace = models.JSONField(
        default=dict, help_text="The routing decision trace: every filter, the order, the seed."
    )
    step_index = models.PositiveSmallIntegerField(default=0)
    ring_elapsed_s = models.PositiveIntegerField(default=0)
    connected_provider = models.ForeignKey(
        "providers.Provider", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # When the record was made: ``start_call`` sets it to the moment it routes the call (the same as
    # ``routing_started_at``), so a caller that passes ``now`` (the demo's month of calls) gets that moment.
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    routing_started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_s = models.PositiveIntegerField(null=True, blank=True)
    key_presses = models.JSONField(
        default=list,
        blank=True,
        help_text="[digit, moment] of each 9 or 0 the caller pressed (claims.KeysWork).",
    )
    claims_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the worker checked this finished call against its claims."
    )
    claim_violations = models.JSONField(
        default=list, blank=True, help_text="The claims (kind and text) this call contradicted; empty = none."
    )

    class Meta:
        ordering = ["-started_at"]
        # The roster's calls-delivered-today count; the portal's calls list and the daily figures.
        indexes = [
            models.Index(fields=["connected_provider", "answered_at"]),
            models.Index(fields=["started_at"]),
        ]

    def __str__(self) -> str:
        return f"Call {self.call_sid} ({self.outcome})"

    @cached_property
    def routing_plan(self) -> Plan:
        """The stored plan as routing types, decoded once per loaded call (webhooks read it several times)."""
        return decode_plan(self.plan)


class AttemptStatus(models.TextChoices):
    RINGING = "ringing", _("ringing")
    ACCEPTED = "accepted", _("accepted")
    NO_ANSWER = "no-answer", _("no answer")
    BUSY = "busy", _("busy")
    DECLINED = "declined", _("declined (did not press 1)")
    FAILED = "failed", _("failed")
    CANCELED = "canceled", _("stopped: another provider answered first")
    CALL_ENDED = "call-ended", _("still ringing when the caller hung up or chose another line")


class Attempt(models.Model):
    """One provider rung in one wave of a call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempts")
    step_index = models.PositiveSmallIntegerField()
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="attempts")
    status = models.CharField(max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.RINGING)
    started_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    leg_sid = models.CharField(
        max_length=34,
        blank=True,
        db_default="",  # attempts are inserted by raw SQL (statements.upsert_attempts), which names no leg
        help_text="The provider leg's CallSid when Clearline started the leg itself (Twilio's queue-shaped waves).",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "step_index", "provider"], name="one_attempt_per_wave_provider"
            )
        ]
        # The rotation's latest offer per provider; the roster's ringing and unanswered-offer counts.
        indexes = [
            models.Index(fields=["provider", "started_at"]),
            models.Index(fields=["provider", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.call.call_sid} -> {self.provider} ({self.status})"


# "A slot is open": the one definition, for the queryset below, the unique constraint, and every statement that
# counts or releases lines (the roster's counts, the wave's reservation, the end of a call, the reaper).
SLOT_HELD = Q(released_at__isnull=True)


class LineSlotQuerySet(models.QuerySet["LineSlot"]):
    def held(self) -> LineSlotQuerySet:
        """The slots still held: reserved and not released yet (each counts against its provider's lines)."""
        return self.filter(SLOT_HELD)

    def release(self, now: dt.datetime) -> int:
        """Release those of these slots still held, each exactly once; how many were released now."""
        return self.held().update(released_at=now)


class LineSlot(models.Model):
    """A provider's concurrent line held by a call. Reserved before dialling, released exactly once."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="line_slots")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="line_slots")
    reserved_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    objects = LineSlotQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "call"],
                condition=SLOT_HELD,
                name="one_open_slot_per_call",
            )
        ]
        indexes = [models.Index(fields=["provider", "released_at"])]

    def __str__(self) -> str:
        state = "released" if self.released_at else "held"
        return f"Line of {self.provider} for call {self.call_id} ({state})"


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("open")
    RETURNED = "returned", _("returned")
    EXPIRED = "expired", _("not returned")


class CallbackOutcome(models.TextChoices):
    """What the provider recorded after calling back (the portal's outcome buttons)."""

    REACHED = "reached", _("Reached the caller")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    DECLINED = "declined", _("Caller declined help")


class CallbackRequest(models.Model):
    """Written before the caller hears "you will be called back" (DESIGN.md rule 6)."""

    call = models.OneToOneField(Call, on_delete=models.PROTECT, related_name="callback")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="callbacks")
    encrypted_number = models.TextField(
        blank=True, help_text="Fernet token; emptied when the callback closes."
    )
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    reassignments = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)  # set by ``record_callback``
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True, choices=CallbackOutcome.choices)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The provider staff member working on it (cleared when it is reassigned).",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When operators were told it is overdue and no other provider can take it.",
    )
    consent = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the caller agreed to: {version, text, provider_ids, open_hours} of the spoken offer.",
    )
    assignees = models.JSONField(
        default=list, blank=True, help_text="Every provider id this request was assigned to, in order."
    )

    class Meta:
        # The portal's queue (open, by deadline) and the roster's callbacks-delivered-today count.
        indexes = [
            models.Index(fields=["provider", "status", "due_at"]),
            models.Index(fields=["provider", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Callback for {self.call.call_sid} by {self.provider} due {self.due_at:%H:%M}"

    def assignee_ids(self) -> tuple[str, ...]:
        """Every provider the request was given to, in order, the current one last (``assignees`` as stored; a
        request stored before it was kept: its provider alone)."""
        return tuple(str(p) for p in self.assignees or ()) or (str(self.provider_id),)


class RotationCredit(models.Model):
    """A provider's running fair-share credit for the month (see routing's ``share_credit_changes``): first rings
    it was owed minus first rings it got. It orders the rotation so shares stay equal; it is never money."""

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.CASCADE, related_name="rotation_credits"
    )
    period = models.CharField(max_length=7, help_text="YYYY-MM in the operator's time zone.")
    credit = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "period"], name="one_credit_per_provider_month")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.period}: {self.credit:+.2f}"
