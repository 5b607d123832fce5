"""Suite-wide fixtures. App tests live beside their code in ``clearline/<app>/tests/``."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("CLEARLINE_ENV", "test")


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    # Tests see a job's effect at once; the worker's own test switches back to the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
