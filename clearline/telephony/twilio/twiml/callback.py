"""After the last wave: the callback offer, the number prompt for a withheld caller ID, the confirmation."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.routing import FREE_HELPLINE_NUMBER
from clearline.telephony.twilio.twiml.speech import (
    CALLBACK_DIGIT,
    NO_INPUT_PARAM,
    Urls,
    _append_transfer,
    _base_language,
    _free_helpline_line,
    _need,
    _Speaker,
    with_query,
)


def render_callback_offer(provider_name: str, minutes: int, language: str, urls: Urls) -> str:
    """After the last wave: "press 1 and PROVIDER will call you back within N minutes", or 0 / 9.

    ``<Gather numDigits=1 action=urls.callback_action>``; with no input, ``<Redirect>`` to the same action with
    ``no_input=1``, where the engine's next step (the free helpline) is recorded and rendered. The callback is
    promised only after the request is stored: on Digits=1 the
    view stores it, then answers with ``render_callback_confirmed`` (or ``render_ask_for_number``).
    Needs ``urls.callback_action``.
    """
    _need(urls, "callback_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=6, action=urls.callback_action, method="POST")
        speaker.say(
            _(
                "Nobody could take your call just now. Press %(digit)s and %(provider)s will call you back "
                "within %(minutes)s minutes. Or press 0 for the free national helpline, or 9 for the crisis line."
            )
            % {"digit": CALLBACK_DIGIT, "provider": provider_name, "minutes": minutes},
            gather,
        )
        speaker.response.redirect(with_query(urls.callback_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def render_ask_for_number(language: str, urls: Urls) -> str:
    """Caller ID withheld: ask for a 10-digit callback number ending with #, posted to ``urls.number_action``.

    With no input, transfer to the free helpline rather than promise a callback nobody can make.
    Needs ``urls.number_action``.
    """
    _need(urls, "number_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(
            num_digits=10, timeout=8, finish_on_key="#", action=urls.number_action, method="POST"
        )
        speaker.say(
            _(
                "Your number is hidden, so we cannot call you back yet. Please enter your 10-digit phone "
                "number, then press the pound key."
            ),
            gather,
        )
        speaker.say(_("We did not get a number."))
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()


def render_callback_confirmed(provider_name: str, minutes: int, language: str, urls: Urls) -> str:
    """Said once the callback request is stored: who calls back and how soon, the free helpline, then options.

    ``<Gather numDigits=1 action=urls.options_action>`` offers 0 (free helpline now) and 9 (crisis line); with
    no input the caller hears goodbye and the call ends. Needs ``urls.options_action``.
    """
    _need(urls, "options_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(
            _("Thank you. %(provider)s will call you back within %(minutes)s minutes.")
            % {"provider": provider_name, "minutes": minutes}
        )
        gather = speaker.response.gather(num_digits=1, timeout=5, action=urls.options_action, method="POST")
        speaker.say(
            _free_helpline_line()
            + " "
            + _(
                "To be connected to it now, press 0. For the crisis line, press 9. Otherwise, you can hang up."
            ),
            gather,
        )
        speaker.say(_("Goodbye."))
        speaker.response.hangup()
        return speaker.xml()
