"""The first answer to a helpline call: the disclosure, who is about to be rung, and the menu (9, 0, 2)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.telephony.keys import SWITCH_LANGUAGE_DIGIT
from clearline.telephony.twilio.twiml.speech import (
    NO_INPUT_PARAM,
    SAY_LANGUAGES,
    Urls,
    _base_language,
    _need,
    _Speaker,
    with_query,
)


def render_greeting(sentences: Sequence[str], language: str, urls: Urls) -> str:
    """The first answer to a helpline call: this call's disclosure, then the offer of the other language.

    ``sentences`` are the call's spoken claims, already in ``language`` (``telephony.disclosed``: who will ring now
    or that nobody can, the fee when it is true, and the keys: 9 crisis line, 0 free helpline, and when they work).
    This function adds a welcome and the offer of ``SWITCH_LANGUAGE_DIGIT``. All of it plays inside one
    ``<Gather numDigits=1 timeout=4 action=urls.menu_action>`` so a caller in crisis can press 9 at once. If no
    key is pressed, ``<Redirect>`` to ``menu_action?no_input=1``: the caller heard it all; dial.
    Needs ``urls.menu_action``.
    """
    _need(urls, "menu_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=4, action=urls.menu_action, method="POST")
        speaker.say(_("Thank you for calling the Clearline helpline."), gather)
        for sentence in sentences:
            if sentence:
                speaker.say(sentence, gather)
        # The offer of the other language is spoken in that language, whatever the call's language is.
        if _base_language(language) == "en":
            gather.say(f"Para español, oprima {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["es"])
        else:
            gather.say(f"For English, press {SWITCH_LANGUAGE_DIGIT}.", language=SAY_LANGUAGES["en"])
        speaker.response.redirect(with_query(urls.menu_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()
