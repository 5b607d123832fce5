"""Words for claims, in the active language: the web's sentences, the phone's, and the links' one-liners.

Each function reads only the claim's own values (``clearline.routing.claims``), so a sentence can never say more
than the claim whose predicate the calls are checked against. Bump ``TEMPLATE_VERSION`` in ``disclosure.py``
when the wording changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from clearline.routing.claims import (
    AnsweredBy,
    CallbackPromise,
    Claim,
    FairTurns,
    FlatEqualFee,
    KeysWork,
    ListingRingsOnlyFacility,
    NobodyNow,
    NoCallback,
    NoProvider,
    OtherwiseFreeHelpline,
    ProviderScope,
    RingsAtOnce,
    WillRing,
)
from clearline.routing.schedule import WEEKDAYS

CRISIS_LINE_DISPLAY = "988"
FREE_HELPLINE_DISPLAY = "1-800-662-4357"


def _or(items: Sequence[str]) -> str:
    return get_text_list(list(items), _("or"))


def _and(items: Sequence[str]) -> str:
    return get_text_list(list(items), _("and"))


def _period(period: str) -> str:
    return {"monthly": _("monthly"), "quarterly": _("quarterly"), "yearly": _("yearly")}.get(period, period)


def _weekday(code: str) -> str:
    # A context of their own: these stand mid-sentence ("lunes a viernes"), unlike the same words as form labels.
    return {
        "mon": pgettext("in a sentence", "Monday"),
        "tue": pgettext("in a sentence", "Tuesday"),
        "wed": pgettext("in a sentence", "Wednesday"),
        "thu": pgettext("in a sentence", "Thursday"),
        "fri": pgettext("in a sentence", "Friday"),
        "sat": pgettext("in a sentence", "Saturday"),
        "sun": pgettext("in a sentence", "Sunday"),
    }[code]


def _language(code: str) -> str:
    return {"en": pgettext("in a sentence", "English"), "es": pgettext("in a sentence", "Spanish")}.get(
        code, code
    )


def hours_text(scope: ProviderScope) -> str:
    """ "any time", or "Monday to Friday 08:00-18:00, Saturday 09:00-13:00 (Chicago time)"."""
    if scope.always_open:
        text = _("any time")
    elif not scope.weekly:
        return _("no regular hours")
    else:
        by_hours: dict[tuple[str, str], list[int]] = {}
        for day, start, end in scope.weekly:
            by_hours.setdefault((start, end), []).append(WEEKDAYS.index(day))
        parts = []
        for (start, end), days in sorted(by_hours.items(), key=lambda item: min(item[1])):
            runs = []
            for _key, run in groupby(enumerate(sorted(days)), key=lambda pair: pair[1] - pair[0]):
                numbers = [d for _i, d in run]
                first, last = WEEKDAYS[numbers[0]], WEEKDAYS[numbers[-1]]
                runs.append(
                    _weekday(first)
                    if first == last
                    else _("%(first)s to %(last)s") % {"first": _weekday(first), "last": _weekday(last)}
                )
            parts.append(f"{_and(runs)} {start}–{end}")
        city = scope.timezone.rsplit("/", 1)[-1].replace("_", " ")
        text = _("%(hours)s (%(city)s time)") % {"hours": "; ".join(parts), "city": city}
    if scope.special_days:
        text += _(", except posted closures and special hours")
    return text


def area_text(scope: ProviderScope) -> str:
    if scope.everywhere:
        return _("callers anywhere")
    places = list(scope.states) + [
        _("ZIP codes starting %(prefix)s") % {"prefix": p} for p in scope.zip_prefixes
    ]
    return _("callers in %(places)s, or whose area we cannot tell") % {"places": _and(places)}


def provider_text(scope: ProviderScope) -> str:
    return _("%(name)s (%(area)s; %(hours)s; in %(languages)s)") % {
        "name": scope.name,
        "area": area_text(scope),
        "hours": hours_text(scope),
        "languages": _and([_language(code) for code in scope.languages]),
    }


def web_sentence(claim: Claim) -> str:
    """The sentence the dialog and ``/where-do-calls-go/`` show for ``claim``."""
    if isinstance(claim, ListingRingsOnlyFacility):
        return _(
            "Listing numbers: a phone number shown on a treatment facility's listing rings that facility only, "
            "never anyone else."
        )
    if isinstance(claim, AnsweredBy):
        return ngettext(
            "Answered or returned only by one participating treatment provider, a paid advertiser: %(who)s.",
            "Answered or returned only by one of these %(count)d participating treatment providers, paid "
            "advertisers: %(who)s.",
            len(claim.providers),
        ) % {"count": len(claim.providers), "who": "; ".join(provider_text(p) for p in claim.providers)}
    if isinstance(claim, NoProvider):
        return _(
            "Right now no treatment provider answers this number: calls to it go straight to the free SAMHSA "
            "National Helpline."
        )
    if isinstance(claim, FlatEqualFee):
        return _(
            "Each of these providers pays Clearline the same flat %(period)s fee to take part. No fee depends on "
            "how many calls a provider gets, on which provider a caller chooses, or on whether anyone enters "
            "treatment."
        ) % {"period": _period(claim.period)}
    if isinstance(claim, FairTurns):
        text = _(
            "What decides the order: only providers who can take your call at that moment are rung (open, with a "
            "free line, under their daily limit, not paused, serving your area, your language and this kind of "
            "call). Among them we take turns so that each gets an equal share of calls: the one furthest behind "
            "its share goes first, then the one offered a call least recently."
        )
        if claim.continuity_days:
            text += " " + ngettext(
                "If a provider answered your call in the last day, that provider is rung first.",
                "If a provider answered your call in the last %(days)d days, that provider is rung first.",
                claim.continuity_days,
            ) % {"days": claim.continuity_days}
        return text
    if isinstance(claim, RingsAtOnce):
        return rings_text(claim)
    if isinstance(claim, CallbackPromise):
        text = _(
            "If nobody can answer and a provider can return your call in time, you are offered a call back: the "
            "recording names the provider who will call you within %(minutes)d minutes, and the others who may "
            "call instead if it cannot, and nobody else. Your request stays open for at most %(hours)d hours."
        ) % {"minutes": claim.minutes, "hours": claim.open_hours}
        if claim.number_kept_days:
            return (
                text
                + " "
                + ngettext(
                    "Your number is deleted %(days)d day after the request closes.",
                    "Your number is deleted %(days)d days after the request closes.",
                    claim.number_kept_days,
                )
                % {"days": claim.number_kept_days}
            )
        return text + " " + _("Your number is deleted when the request closes.")
    if isinstance(claim, NoCallback):
        return _("No call back is offered on this number.")
    if isinstance(claim, OtherwiseFreeHelpline):
        return _(
            "Otherwise, when nobody can take your call, you are transferred to the free, confidential SAMHSA "
            "National Helpline (%(free)s)."
        ) % {"free": FREE_HELPLINE_DISPLAY}
    if isinstance(claim, KeysWork):
        return keys_text(claim)
    return spoken_sentence(claim)


def rings_text(claim: RingsAtOnce) -> str:
    text = _rings(claim)
    if claim.again:
        text += " " + _("When everyone has been rung and time remains, they are rung again.")
    if claim.press_to_accept:
        text += " " + _(
            "A provider accepts by pressing 1 after hearing it is a helpline call, so no voicemail can."
        )
    return text


def _rings(claim: RingsAtOnce) -> str:
    values = {"first": claim.first, "later": claim.later, "seconds": claim.ring_s, "budget": claim.budget_s}
    if claim.first == claim.later == 1:
        return (
            _(
                "They are rung one at a time, %(seconds)d seconds each, for up to %(budget)d seconds in all; the "
                "first to accept takes your call."
            )
            % values
        )
    if claim.first == claim.later:
        return (
            _(
                "Up to %(first)d of them ring at the same time, %(seconds)d seconds per round, for up to "
                "%(budget)d seconds in all; the first to accept takes your call."
            )
            % values
        )
    first = _("one rings") if claim.first == 1 else _("up to %(first)d ring at the same time") % values
    later = _("one at a time") if claim.later == 1 else _("up to %(later)d at a time") % values
    return _(
        "First %(first)s, then %(later)s in each later round, %(seconds)d seconds per round, for up to "
        "%(budget)d seconds in all; the first to accept takes your call."
    ) % {**values, "first": first, "later": later}


_MOMENTS = {
    "greeting": lambda: _("during the greeting"),
    "wave_announcement": lambda: _("before each new round of ringing"),
    "ringing": lambda: _("while providers' phones ring"),
    "callback_offer": lambda: _("at the call-back offer"),
    "listing_options": lambda: _("after a listed facility did not answer"),
}


def keys_text(claim: KeysWork) -> str:
    moments = [_MOMENTS[m]() if m in _MOMENTS else m for m in claim.moments]
    if "ringing" in claim.moments:
        return _(
            "During a call, you can press 9 for the 988 Suicide & Crisis Lifeline or 0 for the free SAMHSA "
            "National Helpline %(moments)s. Once you are connected the keys do nothing: hang up and call "
            "%(crisis)s or %(free)s yourself."
        ) % {"moments": _and(moments), "crisis": CRISIS_LINE_DISPLAY, "free": FREE_HELPLINE_DISPLAY}
    return _(
        "During a call, you can press 9 for the 988 Suicide & Crisis Lifeline or 0 for the free SAMHSA National "
        "Helpline %(moments)s. While phones ring and once you are connected the keys do nothing: hang up and "
        "call %(crisis)s or %(free)s yourself."
    ) % {"moments": _and(moments), "crisis": CRISIS_LINE_DISPLAY, "free": FREE_HELPLINE_DISPLAY}


def spoken_sentence(claim: Claim) -> str:
    """What the greeting says for ``claim`` (short: it is heard, not read)."""
    if isinstance(claim, WillRing):
        # "Try": a line the greeting names can be taken by another call while the greeting plays; then that
        # provider is skipped, and the next round is announced by name.
        if len(claim.names) == 1:
            return _("We will now try to reach %(name)s, a participating treatment provider.") % {
                "name": claim.names[0]
            }
        return _(
            "We will now try %(names)s, participating treatment providers, at the same time. The first of them "
            "to accept takes your call."
        ) % {"names": _and(claim.names)}
    if isinstance(claim, NobodyNow):
        return _("No participating treatment provider can take your call right now.")
    if isinstance(claim, FlatEqualFee):
        return _(
            "Participating providers are paid advertisers, and each pays the same flat fee, whatever happens on "
            "your call."
        )
    if isinstance(claim, KeysWork):
        # Heard on a helpline call: the listing moment never comes there, so it is not spoken.
        moments = [
            _("during this message") if m == "greeting" else _MOMENTS[m]()
            for m in claim.moments
            if m in _MOMENTS and m != "listing_options"
        ]
        return _(
            "You can press 9 for the 988 Suicide and Crisis Lifeline, or 0 for the free national helpline, "
            "%(moments)s."
        ) % {"moments": _and(moments)}
    return web_sentence(claim)


def link_label(claims: Sequence[Claim]) -> str:
    """One sentence for a helpline link's screen-reader text, true for every caller of that number."""
    who = next((c for c in claims if isinstance(c, AnsweredBy)), None)
    if who is None:
        return _("goes to the free SAMHSA National Helpline right now")
    names = _or([p.name for p in who.providers])
    fee = any(isinstance(c, FlatEqualFee) for c in claims)
    if fee:
        text = ngettext(
            "answered or returned by %(names)s, a paid advertiser on the same flat fee as any other, or else the "
            "free SAMHSA National Helpline",
            "answered or returned by %(names)s, paid advertisers on one flat fee, or else the free SAMHSA "
            "National Helpline",
            len(who.providers),
        )
    else:
        text = ngettext(
            "answered or returned by %(names)s, a paid advertiser, or else the free SAMHSA National Helpline",
            "answered or returned by %(names)s, paid advertisers, or else the free SAMHSA National Helpline",
            len(who.providers),
        )
    return text % {"names": names}
