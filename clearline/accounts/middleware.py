"""Sessions for staff and provider pages: a second factor first, and a bounded lifetime.

``RequireSecondFactorMiddleware`` is the backstop behind the two-factor login view: whatever logged a user in
(the admin's own login form, a password reset, a test), a session that has not passed the second factor is
sent to the login page on every protected path and reaches nothing there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

SESSION_STARTED_KEY = "clearline_session_started"


def protected_prefixes() -> tuple[str, ...]:
    # The portal is under i18n_patterns: /portal/ in the default language, /<code>/portal/ in every other.
    portal = ["/portal/"] + [
        f"/{code}/portal/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    return (f"/{settings.CLEARLINE_ADMIN_PATH}", "/django-admin/", *portal, "/telephony/simulator/")


def is_protected(path: str) -> bool:
    return path.startswith(protected_prefixes())


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and is_protected(request.path)
        ):
            return redirect_to_login(request)
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Idle sessions expire through SESSION_COOKIE_AGE (saved on every request); this ends any signed-in session
    older than CLEARLINE_SESSION_MAX_HOURS however busy it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - float(started) > settings.CLEARLINE_SESSION_MAX_HOURS * 3600:
                logout(request)
                if is_protected(request.path):
                    return redirect_to_login(request)
        return self.get_response(request)
