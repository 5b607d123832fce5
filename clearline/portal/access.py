"""Who may see a portal page: a member of a provider organisation, resolved from ``user.provider_membership``.

Every portal view is wrapped in ``portal_view`` and receives the ``Member`` (user, membership, provider) as its
second argument; every query in the view is scoped by ``member.provider``. Someone who is not a member (an
operator, any other signed-in user) gets 404, so the portal does not even confirm what exists. A member whose
role is too low for the page gets 403: they know the page exists, and the message tells them whom to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from clearline.providers.accounts import Membership
from clearline.providers.models import Provider

PortalView = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Member:
    user: Any
    membership: Membership
    provider: Provider

    @property
    def is_admin(self) -> bool:
        return self.membership.is_admin


def member_for(request: HttpRequest) -> Member | None:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return None
    membership = Membership.objects.select_related("provider").filter(user_id=user.pk).first()
    if membership is None:
        return None
    return Member(user=user, membership=membership, provider=membership.provider)


def portal_view(
    *, admin_only: bool = False, methods: Sequence[str] = ("GET",)
) -> Callable[[PortalView], Any]:
    """Sign-in, membership (404 otherwise), role (403 for agents on admin pages) and allowed methods, in that
    order, so a non-member learns nothing from a 405 either. Responses are never cached: they hold caller data."""
    allowed = [m.upper() for m in methods]
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")

    def decorate(view: PortalView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
            member = member_for(request)
            if member is None:
                raise Http404
            if admin_only and not member.is_admin:
                raise PermissionDenied
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            # Every time on a portal page is in the provider's own time zone, like its opening hours.
            with timezone.override(ZoneInfo(member.provider.timezone)):
                response = view(request, member, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        wrapper.portal_admin_only = admin_only  # type: ignore[attr-defined]
        wrapper.portal_methods = tuple(allowed)  # type: ignore[attr-defined]
        return wrapper

    return decorate
