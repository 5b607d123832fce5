"""The first answer to a helpline call: the disclosure, who is about to be rung, and the menu (9, 0, 2)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.routing import CRISIS_NUMBER, FREE_HELPLINE_NUMBER, Menu, Outcome, Result
from clearline.telephony.twilio.twiml.speech import (
    NO_INPUT_PARAM,
    SAY_LANGUAGES,
    SWITCH_LANGUAGE_DIGIT,
    Urls,
    _base_language,
    _join_names,
    _need,
    _option_line,
    _Speaker,
    with_query,
)


def render_greeting(
    disclosure_sentence: str, provider_names: Sequence[str], menu: Menu, language: str, urls: Urls
) -> str:
    """The first answer to a helpline call: the disclosure, who is about to be rung, and the menu.

    ``disclosure_sentence`` is the current disclosure version's spoken text (``compose_spoken`` in
    ``content/disclosure.py``, already in ``language``); this function adds the sentence naming
    ``provider_names`` (the first ``Dial``'s targets) and the menu from ``menu.options`` (9 crisis, 0 free
    helpline), then ``SWITCH_LANGUAGE_DIGIT`` for the other language. All of it plays inside one
    ``<Gather numDigits=1 timeout=4 action=urls.menu_action>`` so a caller in crisis can press 9 at once.
    If no key is pressed, ``<Redirect>`` to ``menu_action?no_input=1``: the caller heard it all; dial.
    Needs ``urls.menu_action``.
    """
    _need(urls, "menu_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=4, action=urls.menu_action, method="POST")
        if disclosure_sentence:
            speaker.say(disclosure_sentence, gather)
        names = [n for n in provider_names if n]
        if len(names) == 1:
            speaker.say(
                _("We will now ring %(name)s, a participating treatment provider.") % {"name": names[0]},
                gather,
            )
        elif names:
            speaker.say(
                _("We will now ring %(names)s at the same time. The first of them to accept takes your call.")
                % {"names": _join_names(names)},
                gather,
            )
        else:
            speaker.say(_("No participating provider can take your call right now."), gather)
        for option in menu.options:
            speaker.say(_option_line(option.digit, option.number, option.label), gather)
        # The offer of the other language is spoken in that language, whatever the call's language is.
        if _base_language(language) == "en":
            gather.say(f"Para español, oprima {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["es"])
        else:
            gather.say(f"For English, press {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["en"])
        speaker.response.redirect(with_query(urls.menu_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def read_menu_digits(digits: str, menu: Menu | None = None) -> Result:
    """What a menu digit means for ``next_step``: 9 crisis, 0 free helpline, anything else carry on (no input).

    Check ``digits == SWITCH_LANGUAGE_DIGIT`` first: that re-renders the greeting in the other language.
    """
    for option in (menu or Menu()).options:
        if digits == option.digit:
            if option.number == CRISIS_NUMBER:
                return Result(Outcome.PRESSED_CRISIS)
            if option.number == FREE_HELPLINE_NUMBER:
                return Result(Outcome.PRESSED_FREE)
    return Result(Outcome.NO_INPUT)
