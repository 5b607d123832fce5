"""The "Where do calls go?" disclosure, generated from the live roster and stored as numbered versions.

Editors cannot type this text: each sentence is built from data (who participates, the shared flat fee, how
many providers ring at once), so it is true by construction. Bump TEMPLATE_VERSION whenever the wording below
changes; that alone produces a new stored version.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clearline.content.models import DisclosureVersion
from clearline.providers.routing_settings import current_routing_settings
from clearline.providers.services import FeeTerms, current_roster

logger = logging.getLogger(__name__)

TEMPLATE_VERSION = "2026-11.2"
CRISIS_LINE_DISPLAY = "988"
FREE_HELPLINE_DISPLAY = "1-800-662-4357"


@dataclass(frozen=True)
class RosterEntry:
    id: int
    name: str


@dataclass(frozen=True)
class DisclosureInputs:
    roster: tuple[RosterEntry, ...]
    fee: FeeTerms | None
    wave_size: int


def gather_inputs() -> DisclosureInputs:
    roster = current_roster()
    return DisclosureInputs(
        roster=tuple(RosterEntry(pk, name) for pk, name in roster.providers),
        fee=roster.fee,
        wave_size=current_routing_settings().wave_size,
    )


def _period_word(period: str) -> str:
    return {"monthly": _("monthly"), "quarterly": _("quarterly"), "yearly": _("yearly")}.get(period, period)


def compose_paragraphs(inputs: DisclosureInputs) -> list[str]:
    """The disclosure in the active language, one string per paragraph."""
    names = get_text_list([entry.name for entry in inputs.roster], _("and"))
    count = len(inputs.roster)
    paragraphs = [
        _(
            "Listing numbers: a phone number shown on a treatment facility's listing rings that facility only, "
            "never anyone else."
        )
    ]
    if count:
        paragraphs.append(
            ngettext(
                'General helpline numbers (marked "paid advertiser") are answered or returned by our '
                "one participating treatment provider: %(names)s.",
                'General helpline numbers (marked "paid advertiser") are answered or returned by one of '
                "%(count)d participating treatment providers: %(names)s.",
                count,
            )
            % {"count": count, "names": names}
        )
        if inputs.fee is not None:
            paragraphs.append(
                _(
                    "Participating providers are paid advertisers. Each pays Clearline the same flat %(period)s "
                    "fee to take part. No fee depends on how many calls a provider gets, on which provider a "
                    "caller chooses, or on whether anyone enters treatment."
                )
                % {"period": _period_word(inputs.fee.period)}
            )
        if inputs.wave_size > 1:
            ringing = _(
                "Up to %(k)d of them ring at the same time, and the first to accept takes your call."
            ) % {"k": inputs.wave_size}
        else:
            ringing = _("They are rung one at a time.")
        paragraphs.append(
            _(
                "How one is chosen: among the participating providers that are open and have a free line when "
                "you call, we take turns so that each gets an equal share of calls: the one furthest behind its "
                "share goes first, then the one offered a call least recently. %(ringing)s Before you are "
                "connected, a recording tells you who will answer."
            )
            % {"ringing": ringing}
        )
        paragraphs.append(
            _(
                "If nobody can answer, you can ask for a call back: the recording names the provider who will "
                "call you and how soon."
            )
        )
    else:
        paragraphs.append(
            _(
                "Right now no treatment provider takes part, so general helpline calls go straight to the free "
                "SAMHSA National Helpline."
            )
        )
    paragraphs += [
        _("Calling a helpline number means you agree to our terms of use."),
        _("You are under no obligation to enter treatment."),
        _(
            "Free alternatives, any time: call or text %(crisis)s (Suicide & Crisis Lifeline); the SAMHSA "
            "National Helpline at %(free)s (free, confidential, 24/7); and FindTreatment.gov. During a helpline "
            "call, press 9 for the crisis line or 0 for the free national helpline. In an emergency, call 911."
        )
        % {"crisis": CRISIS_LINE_DISPLAY, "free": FREE_HELPLINE_DISPLAY},
    ]
    return paragraphs


def compose_spoken(inputs: DisclosureInputs) -> str:
    """The short sentence played before ringing; telephony fills in who is about to be rung."""
    return _(
        "This helpline is run by Clearline. Calls are answered by participating treatment providers, who are "
        "paid advertisers paying the same flat fee. For the crisis line, press 9. For the free national "
        "helpline, press 0."
    )


def _render(inputs: DisclosureInputs, language: str) -> tuple[str, str]:
    with translation.override(language):
        return "\n\n".join(compose_paragraphs(inputs)), compose_spoken(inputs)


# inputs -> the version they produced, per process: rendering both languages costs more than a page needs.
# A hit is only used while that version is still the latest stored one, so it can never serve stale text.
_rendered: dict[DisclosureInputs, tuple[int, str]] = {}


def ensure_current_disclosure() -> DisclosureVersion:
    """Return the stored version matching the live roster, storing a new one first if anything changed."""
    inputs = gather_inputs()
    known = _rendered.get(inputs)
    if known is not None:
        latest = DisclosureVersion.objects.order_by("-number").first()
        if latest is not None and (latest.pk, latest.content_hash) == known:
            return latest
    version = _store_current_disclosure(inputs)
    if len(_rendered) > 64:
        _rendered.clear()
    _rendered[inputs] = (version.pk, version.content_hash)
    return version


def _store_current_disclosure(inputs: DisclosureInputs) -> DisclosureVersion:
    text_en, spoken_en = _render(inputs, "en")
    text_es, spoken_es = _render(inputs, "es")
    digest = hashlib.sha256(
        "\x1e".join([TEMPLATE_VERSION, text_en, text_es, spoken_en, spoken_es]).encode()
    ).hexdigest()
    latest = DisclosureVersion.objects.order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (latest.number + 1) if latest else 1
                version = DisclosureVersion.objects.create(
                    number=number,
                    template_version=TEMPLATE_VERSION,
                    roster=[{"id": e.id, "name": e.name} for e in inputs.roster],
                    content_hash=digest,
                    text_en=text_en,
                    text_es=text_es,
                    spoken_en=spoken_en,
                    spoken_es=spoken_es,
                )
            logger.info("Stored disclosure version %s naming %s providers", number, len(inputs.roster))
            return version
        except IntegrityError:
            # Another process stored a version at the same moment: re-read and compare again.
            latest = DisclosureVersion.objects.order_by("-number").first()
            if latest is not None and latest.content_hash == digest:
                return latest
    raise RuntimeError("Could not store a new disclosure version after three attempts.")
