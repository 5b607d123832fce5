"""Telephony service functions: where database rows meet the routing engine, by what they record.

``calls`` (a call's record: start, place, status, keys, transfers), ``waves`` (lines, attempts, acceptance, a
wave's end, a leg's status) and ``promises`` (a callback given under the provider's lock). Only the call flow
(``clearline.telephony.flow``) calls them during a call, with plain values; every function is idempotent for a
repeated event: calls are keyed by CallSid, statuses only move forward, slots are held with a conditional insert
and released with a conditional update (exactly once).
"""

from clearline.telephony.services.calls import (
    PLACE_KEY,
    CallStart,
    advance_call_status,
    place_call,
    place_pending,
    record_key,
    record_listing_result,
    record_transfer,
    seed_for,
    set_call_language,
    start_call,
)
from clearline.telephony.services.errors import TelephonyError
from clearline.telephony.services.promises import callback_taker, record_callback
from clearline.telephony.services.waves import (
    DialEnd,
    WaveEnd,
    accept_attempt,
    end_wave,
    leave_ringing_wave,
    leave_unrung_wave,
    pause_unresponsive_providers,
    record_attempts,
    record_leg_status,
    release_lines,
    reserve_lines,
    ring_wave,
    ringing_providers,
    wave_attempts,
)

__all__ = [
    "PLACE_KEY",
    "CallStart",
    "DialEnd",
    "TelephonyError",
    "WaveEnd",
    "accept_attempt",
    "advance_call_status",
    "callback_taker",
    "end_wave",
    "leave_ringing_wave",
    "leave_unrung_wave",
    "pause_unresponsive_providers",
    "place_call",
    "place_pending",
    "record_attempts",
    "record_callback",
    "record_key",
    "record_leg_status",
    "record_listing_result",
    "record_transfer",
    "release_lines",
    "reserve_lines",
    "ring_wave",
    "ringing_providers",
    "seed_for",
    "set_call_language",
    "start_call",
    "wave_attempts",
]
