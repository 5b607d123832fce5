"""The call flow's shape: it is the one module that asks the routing engine what comes next during a call, and
what it answers with (answers, keys) carries no Django, so any adapter can render it."""

from __future__ import annotations

import ast
from pathlib import Path

import clearline.telephony

TELEPHONY = Path(clearline.telephony.__file__).parent


def production_modules() -> list[Path]:
    return [p for p in TELEPHONY.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    return used


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    found |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return found


def test_only_the_call_flow_asks_the_engine_for_the_next_step():
    callers = {
        p.relative_to(TELEPHONY).as_posix() for p in production_modules() if "next_step" in names_used(p)
    }
    assert callers == {"flow.py"}


def test_the_flows_answers_and_keys_need_no_django():
    for name in ("answers.py", "keys.py"):
        imported = imports_of(TELEPHONY / name)
        assert not {m for m in imported if m.startswith(("django", "clearline.telephony.models"))}, name
        assert {m for m in imported if m.startswith("clearline")} <= {
            "clearline.routing",
            "clearline.telephony",
        }


def test_every_event_of_the_flow_is_a_keyword_only_function_of_plain_values():
    from clearline.telephony import flow

    events = [getattr(flow, name) for name in flow.__all__ if name not in ("Answer", "DialEnd", "load_call")]
    assert len(events) == 12
    tree = {
        node.name: node
        for node in ast.parse(Path(flow.__file__).read_text()).body
        if isinstance(node, ast.FunctionDef)
    }
    for event in events:
        arguments = tree[event.__name__].args
        assert not arguments.args or event.__name__ == "status_changed", event.__name__
