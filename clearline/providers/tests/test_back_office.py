"""The operator back office: members, invitations and routing settings versions in the Wagtail admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.lib.audit import verify_chain
from clearline.lib.models import AuditEntry
from clearline.providers.accounts import Invitation, Membership
from clearline.providers.memberships import accept_invitation, invite_member
from clearline.providers.models import Provider
from clearline.providers.routing_settings import RoutingSettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wagtail_root")]

PASSWORD = "quiet-harbor-lantern-42"


@pytest.fixture
def provider(db) -> Provider:
    return Provider.objects.create(name="Alder Recovery", slug="alder", public_description="Care.")


@pytest.fixture
def member(provider):
    _inv, token = invite_member(provider, "kim@example.org", "agent", None, "https://x/{token}/")
    mail.outbox.clear()
    return accept_invitation(token, "kim", PASSWORD)


def editor_with(client, login_verified, *codenames: str):
    """A staff user who may use the admin, with only the given permissions."""
    user = get_user_model().objects.create_user("edith", "edith@example.invalid", PASSWORD, is_staff=True)
    group = Group.objects.create(name="limited")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user.groups.add(group)
    login_verified(user)
    return user


# --- Members --------------------------------------------------------------------------------------------------


def test_members_are_listed_and_their_role_can_be_changed(client, operator, member):
    listing = client.get("/admin/provider_members/")
    assert listing.status_code == 200
    assert "kim" in listing.content.decode()
    assert "/admin/provider_members/new/" not in listing.content.decode()  # members join by invitation
    assert client.get("/admin/provider_members/new/").status_code == 302  # refused (permission denied)
    response = client.post(f"/admin/provider_members/edit/{member.pk}/", {"role": "admin"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "admin"
    entry = AuditEntry.objects.get(action="providers.membership.updated")
    assert (entry.actor, entry.data) == ("olivia", {"role": {"before": "agent", "after": "admin"}})


def test_removing_a_member_ends_their_access(client, operator, member):
    page = client.get(f"/admin/provider_members/delete/{member.pk}/")
    assert "Their account is deactivated" in page.content.decode()
    assert client.post(f"/admin/provider_members/delete/{member.pk}/").status_code == 302
    assert not Membership.objects.exists()
    assert not get_user_model().objects.get(username="kim").is_active
    assert AuditEntry.objects.filter(action="providers.member_deactivated", actor="olivia").exists()
    assert AuditEntry.objects.get(action="providers.membership.deleted").actor == "olivia"


# --- Invitations ----------------------------------------------------------------------------------------------


def test_inviting_someone_emails_a_link_and_shows_no_token(client, operator, provider, settings):
    settings.CLEARLINE_PUBLIC_URL = "https://help.example.org"
    form = client.get("/admin/provider_invitations/new/")
    assert form.status_code == 200
    response = client.post(
        "/admin/provider_invitations/new/",
        {"provider": provider.pk, "email": "Lee@Example.org", "role": "agent"},
        follow=True,
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "lee@example.org",
        "agent",
        operator,
    )
    (message,) = mail.outbox
    link = re.search(r"https://help\.example\.org/accounts/invitation/([\w-]+)/", message.body)
    assert link is not None
    token = link.group(1)
    assert token not in response.content.decode()
    assert token not in client.get("/admin/provider_invitations/").content.decode()
    assert AuditEntry.objects.get(action="providers.invitation.created").actor == "olivia"
    # The link works.
    assert client.get(f"/accounts/invitation/{token}/").status_code == 200


def test_without_a_public_url_the_link_uses_the_request_host(client, operator, provider, settings):
    settings.CLEARLINE_PUBLIC_URL = ""
    client.post(
        "/admin/provider_invitations/new/",
        {"provider": provider.pk, "email": "lee@example.org", "role": "agent"},
    )
    assert "http://testserver/accounts/invitation/" in mail.outbox[0].body


def test_inviting_an_existing_member_is_explained(client, operator, provider, member):
    response = client.post(
        "/admin/provider_invitations/new/",
        {"provider": provider.pk, "email": "KIM@example.org", "role": "admin"},
    )
    assert response.status_code == 200
    assert "already belongs to a provider" in response.content.decode()
    assert not Invitation.objects.filter(accepted_at__isnull=True).exists()


def test_an_invitation_can_be_revoked_once_and_is_never_edited_or_deleted(client, operator, provider):
    invitation, _token = invite_member(provider, "lee@example.org", "agent", operator, "https://x/{token}/")
    listing = client.get("/admin/provider_invitations/").content.decode()
    assert "Revoke" in listing
    page = client.get(f"/admin/provider_invitations/edit/{invitation.pk}/")
    assert page.status_code == 200
    assert "The link stops working at once." in page.content.decode()
    assert client.post(f"/admin/provider_invitations/edit/{invitation.pk}/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEntry.objects.get(action="providers.invitation.revoked").actor == "olivia"
    # Revoked: nothing more to do; no delete either.
    assert (
        "nothing to revoke"
        in client.get(f"/admin/provider_invitations/edit/{invitation.pk}/").content.decode()
    )
    assert (
        client.post(f"/admin/provider_invitations/edit/{invitation.pk}/")["Location"] == "/admin/"
    )  # refused
    assert client.post(f"/admin/provider_invitations/delete/{invitation.pk}/").status_code in (302, 403)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- Routing settings -----------------------------------------------------------------------------------------


def routing_form(**changes):
    data = {
        "wave_size": 2,
        "later_wave_size": "",
        "ring_timeout_s": 13,
        "ring_budget_s": 40,
        "repeat_rounds": "on",
        "callbacks": "on",
        "callback_deadline_min": 15,
        "callback_max_per_line": 1.0,
        "auto_pause_after": 3,
        "auto_pause_window_min": 60,
        "continuity_days": 0,
        "note": "",
    }
    data.update(changes)
    return data


def test_a_new_version_starts_from_the_one_in_force_and_needs_a_reason(client, operator):
    RoutingSettings(wave_size=3, ring_timeout_s=15, note="first").save()
    form = client.get("/admin/routing_settings/new/")
    assert form.status_code == 200
    assert form.context["form"].initial["wave_size"] == 3
    assert form.context["form"].initial["ring_timeout_s"] == 15
    response = client.post("/admin/routing_settings/new/", routing_form(wave_size=1))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post("/admin/routing_settings/new/", routing_form(wave_size=1, note="one at a time"))
    assert response.status_code == 302
    version = RoutingSettings.objects.current()
    assert (version.wave_size, version.note, version.created_by) == (1, "one at a time", operator)
    entry = AuditEntry.objects.filter(action="providers.routing_settings.created").latest("id")
    assert entry.actor == "olivia"
    listing = client.get("/admin/routing_settings/").content.decode()
    assert "one at a time" in listing
    assert "olivia" in listing
    assert "providers rung at once: 3 → 1" in listing
    assert verify_chain().first_broken_id is None


def test_invalid_values_are_explained_and_nothing_is_saved(client, operator):
    response = client.post("/admin/routing_settings/new/", routing_form(ring_timeout_s=30, note="faster"))
    assert response.status_code == 200
    assert "Ring each wave for 5 to 20 seconds" in response.content.decode()
    assert not RoutingSettings.objects.exists()


def test_an_unchanged_version_is_refused(client, operator):
    RoutingSettings(note="first").save()
    response = client.post("/admin/routing_settings/new/", routing_form(note="again"))
    assert "Nothing changed from the version in force." in response.content.decode()
    assert RoutingSettings.objects.count() == 1


def test_old_versions_cannot_be_edited_or_deleted_from_the_admin(client, operator):
    version = RoutingSettings(note="first")
    version.save()
    for url in (
        f"/admin/routing_settings/edit/{version.pk}/",
        f"/admin/routing_settings/delete/{version.pk}/",
    ):
        response = client.post(url, routing_form(wave_size=5, note="sneaky"))
        assert response.status_code == 302
        assert response["Location"] == f"/admin/routing_settings/inspect/{version.pk}/"
    assert RoutingSettings.objects.get().wave_size == 2
    assert client.get(f"/admin/routing_settings/inspect/{version.pk}/").status_code == 200


# --- Permissions ----------------------------------------------------------------------------------------------


def test_staff_without_the_permissions_see_none_of_it(client, login_verified, provider, member):
    editor_with(client, login_verified)
    for url in (
        "/admin/provider_members/",
        f"/admin/provider_members/edit/{member.pk}/",
        "/admin/provider_invitations/",
        "/admin/provider_invitations/new/",
        "/admin/routing_settings/",
        "/admin/routing_settings/new/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert client.post(f"/admin/provider_members/delete/{member.pk}/").status_code in (302, 403)
    assert Membership.objects.exists()


def test_the_right_permissions_open_exactly_their_part(client, login_verified, provider):
    editor_with(client, login_verified, "add_routingsettings", "add_invitation")
    assert client.get("/admin/routing_settings/new/").status_code == 200
    assert client.get("/admin/provider_invitations/new/").status_code == 200
    assert client.get("/admin/provider_members/").status_code in (302, 403)


def test_signed_in_without_a_second_factor_reaches_none_of_it(client, provider):
    user = get_user_model().objects.create_superuser("olivia", "olivia@example.invalid", PASSWORD)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    assert client.get("/admin/routing_settings/new/")["Location"].startswith("/accounts/login/")
