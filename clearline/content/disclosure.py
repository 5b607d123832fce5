"""The "Where do calls go?" disclosure, rendered from typed claims and stored as numbered versions.

Editors cannot type this text: each sentence is rendered (``claims_text``) from a claim built
(``clearline.routing.claims``) from the routing settings in force, the providers that could answer each general
helpline number and the shared flat fee, so it is true by construction; the claims are stored with the version,
and every call is checked against the version it was made under. Bump TEMPLATE_VERSION whenever the wording in
``claims_text`` or below changes; that alone produces a new stored version.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clearline.content.claims_text import (
    CRISIS_LINE_DISPLAY,
    FREE_HELPLINE_DISPLAY,
    spoken_sentence,
    web_sentence,
)
from clearline.content.models import DisclosureVersion
from clearline.content.snippets import Helpline, HelplineKind
from clearline.providers.models import Provider
from clearline.providers.routing_inputs import standing_snapshot
from clearline.providers.routing_settings import current_routing_settings
from clearline.providers.services import current_roster
from clearline.routing import Intent
from clearline.routing.claim_builders import FeeTerms, number_claims
from clearline.routing.claims import (
    AnsweredBy,
    Claim,
    FlatEqualFee,
    KeysWork,
    ListingRingsOnlyFacility,
    NoProvider,
)

logger = logging.getLogger(__name__)

TEMPLATE_VERSION = "2026-12.1"


@dataclass(frozen=True)
class RosterEntry:
    id: int
    name: str


@dataclass(frozen=True)
class NumberEntry:
    """A general helpline number and what is claimed about it."""

    id: int
    label: str
    label_es: str
    display_number: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class DisclosureInputs:
    roster: tuple[RosterEntry, ...]
    numbers: tuple[NumberEntry, ...]
    listing: tuple[Claim, ...] = (ListingRingsOnlyFacility(),)


def gather_inputs() -> DisclosureInputs:
    """The roster, and each general helpline number's claims at this moment."""
    now = timezone.now()
    day = timezone.localdate(now)
    roster = current_roster(day)
    fee = (
        FeeTerms(roster.fee.period, frozenset(str(pk) for pk, _name in roster.providers))
        if roster.fee is not None
        else None
    )
    providers = [
        standing_snapshot(p)
        for p in Provider.objects.participating(day).prefetch_related("opening_hours", "closures")
    ]
    policy = current_routing_settings().to_policy()
    numbers = tuple(
        NumberEntry(
            id=h.pk,
            label=h.label,
            label_es=h.label_es,
            display_number=h.display_number,
            claims=number_claims(
                providers,
                policy,
                fee,
                now,
                intent=Intent(h.intent) if h.intent in Intent._value2member_map_ else None,
                callback_open_hours=settings.CLEARLINE_CALLBACK_GIVE_UP_HOURS,
                callback_number_days=settings.CLEARLINE_CALLBACK_NUMBER_RETENTION_DAYS,
            ),
        )
        for h in Helpline.objects.filter(kind=HelplineKind.GENERAL).order_by("label", "pk")
    )
    return DisclosureInputs(
        roster=tuple(RosterEntry(pk, name) for pk, name in roster.providers), numbers=numbers
    )


def claims_document(inputs: DisclosureInputs) -> dict[str, object]:
    """The claims as stored on the version: what calls are checked against."""
    return {
        "numbers": {str(n.id): [c.as_dict() for c in n.claims] for n in inputs.numbers},
        "listing": [c.as_dict() for c in inputs.listing],
    }


def compose_paragraphs(inputs: DisclosureInputs) -> list[str]:
    """The disclosure in the active language, one string per paragraph: each sentence from one claim."""
    spanish = (translation.get_language() or "en").startswith("es")
    paragraphs = [web_sentence(c) for c in inputs.listing]
    shared: list[str] = []
    for number in inputs.numbers:
        label = (number.label_es if spanish else "") or number.label
        for claim in number.claims:
            if isinstance(claim, AnsweredBy | NoProvider):
                paragraphs.append(
                    _("%(label)s, %(number)s: %(sentence)s")
                    % {"label": label, "number": number.display_number, "sentence": web_sentence(claim)}
                )
            elif (text := web_sentence(claim)) not in shared:
                shared.append(text)
    paragraphs += shared
    paragraphs += [
        _("Calling a helpline number means you agree to our terms of use."),
        _("You are under no obligation to enter treatment."),
        _(
            "Free alternatives, any time: call or text %(crisis)s (Suicide & Crisis Lifeline); the SAMHSA "
            "National Helpline at %(free)s (free, confidential, 24/7); and FindTreatment.gov. In an emergency, "
            "call 911."
        )
        % {"crisis": CRISIS_LINE_DISPLAY, "free": FREE_HELPLINE_DISPLAY},
    ]
    return paragraphs


def compose_spoken(inputs: DisclosureInputs) -> str:
    """The greeting's sentences that do not depend on the call (the fee, when claimed; the keys). Each call's
    greeting renders its own claims (``routing.claims.call_claims``); this is kept for the record."""
    fee = next((c for n in inputs.numbers for c in n.claims if isinstance(c, FlatEqualFee)), None)
    keys = next((c for n in inputs.numbers for c in n.claims if isinstance(c, KeysWork)), KeysWork())
    return " ".join(spoken_sentence(c) for c in (fee, keys) if c is not None)


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
    claims = claims_document(inputs)
    digest = hashlib.sha256(
        "\x1e".join(
            [
                TEMPLATE_VERSION,
                text_en,
                text_es,
                spoken_en,
                spoken_es,
                json.dumps(claims, sort_keys=True),
                json.dumps([[e.id, e.name] for e in inputs.roster]),
            ]
        ).encode()
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
                    claims=claims,
                )
            logger.info("Stored disclosure version %s naming %s providers", number, len(inputs.roster))
            return version
        except IntegrityError:
            # Another process stored a version at the same moment: re-read and compare again.
            latest = DisclosureVersion.objects.order_by("-number").first()
            if latest is not None and latest.content_hash == digest:
                return latest
    raise RuntimeError("Could not store a new disclosure version after three attempts.")
