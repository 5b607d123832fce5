"""The sign-in lockout (django-axes): failures are counted per username and client address together.

A wrong password and a wrong second-factor code both count. After ``CLEARLINE_LOGIN_FAILURE_LIMIT`` failures
that username is refused from that address for ``CLEARLINE_LOGIN_LOCKOUT_MINUTES``; the same username from
another address, and other usernames from the same address, still work.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (also axes' ``AXES_LOCKOUT_CALLABLE``)."""
    context = {
        "minutes": settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "accounts/locked_out.html", context, status=STATUS)
    response["Retry-After"] = str(settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES * 60)
    return response


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))
