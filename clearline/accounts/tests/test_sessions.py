"""Signed-in sessions end after CLEARLINE_SESSION_IDLE_MINUTES without a request, and after
CLEARLINE_SESSION_MAX_HOURS however busy they are."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.utils import timezone

from clearline.accounts.tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def at(minutes: float):
    """Move the clocks the session code reads ``minutes`` ahead (``time.time`` and Django's ``timezone.now``,
    for everything in the process)."""
    moment = timezone.now() + dt.timedelta(minutes=minutes)
    return (
        mock.patch("django.contrib.sessions.backends.db.timezone.now", return_value=moment),
        mock.patch("django.contrib.sessions.backends.base.timezone.now", return_value=moment),
        mock.patch("clearline.accounts.middleware.time.time", return_value=time.time() + minutes * 60),
    )


def get_at(client, minutes: float, url: str = "/django-admin/"):
    a, b, c = at(minutes)
    with a, b, c:
        return client.get(url)


def test_an_idle_session_ends(client, operator, operator_device, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    sign_in(client, operator, operator_device)
    assert get_at(client, 29).status_code == 200
    # Each request starts the idle time again: 29 minutes after the last one is still fine ...
    assert get_at(client, 58).status_code == 200
    # ... 31 minutes after it is not.
    response = get_at(client, 89)
    assert response.status_code == 302


def test_a_busy_session_ends_after_the_maximum_age(client, operator, operator_device, settings):
    settings.CLEARLINE_SESSION_MAX_HOURS = 2
    settings.SESSION_COOKIE_AGE = 30 * 60
    sign_in(client, operator, operator_device)
    for minutes in range(20, 120, 20):
        assert get_at(client, minutes).status_code == 200, minutes
    response = get_at(client, 121)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_maximum_age_counts_from_signing_in_again(client, operator, operator_device, settings):
    settings.CLEARLINE_SESSION_MAX_HOURS = 1
    sign_in(client, operator, operator_device)
    a, b, c = at(50)
    with a, b, c:
        client.post("/accounts/logout/")
        assert sign_in(client, operator, operator_device, seconds_ahead=50 * 60)["Location"] == "/accounts/"
    # 70 minutes after the first sign-in, 20 after the second: within the hour of the second.
    assert get_at(client, 70).status_code == 200
    assert get_at(client, 95).status_code == 200
    assert get_at(client, 111).status_code == 302
