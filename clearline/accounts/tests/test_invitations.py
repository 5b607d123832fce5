"""Accepting an invitation: once, with the password rules explained, then on to the second factor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from clearline.lib.models import AuditEntry
from clearline.providers.accounts import Invitation, Membership
from clearline.providers.memberships import invite_member, revoke_invitation

pytestmark = pytest.mark.django_db

ACCEPT_URL = "https://help.example.org/accounts/invitation/{token}/"
GOOD_PASSWORD = "quiet-harbor-lantern-42"


@pytest.fixture
def invitation(provider, operator):
    return invite_member(provider, "Mina@Example.org", "admin", operator, ACCEPT_URL)


def url(token: str) -> str:
    return f"/accounts/invitation/{token}/"


def accept(
    client, token: str, username: str = "mina", password: str = GOOD_PASSWORD, again: str | None = None
):
    return client.post(
        url(token), {"username": username, "password1": password, "password2": again or password}
    )


def test_the_email_carries_the_only_copy_of_the_link(invitation):
    row, token = invitation
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mina@example.org"]
    assert ACCEPT_URL.format(token=token) in mail.outbox[0].body
    assert token not in str(Invitation.objects.filter(pk=row.pk).values().first())


def test_accepting_creates_the_account_and_leads_to_the_second_factor(client, invitation, provider):
    _row, token = invitation
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Join Alder Recovery on Clearline" in page.content.decode()
    response = accept(client, token)
    assert response["Location"] == "/accounts/login/set-up/"
    membership = Membership.objects.get(user__username="mina")
    assert (membership.provider, membership.role, membership.user.email) == (
        provider,
        "admin",
        "mina@example.org",
    )
    assert client.get("/accounts/login/set-up/").status_code == 200
    assert "_auth_user_id" not in client.session  # signed in only after the second factor


def test_an_invitation_is_accepted_once(client, invitation):
    _row, token = invitation
    accept(client, token)
    again = client.get(url(token))
    assert again.status_code == 404
    assert "This invitation link is not valid" in again.content.decode()
    assert accept(client, token, username="mina2").status_code == 404
    assert get_user_model().objects.filter(username__startswith="mina").count() == 1


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_expired_revoked_and_unknown_links_get_a_clear_404(client, invitation, state):
    row, token = invitation
    if state == "expired":
        Invitation.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif state == "revoked":
        revoke_invitation(row, actor="olivia")
    else:
        token = "not-a-real-token"
    response = client.get(url(token))
    assert response.status_code == 404
    text = response.content.decode()
    assert "This invitation link is not valid" in text
    assert "expired, been used already, or been withdrawn" in text
    assert accept(client, token).status_code == 404
    assert not get_user_model().objects.filter(username="mina").exists()


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short1", None, "This password is too short. It must contain at least 8 characters."),
        ("password123", None, "This password is too common."),
        ("83749261038", None, "This password is entirely numeric."),
        ("mina@example.org", None, "The password is too similar to the"),
        (GOOD_PASSWORD, "something else", "The two passwords are different."),
    ],
)
def test_password_rules_are_explained(client, invitation, password, again, message):
    _row, token = invitation
    page = client.get(url(token)).content.decode()
    assert "At least 8 characters, not a common password" in page
    response = accept(client, token, password=password, again=again)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="mina").exists()
    assert client.get(url(token)).status_code == 200  # still usable


def test_a_taken_username_is_explained_and_the_invitation_stays_usable(client, invitation, operator):
    _row, token = invitation
    response = accept(client, token, username="OLIVIA")
    assert response.status_code == 200
    assert "That username is taken. Choose another." in response.content.decode()
    assert accept(client, token)["Location"] == "/accounts/login/set-up/"


def test_invitation_events_are_in_the_audit_log(client, invitation, provider):
    _row, token = invitation
    accept(client, token)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert ("providers.invitation.created", "system") in actions
    assert ("providers.invitation.accepted", "mina") in actions
    assert any(action == "providers.membership.created" for action, _ in actions)
    other, _ = invite_member(provider, "omar@example.org", "agent", None, ACCEPT_URL)
    revoke_invitation(other, actor="olivia")
    assert AuditEntry.objects.filter(action="providers.invitation.revoked", actor="olivia").exists()
    from clearline.lib.audit import verify_chain

    assert verify_chain().first_broken_id is None


def test_the_invitation_page_speaks_spanish(client, invitation):
    _row, token = invitation
    response = client.get(url(token), HTTP_ACCEPT_LANGUAGE="es")
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Únase a Alder Recovery en Clearline" in text
    assert "Al menos 8 caracteres" in text
