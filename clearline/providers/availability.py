"""Service functions for a provider's availability: pause and resume, weekly hours, closures, lines, beds.

The portal (and any other caller) changes availability only through these. Each one locks the provider row,
saves through the ORM, so ``track_changes`` records the changed fields with the request's actor, and also writes
one ``providers.availability.*`` entry naming the acting user and the intent, which holds even when no request
sets the actor (a worker, a shell). Invalid input raises ``ValidationError`` with a message fit for the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.lib.audit import log_action
from clearline.providers.models import ClosureDay, OpeningHours, Provider

MAX_LINES = 50
MAX_BEDS = 5000
MIDNIGHT = dt.time(0, 0)


def _actor(user: Any) -> str:
    return user.get_username() if user is not None and getattr(user, "pk", None) else "system"


def _locked(provider_id: int) -> Provider:
    # The router writes auto_paused with its own conditional UPDATE; locking the row and saving only the fields
    # we change keeps either write from undoing the other.
    return Provider.objects.select_for_update().get(pk=provider_id)


def _audit(action: str, user: Any, provider: Provider, **data: Any) -> None:
    log_action(f"providers.availability.{action}", actor=_actor(user), target=provider, data=data)


def pause_provider(provider_id: int, user: Any) -> bool:
    """Stop offering calls and callbacks to the provider at once. False if it was already paused."""
    with transaction.atomic():
        provider = _locked(provider_id)
        if provider.paused:
            return False
        provider.paused = True
        provider.save(update_fields=["paused", "updated_at"])
        _audit("paused", user, provider)
    return True


def resume_provider(provider_id: int, user: Any) -> bool:
    """Take calls again: clears the provider's own pause and the router's auto-pause (whose count of unanswered
    offers starts afresh, see Provider.save). False if neither was set."""
    with transaction.atomic():
        provider = _locked(provider_id)
        if not provider.paused and not provider.auto_paused:
            return False
        cleared_auto_pause = provider.auto_paused
        provider.paused = False
        provider.auto_paused = False
        provider.save(update_fields=["paused", "auto_paused", "offers_counted_since", "updated_at"])
        _audit("resumed", user, provider, cleared_auto_pause=cleared_auto_pause)
    return True


def check_weekly_ranges(ranges: Iterable[tuple[int, dt.time, dt.time]]) -> list[tuple[int, dt.time, dt.time]]:
    """Sorted ranges, or ValidationError naming the first problem. A range ending at or before its start runs
    past midnight; the same time twice is only allowed as 00:00 to 00:00 (the whole day)."""
    result = sorted(ranges)
    weekday_names = [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]
    for weekday, opens, closes in result:
        if not 0 <= weekday <= 6:
            raise ValidationError(_("Choose a day of the week."))
        if opens == closes and opens != MIDNIGHT:
            raise ValidationError(
                _(
                    "%(day)s: the opening and closing times are the same. For the whole day, "
                    "use 00:00 to 00:00."
                )
                % {"day": weekday_names[weekday]}
            )
    for (day_a, opens_a, closes_a), (day_b, opens_b, closes_b) in pairwise(result):
        runs_to = MIDNIGHT if closes_a <= opens_a else closes_a
        if day_a == day_b and (runs_to == MIDNIGHT or opens_b < runs_to):
            raise ValidationError(
                _("%(day)s: the opening times %(first)s and %(second)s overlap. Join them into one.")
                % {
                    "day": weekday_names[day_a],
                    "first": f"{opens_a:%H:%M}-{closes_a:%H:%M}",
                    "second": f"{opens_b:%H:%M}-{closes_b:%H:%M}",
                }
            )
    return result


def set_weekly_hours(
    provider_id: int, ranges: Iterable[tuple[int, dt.time, dt.time]], open_24_7: bool, user: Any
) -> None:
    """Replace the weekly opening ranges (weekday, opens, closes in the provider's time zone) and the 24/7 flag."""
    checked = check_weekly_ranges(ranges)
    with transaction.atomic():
        provider = _locked(provider_id)
        before = sorted((h.weekday, h.opens, h.closes) for h in provider.opening_hours.all())
        hours_changed, flag_changed = before != checked, provider.open_24_7 != open_24_7
        if hours_changed:
            # Row by row (not a bulk delete), so each removed and added range is in the audit log.
            for row in provider.opening_hours.all():
                row.delete()
            for weekday, opens, closes in checked:
                OpeningHours.objects.create(provider=provider, weekday=weekday, opens=opens, closes=closes)
        if flag_changed:
            provider.open_24_7 = open_24_7
            provider.save(update_fields=["open_24_7", "updated_at"])
        if hours_changed or flag_changed:
            _audit(
                "hours_set",
                user,
                provider,
                open_24_7=open_24_7,
                ranges=[f"{d} {o:%H:%M}-{c:%H:%M}" for d, o, c in checked],
            )


def local_today(provider: Provider, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(ZoneInfo(provider.timezone)).date()


def add_closure(
    provider_id: int,
    date: dt.date,
    user: Any,
    *,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> ClosureDay:
    """A holiday (closed all day) or a day with different hours, on a local date from today on."""
    if (opens is None) != (closes is None):
        raise ValidationError(_("Give both the opening and the closing time, or neither for a day closed."))
    if opens is not None and opens == closes and opens != MIDNIGHT:
        raise ValidationError(_("The opening and closing times are the same. For the whole day, use 00:00."))
    with transaction.atomic():
        provider = _locked(provider_id)
        if date < local_today(provider, now):
            raise ValidationError(
                _("%(date)s has passed in your time zone (%(zone)s). Choose today or a later day.")
                % {"date": date.isoformat(), "zone": provider.timezone}
            )
        if ClosureDay.objects.filter(provider=provider, date=date).exists():
            raise ValidationError(
                _("There is already an exception on %(date)s. Remove it first to replace it.")
                % {"date": date.isoformat()}
            )
        closure = ClosureDay.objects.create(
            provider=provider, date=date, opens=opens, closes=closes, reason=reason.strip()[:120]
        )
        _audit("closure_added", user, provider, date=date.isoformat(), opens=opens, closes=closes)
    return closure


def remove_closure(provider_id: int, closure_id: int, user: Any) -> None:
    """Remove one of this provider's closures; another provider's id is simply not found."""
    with transaction.atomic():
        provider = _locked(provider_id)
        closure = ClosureDay.objects.filter(pk=closure_id, provider=provider).first()
        if closure is None:
            raise ClosureDay.DoesNotExist
        closure.delete()
        _audit("closure_removed", user, provider, date=closure.date.isoformat())


def set_lines(provider_id: int, lines: int, user: Any) -> None:
    """How many calls may ring or be in progress at once."""
    if not 1 <= lines <= MAX_LINES:
        raise ValidationError(
            _("Lines must be between 1 and %(max)s. To stop calls for a while, pause instead.")
            % {"max": MAX_LINES}
        )
    with transaction.atomic():
        provider = _locked(provider_id)
        if provider.lines == lines:
            return
        provider.lines = lines
        provider.save(update_fields=["lines", "updated_at"])
        _audit("lines_set", user, provider, lines=lines)


def set_beds(provider_id: int, beds: int | None, user: Any, now: dt.datetime | None = None) -> None:
    """Beds available now (None when unknown); the time of the update is kept so readers see how fresh it is."""
    if beds is not None and not 0 <= beds <= MAX_BEDS:
        raise ValidationError(_("Beds must be between 0 and %(max)s.") % {"max": MAX_BEDS})
    with transaction.atomic():
        provider = _locked(provider_id)
        provider.beds_available = beds
        provider.beds_updated_at = now or timezone.now()
        provider.save(update_fields=["beds_available", "beds_updated_at", "updated_at"])
        _audit("beds_set", user, provider, beds=beds)
