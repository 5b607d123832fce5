"""The operator's "reset second factor" action, for someone who lost both their phone and recovery codes.

It deletes the person's authenticators and recovery codes (audited with the acting operator); their next
sign-in sets up a new authenticator. Reachable from the Wagtail users list and the provider members list; needs
the permission to change users.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from clearline.accounts.twofactor import reset_second_factor

PERMISSION = "auth.change_user"


def reset_second_factor_view(request: HttpRequest, user_id: int) -> HttpResponse:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        removed = reset_second_factor(person, actor=request.user.get_username())
        messages.success(
            request,
            _(
                "%(user)s's second factor is reset (%(count)s removed). Their next sign-in sets up a new "
                "authenticator: ask them to sign in soon."
            )
            % {"user": person.get_username(), "count": removed},
        )
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("wagtailusers_users:index")
        return redirect(next_url)
    context = {
        "person": person,
        "authenticators": TOTPDevice.objects.filter(user=person, confirmed=True).count(),
        "recovery_codes": StaticToken.objects.filter(device__user=person).count(),
        "next": request.META.get("HTTP_REFERER", ""),
        "page_title": _("Reset second factor"),
        "header_icon": "key",
    }
    return TemplateResponse(request, "accounts/admin/reset_second_factor.html", context)


@hooks.register("register_admin_urls")
def register_reset_url() -> list[Any]:
    return [
        path(
            "accounts/reset-second-factor/<int:user_id>/",
            reset_second_factor_view,
            name="clearline_reset_second_factor",
        )
    ]


@hooks.register("register_user_listing_buttons")
def reset_button(user: Any, request_user: Any) -> list[Button]:
    if not request_user.has_perm(PERMISSION):
        return []
    return [
        Button(
            _("Reset second factor"),
            reverse("clearline_reset_second_factor", args=[user.pk]),
            icon_name="key",
            priority=50,
        )
    ]
