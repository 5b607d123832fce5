"""The ZIP prompt: before the greeting, a caller whose area decides who can answer may type a ZIP code, or skip.

Only the first three digits of what the caller types are kept (``clearline.telephony.keys.read_place_digits``).

Keys 9 and 0 must keep working here, yet every digit can begin a ZIP code (0 in New England, 9 in the West). So the
prompt collects up to five digits, and a *single* digit ends the entry when followed by the pound key or by the
``timeout``: 9 alone is the crisis line, 0 alone the free helpline, 2 alone the other language. A caller in crisis
who presses 9 is transferred as soon as they press pound, or after ``timeout`` seconds of silence. Nothing typed (or
the pound key alone) skips the question: the call goes on as planned.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Menu
from clearline.telephony.keys import SWITCH_LANGUAGE_DIGIT, ZIP_DIGITS
from clearline.telephony.twilio.twiml.speech import (
    NO_INPUT_PARAM,
    SAY_LANGUAGES,
    _base_language,
    _Speaker,
    with_query,
)

PLACE_TIMEOUT_S = 6


def render_place_prompt(language: str, action: str, menu: Menu | None = None) -> str:
    """Ask for a ZIP code inside ``<Gather numDigits=5 finishOnKey=# timeout=6 action=action>``.

    The menu's keys (9, 0) and the other language (2) are offered as a single key followed by pound. If nothing is
    pressed, ``<Redirect>`` to ``action?no_input=1``: the caller skipped.
    """
    if not action:
        raise ValueError("the ZIP prompt needs its action URL")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(
            input="dtmf",
            num_digits=ZIP_DIGITS,
            finish_on_key="#",
            timeout=PLACE_TIMEOUT_S,
            action=action,
            method="POST",
        )
        speaker.say(
            _(
                "To find treatment providers who serve your area, type your five-digit ZIP code. "
                "To skip, press the pound key."
            ),
            gather,
        )
        for option in (menu or Menu()).options:
            speaker.say(_key_then_pound(option.digit, option.number, option.label), gather)
        if _base_language(language) == "en":
            gather.say(
                f"Para español, oprima {SWITCH_LANGUAGE_DIGIT} y después la tecla numeral.",
                language=SAY_LANGUAGES["es"],
            )
        else:
            gather.say(
                f"For English, press {SWITCH_LANGUAGE_DIGIT}, then the pound key.",
                language=SAY_LANGUAGES["en"],
            )
        speaker.response.redirect(with_query(action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def _key_then_pound(digit: str, number: str, label: str) -> str:
    if number == CRISIS_NUMBER:
        return _("For the 988 Suicide and Crisis Lifeline, press %(digit)s, then the pound key.") % {
            "digit": digit
        }
    if number == FREE_HELPLINE_NUMBER:
        return _("For the free national helpline, press %(digit)s, then the pound key.") % {"digit": digit}
    return _("For %(label)s, press %(digit)s, then the pound key.") % {"label": label, "digit": digit}
