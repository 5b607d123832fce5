"""Production mode refuses unsafe configuration: each case imports the settings in a fresh interpreter."""

import os
import subprocess
import sys

import pytest

GOOD = {
    "CLEARLINE_ENV": "production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "help.example.org",
    "CLEARLINE_CALLER_HMAC_KEY": "production-hmac-key-with-enough-characters",
    "CLEARLINE_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1rZXktcHJvZHVjdGlvbi1rZXktMTI=",
}


def load_settings(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in GOOD and k not in ("DEBUG",)}
    env.update(GOOD)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", "import clearline.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_load_when_complete():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "1"}, "DEBUG must be off"),
        ({"SECRET_KEY": None}, "Set SECRET_KEY"),
        ({"SECRET_KEY": "clearline-development-only-secret-key-never-use-in-production"}, "Set SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS"),
        ({"CLEARLINE_CALLER_HMAC_KEY": None}, "CLEARLINE_CALLER_HMAC_KEY"),
        ({"DEBUG": "yes"}, "is not a boolean"),
        ({"CLEARLINE_ENCRYPTION_KEY": "not-a-fernet-key"}, "must be a Fernet key"),
        ({"CLEARLINE_CALLER_HMAC_KEY": "short"}, "at least 32 characters"),
    ],
)
def test_production_refuses_unsafe_configuration(overrides, message):
    result = load_settings(**overrides)
    assert result.returncode != 0
    assert message in result.stderr
