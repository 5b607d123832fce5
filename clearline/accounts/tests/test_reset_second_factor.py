"""An operator resets someone's second factor: their devices go, the audit log names the operator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.accounts import twofactor
from clearline.accounts.tests.conftest import PASSWORD, password_step
from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_operator_resets_a_members_second_factor(client, operator, member, member_device, login_verified):
    twofactor.replace_recovery_codes(member)
    login_verified(operator)
    url = f"/admin/accounts/reset-second-factor/{member.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "1 confirmed authenticator(s) and 10 unused recovery code(s)" in page.content.decode()
    assert "Reset second factor" in client.get("/admin/users/").content.decode()
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == "/admin/users/"
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert not StaticDevice.objects.filter(user=member).exists()
    entry = AuditEntry.objects.get(action="accounts.second_factor_reset")
    assert (entry.actor, entry.target_id, entry.data["devices_removed"]) == ("olivia", str(member.pk), 2)
    assert verify_chain().first_broken_id is None
    # Their next sign-in sets up a new authenticator.
    client.post("/accounts/logout/")
    assert password_step(client, "mario")["Location"] == "/accounts/login/set-up/"


def test_the_members_open_session_stops_reaching_the_portal(client, operator, member, login_verified):
    from django.test import Client

    members_browser = Client()
    login_verified(member, on=members_browser)
    twofactor.reset_second_factor(member, actor="olivia")
    assert members_browser.get("/portal/")["Location"].startswith("/accounts/login/")


def test_staff_without_the_user_permission_cannot_reset(client, member, member_device, login_verified):
    user = get_user_model().objects.create_user("edith", "edith@example.invalid", PASSWORD, is_staff=True)
    group = Group.objects.create(name="editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    login_verified(user)
    response = client.post(f"/admin/accounts/reset-second-factor/{member.pk}/")
    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=member).exists()
    assert not AuditEntry.objects.filter(action="accounts.second_factor_reset").exists()
