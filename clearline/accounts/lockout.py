"""The sign-in lockout (django-axes): failures are counted per username and client address together, and per
client address across usernames.

A wrong password and a wrong second-factor code both count. After ``CLEARLINE_LOGIN_FAILURE_LIMIT`` failures
that username is refused from that address for ``CLEARLINE_LOGIN_LOCKOUT_MINUTES``; the same username from
another address, and other usernames from the same address, still work. But after
``CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address, whatever usernames they named, every
sign-in from that address is refused for the same time: otherwise one address could guess a few passwords for
each of many usernames without ever being stopped (``AddressThrottlingHandler``).

The client address is ``REMOTE_ADDR``, unless ``CLEARLINE_PROXY_COUNT`` says how many reverse proxies of ours sit
in front of the application: then it is the address the outermost of them saw, read from the right of
``X-Forwarded-For`` (entries further left come from the client and are not trusted). Without this, behind a
proxy every sign-in would come from the proxy's address and a stranger could lock anyone out by name.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a locked-out sign-in gets (also axes' ``AXES_LOCKOUT_CALLABLE``)."""
    address_locked = address_failures(request) >= settings.CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT
    context = {
        "minutes": settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_locked": address_locked,
        "address_failure_limit": settings.CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    response = render(request, "accounts/locked_out.html", context, status=STATUS)
    response["Retry-After"] = str(settings.CLEARLINE_LOGIN_LOCKOUT_MINUTES * 60)
    return response


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, {"username": username}))


def address_failures(request: HttpRequest) -> int:
    """Failures from the request's client address within the lockout time, whatever usernames they named."""
    address = getattr(request, "axes_ip_address", None)
    if address is None:
        address = client_ip(request)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        since = (getattr(request, "axes_attempt_time", None) or timezone.now()) - cool_off
        attempts = attempts.filter(attempt_time__gte=since)
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return int(total or 0)


class AddressThrottlingHandler(AxesDatabaseHandler):
    """django-axes' database handler, plus a lockout of the client address across usernames (``AXES_HANDLER``).

    axes compares one failure count with one limit (``AXES_FAILURE_LIMIT``); its count here is the
    username+address pair's, raised to that limit once the address alone has reached
    ``CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT``. Both the check before a password is tried and the decision to
    lock after a failure use this count. A successful sign-in still clears only its own username's failures
    from that address (``AXES_LOCKOUT_PARAMETERS`` stays the pair), so signing in to one's own account does not
    wipe out the failures made against others.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = int(super().get_failures(request, credentials))
        if address_failures(request) >= settings.CLEARLINE_LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, int(get_failure_limit(request, credentials)))
        return failures


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
