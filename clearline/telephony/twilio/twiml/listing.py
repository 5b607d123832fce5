"""Listing numbers: ring the listed facility and nobody else; if it does not answer, the options."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import override

from clearline.telephony.twilio.twiml.speech import (
    ATTEMPT_PARAM,
    STATUS_EVENTS,
    Urls,
    _base_language,
    _goodbye_line,
    _need,
    _Speaker,
    check_dialable,
    with_query,
)


def render_listing_dial(
    facility_name: str, phone: str, timeout: int, language: str, urls: Urls, attempt_id: str | None = None
) -> str:
    """A listing number: ring the listed facility and nobody else; ``urls.dial_action`` gets the result.

    When ``DialCallStatus`` is not ``completed``, answer with ``render_listing_options``. With ``attempt_id``,
    the facility's leg reports to ``urls.status_callback?attempt=ID`` like a provider's. Needs
    ``urls.dial_action`` (and ``urls.status_callback`` with an attempt id).
    """
    _need(urls, "dial_action", *(("status_callback",) if attempt_id else ()))
    with override(_base_language(language)):
        speaker = _Speaker(language)
        speaker.say(
            _("Connecting you to %(facility)s. This number rings only %(facility)s.")
            % {"facility": facility_name}
        )
        verb = speaker.response.dial(
            timeout=timeout, action=urls.dial_action, method="POST", answer_on_bridge=True
        )
        if attempt_id:
            verb.number(
                check_dialable(phone),
                status_callback=with_query(urls.status_callback, **{ATTEMPT_PARAM: attempt_id}),
                status_callback_event=STATUS_EVENTS,
                status_callback_method="POST",
            )
        else:
            verb.number(check_dialable(phone))
        return speaker.xml()


def render_listing_options(language: str, urls: Urls, facility_name: str = "", *, rang: bool = True) -> str:
    """The listed facility did not answer (or, with ``rang=False``, cannot be rung right now): call again later,
    or 0 free helpline, 9 crisis line; never a provider.

    ``<Gather numDigits=1 action=urls.options_action>``; with no input, goodbye with both free numbers.
    Needs ``urls.options_action``.
    """
    _need(urls, "options_action")
    with override(_base_language(language)):
        speaker = _Speaker(language)
        gather = speaker.response.gather(num_digits=1, timeout=5, action=urls.options_action, method="POST")
        if not rang:
            missed = _("We cannot connect you to %(facility)s right now.") % {
                "facility": facility_name or _("this facility")
            }
        elif facility_name:
            missed = _("%(facility)s did not answer.") % {"facility": facility_name}
        else:
            missed = _("The facility did not answer.")
        speaker.say(
            missed
            + " "
            + _(
                "Please try again later, or press 0 for the free national helpline. For the crisis line, press 9."
            ),
            gather,
        )
        speaker.say(_goodbye_line())
        speaker.response.hangup()
        return speaker.xml()
