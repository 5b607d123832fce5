"""Production installs requirements.lock only: it pins every runtime dependency and no development tool."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[3]
DEVELOPMENT_ONLY = {
    "pytest",
    "pytest-django",
    "pytest-xdist",
    "hypothesis",
    "ruff",
    "mypy",
    "django-stubs",
    "import-linter",
    "playwright",
    "axe-playwright-python",
    "schemathesis",
}


def pins(name: str) -> dict[str, str]:
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-r")):
            package, version = line.split("==")
            out[canonicalize_name(package)] = version
    return out


def test_the_runtime_lock_pins_every_runtime_dependency_and_no_development_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = pins("requirements.lock")
    for requirement in project["dependencies"]:
        assert canonicalize_name(Requirement(requirement).name) in runtime, requirement
    assert not DEVELOPMENT_ONLY & set(runtime)
    for requirement in project["optional-dependencies"]["dev"]:
        assert canonicalize_name(Requirement(requirement).name) in DEVELOPMENT_ONLY, requirement


def test_the_development_lock_adds_to_the_runtime_lock_without_repeating_it() -> None:
    assert "-r requirements.lock" in (ROOT / "requirements-dev.lock").read_text().splitlines()
    runtime, development = pins("requirements.lock"), pins("requirements-dev.lock")
    assert not set(runtime) & set(development)
    assert set(development) >= DEVELOPMENT_ONLY
