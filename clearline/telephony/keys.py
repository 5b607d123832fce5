"""What the keys a caller or a provider presses mean, for every adapter (DTMF digits as a string).

Twilio posts them as ``Digits``; the SIP controller collects RFC 2833 events. The call flow reads them here, so
both adapters give a key the same meaning: 9 crisis line and 0 free helpline wherever the menu's options work, 2
the other language, 1 to accept a callback (caller) or a call (provider), five digits a ZIP code.
"""

from __future__ import annotations

from dataclasses import dataclass

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Menu, Outcome, Result

# The one digit that switches the greeting to the other language (English <-> Spanish).
SWITCH_LANGUAGE_DIGIT = "2"
# The digit a provider presses to take the call, after the whisper.
ACCEPT_DIGIT = "1"
# The digit a caller presses to accept a callback offer.
CALLBACK_DIGIT = "1"
# The ZIP prompt collects this many digits at most (a single 9, 0 or 2 followed by pound is a key, not a ZIP).
ZIP_DIGITS = 5


def read_menu_digits(digits: str, menu: Menu | None = None) -> Result:
    """What a menu digit means for ``next_step``: 9 crisis, 0 free helpline, anything else carry on (no input).

    Check ``digits == SWITCH_LANGUAGE_DIGIT`` first where the other language is offered.
    """
    for option in (menu or Menu()).options:
        if digits == option.digit:
            if option.number == CRISIS_NUMBER:
                return Result(Outcome.PRESSED_CRISIS)
            if option.number == FREE_HELPLINE_NUMBER:
                return Result(Outcome.PRESSED_FREE)
    return Result(Outcome.NO_INPUT)


@dataclass(frozen=True)
class PlaceAnswer:
    """What the caller did at the ZIP prompt. ``zip3``: the first three digits of a typed ZIP code, never more."""

    zip3: str | None = None  # None: skipped (nothing, pound alone, or not five digits)
    menu: Result | None = None  # 9 or 0 alone: the menu's choice (crisis line, free helpline)
    switch_language: bool = False  # 2 alone


def read_place_digits(digits: str, menu: Menu | None = None) -> PlaceAnswer:
    """What the caller typed at the ZIP prompt. Five digits: a ZIP code, of which only three are returned
    (DESIGN.md rule 7). A single 9, 0 or 2 (then pound, or silence) is that key."""
    digits = digits.strip().rstrip("#")
    if len(digits) == 1:
        if digits == SWITCH_LANGUAGE_DIGIT:
            return PlaceAnswer(switch_language=True)
        result = read_menu_digits(digits, menu)
        if result.outcome in (Outcome.PRESSED_CRISIS, Outcome.PRESSED_FREE):
            return PlaceAnswer(menu=result)
    if len(digits) == ZIP_DIGITS and digits.isdigit() and digits.isascii():
        return PlaceAnswer(zip3=digits[:3])
    return PlaceAnswer()


def is_whisper_accepted(digits: str) -> bool:
    """Whether the digits a provider pressed after the whisper accept the call."""
    return digits == ACCEPT_DIGIT
