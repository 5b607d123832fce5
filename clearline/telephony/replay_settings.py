"""The proposed routing settings of a what-if replay (``clearline replay --settings FILE``, the admin's "What if?"):
read from a JSON or TOML file, or given as values, and checked by the same rules and messages as the admin form
(``RoutingSettings.clean``)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from clearline.providers.models import Provider
from clearline.providers.routing_settings import SETTING_FIELDS, RoutingSettings, current_routing_settings
from clearline.routing import RoutingPolicy

# Besides the settings, a file may name providers to treat as paused ("what if X were paused?").
PAUSED_KEY = "paused_providers"
WHAT_IF_VERSION = "what-if"


class SettingsError(ValueError):
    """The proposed settings cannot be used; the message says why, in words an operator can act on."""


@dataclass(frozen=True)
class Proposal:
    policy: RoutingPolicy
    paused: frozenset[str] = frozenset()  # provider ids


# --- the proposed settings ---------------------------------------------------------------------------------------


def read_settings_file(path: str | Path) -> Proposal:
    """A JSON or TOML file of routing settings (the admin form's fields, by name; those left out keep the values in
    force) and, optionally, ``paused_providers``: ids, slugs or names."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"Cannot read {file}: {error.strerror or error}.") from error
    try:
        data = tomllib.loads(text) if file.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        kind = "TOML" if file.suffix.lower() == ".toml" else "JSON"
        raise SettingsError(f"{file} is not valid {kind}: {error}.") from error
    if not isinstance(data, dict):
        raise SettingsError(f'{file} must hold one object of settings, like {{"wave_size": 1}}.')
    return proposal_from(data)


def proposal_from(data: Mapping[str, Any]) -> Proposal:
    unknown = sorted(set(data) - set(SETTING_FIELDS) - {PAUSED_KEY})
    if unknown:
        raise SettingsError(
            f"Unknown setting(s): {', '.join(unknown)}. Known: {', '.join((*SETTING_FIELDS, PAUSED_KEY))}."
        )
    current = current_routing_settings()
    values = {name: data.get(name, getattr(current, name)) for name in SETTING_FIELDS}
    proposed = RoutingSettings(**values, note="what-if")
    try:
        proposed.clean_fields(exclude=["note", "created_by"])
        proposed.clean()
    except ValidationError as error:
        raise SettingsError(_explain(error)) from error
    return Proposal(policy_of(proposed), _paused(data.get(PAUSED_KEY, [])))


def policy_of(settings: RoutingSettings) -> RoutingPolicy:
    """The settings as the engine's policy, labelled as a what-if (never a version in force)."""
    return replace(settings.to_policy(), version=WHAT_IF_VERSION)


def _explain(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = []
        for name, errors in error.message_dict.items():
            label = name if name != "__all__" else "settings"
            parts.append(f"{label}: {' '.join(errors)}")
        return "; ".join(parts)
    return " ".join(error.messages)


def _paused(names: Any) -> frozenset[str]:
    if not isinstance(names, list) or not all(isinstance(n, str | int) for n in names):
        raise SettingsError(f"{PAUSED_KEY} must be a list of provider ids, slugs or names.")
    found: set[str] = set()
    for name in names:
        text = str(name)
        match = Provider.objects.filter(slug=text) | Provider.objects.filter(name=text)
        if text.isdigit():
            match = match | Provider.objects.filter(pk=int(text))
        ids = list(match.values_list("pk", flat=True))
        if len(ids) != 1:
            raise SettingsError(f"{PAUSED_KEY}: no single provider is called {text!r}.")
        found.add(str(ids[0]))
    return frozenset(found)


def period(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``first`` to the end of ``last``, in the operator's time zone."""
    if last < first:
        raise SettingsError("--to is before --from.")
    zone = timezone.get_default_timezone()  # TIME_ZONE: the admin may run in a staff member's own zone
    start = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    return start, dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
