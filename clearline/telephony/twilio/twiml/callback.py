"""After the last wave: the callback offer, the number prompt for a withheld caller ID, the confirmation."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from clearline.routing import FREE_HELPLINE_NUMBER, CallbackOffer
from clearline.telephony.keys import CALLBACK_DIGIT
from clearline.telephony.twilio.twiml.speech import (
    NO_INPUT_PARAM,
    Urls,
    _append_transfer,
    _base_language,
    _free_helpline_line,
    _need,
    _Speaker,
    with_query,
)

# The wording of ``callback_offer_speech``, stored with every callback request as what the caller agreed to.
# Bump it whenever that wording (in any language) changes.
CONSENT_VERSION = "callback-offer-3"


def _either(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + _("or") + " " + names[-1]


def callback_offer_speech(
    provider_name: str,
    backup_names: Sequence[str],
    minutes: int,
    open_hours: int | None,
    number_kept_days: int | None,
    language: str,
) -> str:
    """Everything the callback offer says before the caller presses a key, from plain values only, so the very
    same text is spoken and stored as the caller's consent (``CONSENT_VERSION``).

    Who calls back and how soon; when ``backup_names``, that the request may go to them (and only to them) if
    the named provider does not call in time; when ``open_hours`` is known, how long the request stays open and
    when the number is deleted after it closes; then 0 and 9.
    """
    with override(_base_language(language)):
        values = {
            "digit": CALLBACK_DIGIT,
            "provider": provider_name,
            "minutes": minutes,
            "backups": _either(backup_names),
            "hours": open_hours,
            "days": number_kept_days,
        }
        sentences = [
            _(
                "Nobody could take your call just now. Press %(digit)s and %(provider)s will call you back "
                "within %(minutes)s minutes."
            )
            % values
        ]
        if backup_names:
            sentences.append(
                _(
                    "If %(provider)s does not call you in time, your request may go to %(backups)s instead, and "
                    "to nobody else."
                )
                % values
            )
        if open_hours is not None:
            sentences.append(_("We keep your request open for up to %(hours)s hours.") % values)
            if number_kept_days:
                sentences.append(
                    ngettext(
                        "If nobody has called you back by then, it is closed, and your number is deleted "
                        "%(days)s day later.",
                        "If nobody has called you back by then, it is closed, and your number is deleted "
                        "%(days)s days later.",
                        number_kept_days,
                    )
                    % values
                )
            elif number_kept_days is not None:
                sentences.append(
                    _("If nobody has called you back by then, it is closed, and your number is deleted.")
                )
            else:
                sentences.append(_("If nobody has called you back by then, it is closed."))
        sentences.append(_("Or press 0 for the free national helpline, or 9 for the crisis line."))
        return " ".join(sentences)


def render_callback_offer(
    provider_name: str,
    minutes: int,
    language: str,
    urls: Urls,
    *,
    backup_names: Sequence[str] = (),
    open_hours: int | None = None,
    number_kept_days: int | None = None,
) -> str:
    """After the last wave: ``callback_offer_speech`` (who calls back, who else may, for how long), or 0 / 9.

    ``<Gather numDigits=1 action=urls.callback_action>``; with no input, ``<Redirect>`` to the same action with
    ``no_input=1``, where the engine's next step (the free helpline) is recorded and rendered. The callback is
    promised only after the request is stored: on Digits=1 the
    view stores it, then answers with ``render_callback_confirmed`` (or ``render_ask_for_number``).
    Needs ``urls.callback_action``.
    """
    _need(urls, "callback_action")
    text = callback_offer_speech(provider_name, backup_names, minutes, open_hours, number_kept_days, language)
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=6, action=urls.callback_action, method="POST")
        speaker.say(text, gather)
        speaker.response.redirect(with_query(urls.callback_action, **{NO_INPUT_PARAM: "1"}), method="POST")
        return speaker.xml()


def offer_speech(offer: CallbackOffer, language: str) -> str:
    """``callback_offer_speech`` for the plan's ``CallbackOffer``: what the caller hears and agrees to."""
    return callback_offer_speech(
        offer.provider_name,
        [b.name for b in offer.backups],
        offer.minutes,
        offer.open_hours,
        offer.number_kept_days,
        language,
    )


def render_callback_offer_step(offer: CallbackOffer, language: str, urls: Urls) -> str:
    """``render_callback_offer`` for the plan's ``CallbackOffer``: its provider, minutes, backups and terms."""
    return render_callback_offer(
        offer.provider_name,
        offer.minutes,
        language,
        urls,
        backup_names=[b.name for b in offer.backups],
        open_hours=offer.open_hours,
        number_kept_days=offer.number_kept_days,
    )


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


def render_callback_unavailable(language: str) -> str:
    """The caller pressed 1 but nobody the offer named has room for another callback any more (the promise is
    checked when given): say so, and transfer them to the free helpline; nothing was stored."""
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(_("No participating treatment provider can take your call right now."))
        _append_transfer(speaker, FREE_HELPLINE_NUMBER)
        return speaker.xml()
