"""docs/routing.md and docs/configuration.md state the routing defaults that are really in force.

The defaults in force before an operator saves a routing settings version are ``default_routing_settings()``:
the ``RoutingSettings`` field defaults, with the wave size from ``CLEARLINE_ROUTING_WAVE_SIZE`` (whose default is
the one written in ``clearline/settings.py``). The docs state them in two marked forms that this test reads:

- the settings table in docs/routing.md ("| `setting` | default | meaning |");
- in the prose, a bold number followed by the setting's name: ``**13 seconds** (`ring_timeout_s`)``.

Every other bold number in docs/routing.md must be a menu key, and no number of seconds, minutes or days may
appear unmarked, so a default can neither be restated loosely nor drift.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from clearline.providers.routing_settings import default_routing_settings
from clearline.routing import RoutingPolicy

ROOT = Path(__file__).resolve().parents[3]
ROUTING_DOC = ROOT / "docs" / "routing.md"
CONFIGURATION_DOC = ROOT / "docs" / "configuration.md"
SETTINGS_FILE = ROOT / "clearline" / "settings.py"

# A default stated in prose: a bold number, then the setting it is the default of, in backticks.
MARKED = re.compile(r"\*\*(?P<value>\d+(?:\.\d+)?)(?P<unit>[^*]*)\*\* \(`(?P<name>\w+)`")
BOLD_NUMBER = re.compile(r"\*\*(?P<text>\d[^*]*)\*\*")
# Durations outside a marked default: "15 seconds ago", "within 15 minutes", "45 s".
LOOSE_DURATION = re.compile(r"\b\d+(?:\.\d+)? ?(?:seconds?|s|minutes?|min|days?)\b")
MENU_KEYS = {"0", "9"}  # "press **9**", "press **0**": keys, not settings
TABLE_ROW = re.compile(r"^\| *(?P<names>`[^|]*`) *\| *(?P<default>[^|]*?) *\|", re.MULTILINE)


def env_default(name: str) -> Any:
    """The default passed to ``env_int(NAME, default, ...)`` in clearline/settings.py (what an unset variable
    gives, whatever the environment running the tests says)."""
    tree = ast.parse(SETTINGS_FILE.read_text())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("env_")
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == name
        ):
            return ast.literal_eval(node.args[1])
    raise AssertionError(f"{name} is not read with an env_* helper in clearline/settings.py")


@pytest.fixture
def defaults(settings) -> dict[str, Any]:
    """Setting name -> the default in force before any routing settings version is saved."""
    settings.CLEARLINE_ROUTING_WAVE_SIZE = env_default("CLEARLINE_ROUTING_WAVE_SIZE")
    policy = default_routing_settings().to_policy()
    return {f.name: getattr(policy, f.name) for f in dataclasses.fields(policy) if "version" not in f.name}


def parse_value(text: str) -> Any:
    text = text.strip().lower()
    if text in ("on", "off"):
        return text == "on"
    if text.startswith("empty"):
        return None
    number = re.match(r"\d+(?:\.\d+)?", text)
    assert number, f"cannot read a default from {text!r}"
    return float(number.group()) if "." in number.group() else int(number.group())


def table_defaults(doc: str) -> dict[str, Any]:
    """The settings table of docs/routing.md: setting name -> stated default (``—`` rows state none)."""
    stated: dict[str, Any] = {}
    for row in TABLE_ROW.finditer(doc):
        names = re.findall(r"`(\w+)`", row["names"])
        default = row["default"]
        if default.strip() in ("—", "-", ""):
            continue
        values = [parse_value(v) for v in default.split("/")]
        if len(values) == 1:
            values *= len(names)
        assert len(values) == len(names), f"row {row.group()!r}: one default per setting"
        stated.update(zip(names, values, strict=True))
    return stated


def equal(stated: Any, real: Any) -> bool:
    if isinstance(real, bool) or real is None:
        return stated is real
    return isinstance(stated, int | float) and not isinstance(stated, bool) and stated == real


def test_the_settings_table_in_routing_md_states_every_default_in_force(defaults):
    stated = table_defaults(ROUTING_DOC.read_text())
    missing = sorted(set(defaults) - set(stated))
    assert not missing, f"docs/routing.md's settings table leaves out {missing}"
    unknown = sorted(set(stated) - set(defaults))
    assert not unknown, f"docs/routing.md's settings table names settings that do not exist: {unknown}"
    wrong = {
        name: (stated[name], defaults[name]) for name in defaults if not equal(stated[name], defaults[name])
    }
    assert not wrong, f"docs/routing.md's settings table (stated, real): {wrong}"


def test_every_number_routing_md_states_in_prose_is_a_marked_default_and_true(defaults):
    doc = ROUTING_DOC.read_text()
    prose = "\n".join(line for line in doc.splitlines() if not line.startswith("|"))
    problems = []
    marked = list(MARKED.finditer(prose))
    for mention in marked:
        name, value = mention["name"], parse_value(mention["value"])
        if name not in defaults:
            problems.append(f"{mention.group()!r}: no setting {name!r}")
        elif not equal(value, defaults[name]):
            problems.append(f"{mention.group()!r}: the default is {defaults[name]!r}")
    marked_spans = [m.span() for m in marked]
    for bold in BOLD_NUMBER.finditer(prose):
        inside = any(start <= bold.start() < end for start, end in marked_spans)
        if not inside and bold["text"] not in MENU_KEYS:
            problems.append(f"{bold.group()!r} is not marked with the setting it is the default of")
    unmarked = MARKED.sub("", BOLD_NUMBER.sub("", prose))
    problems += [
        f"{m.group()!r} restates a duration without marking it" for m in LOOSE_DURATION.finditer(unmarked)
    ]
    assert not problems, "docs/routing.md:\n" + "\n".join(problems)


def test_configuration_md_states_the_wave_size_default_from_settings_py():
    row = re.search(
        r"^\| `CLEARLINE_ROUTING_WAVE_SIZE` \|[^|]*\| `(\d+)` \|", CONFIGURATION_DOC.read_text(), re.M
    )
    assert row, "docs/configuration.md has no row for CLEARLINE_ROUTING_WAVE_SIZE"
    assert int(row.group(1)) == env_default("CLEARLINE_ROUTING_WAVE_SIZE")


def test_configuration_md_restates_no_other_routing_default():
    # The other routing defaults are stated once, in docs/routing.md's table (checked above); a copy here would
    # be the next thing to drift.
    text = CONFIGURATION_DOC.read_text()
    section = text[text.index("### Routing, callbacks and privacy") :]
    section = section[: section.index("\n### ", 1)]
    prose = "\n".join(line for line in section.splitlines() if not line.startswith("|"))
    restated = re.findall(r"\b\d+[ -]?(?:s|seconds?|min|minutes?)\b", prose)
    assert not restated, (
        f"docs/configuration.md restates routing defaults {restated}: point to docs/routing.md"
    )


def test_the_engine_defaults_are_the_defaults_in_force(defaults):
    # The simulator and the routing tests use RoutingPolicy() as it is; it must be what the docs describe.
    engine = RoutingPolicy()
    assert {name: getattr(engine, name) for name in defaults} == defaults
