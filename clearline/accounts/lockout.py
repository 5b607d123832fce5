"""The sign-in lockout (django-axes): failures are counted per username and client address together.

A wrong password and a wrong second-factor code both count. After ``CLEARLINE_LOGIN_FAILURE_LIMIT`` failures
that username is refused from that address for ``CLEARLINE_LOGIN_LOCKOUT_MINUTES``; the same username from
another address, and other usernames from the same address, still work.

The client address is ``REMOTE_ADDR``, unless ``CLEARLINE_PROXY_COUNT`` says how many reverse proxies of ours sit
in front of the application: then it is the address the outermost of them saw, read from the right of
``X-Forwarded-For`` (entries further left come from the client and are not trusted). Without this, behind a
proxy every sign-in would come from the proxy's address and a stranger could lock anyone out by name.
"""

from __future__ import annotations

import ipaddress
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


def client_ip(request: HttpRequest) -> str:
    """The sign-in's client address (axes' ``AXES_CLIENT_IP_CALLABLE``); see the module docstring."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.CLEARLINE_PROXY_COUNT
    if proxies == 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies (a direct request): the peer is the client
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
