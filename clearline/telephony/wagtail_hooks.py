"""Operator staff reach the call simulator from the Wagtail admin menu."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class StaffMenuItem(MenuItem):
    """Shown to staff only: the page behind it is ``staff_member_required``."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_staff", False))


@hooks.register("register_admin_menu_item")
def register_call_simulator_menu_item() -> Any:
    return StaffMenuItem(
        _("Call simulator"),
        reverse("telephony:simulator"),
        name="call-simulator",
        icon_name="phone",
        order=230,
    )
