"""Memberships and invitations: tokens stored only as digests, used once even under a race, changes audited."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from clearline.lib.models import AuditEntry
from clearline.providers import memberships
from clearline.providers.accounts import Invitation, Membership, hash_invitation_token
from clearline.providers.memberships import (
    accept_invitation,
    change_role,
    find_invitation,
    invite_member,
    remove_member,
    revoke_invitation,
)
from clearline.providers.models import Provider

pytestmark = pytest.mark.django_db

ACCEPT_URL = "https://help.example.org/accounts/invitation/{token}/"
PASSWORD = "quiet-harbor-lantern-42"


@pytest.fixture
def provider(db) -> Provider:
    return Provider.objects.create(name="Alder Recovery", slug="alder", public_description="Care.")


def test_only_the_digest_of_the_token_is_stored(provider, settings):
    settings.CLEARLINE_INVITATION_DAYS = 3
    invitation, token = invite_member(provider, " Kim@Example.org ", "agent", None, ACCEPT_URL)
    assert invitation.token_hash == hash_invitation_token(token)
    assert invitation.email == "kim@example.org"
    assert (
        dt.timedelta(days=2, hours=23) < invitation.expires_at - invitation.created_at <= dt.timedelta(days=3)
    )
    assert find_invitation(token) == invitation
    assert find_invitation(invitation.token_hash) is None


def test_someone_who_already_belongs_to_a_provider_cannot_be_invited(provider):
    _inv, token = invite_member(provider, "kim@example.org", "agent", None, ACCEPT_URL)
    accept_invitation(token, "kim", PASSWORD)
    with pytest.raises(ValidationError, match="already belongs"):
        invite_member(provider, "KIM@example.org", "admin", None, ACCEPT_URL)
    with pytest.raises(ValidationError, match="Choose a role"):
        invite_member(provider, "lee@example.org", "owner", None, ACCEPT_URL)


def test_two_accepts_of_one_invitation_that_read_it_at_the_same_time_make_one_user(provider):
    """The second request read the invitation before the first one saved its acceptance."""
    invitation, token = invite_member(provider, "kim@example.org", "agent", None, ACCEPT_URL)
    stale = Invitation.objects.get(pk=invitation.pk)
    accept_invitation(token, "kim", PASSWORD)
    with (
        mock.patch.object(memberships, "find_invitation", return_value=stale),
        pytest.raises(ValidationError, match="already been used"),
    ):
        accept_invitation(token, "kim-again", PASSWORD)
    assert get_user_model().objects.filter(email="kim@example.org").count() == 1
    assert Membership.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_two_concurrent_accepts_make_one_user_on_postgresql(provider):
    _invitation, token = invite_member(provider, "kim@example.org", "agent", None, ACCEPT_URL)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(username: str) -> None:
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            accept_invitation(token, username, PASSWORD)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(name,)) for name in ("kim", "kimberly")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert get_user_model().objects.filter(email="kim@example.org").count() == 1


def test_revoking_is_audited_once_and_an_accepted_invitation_cannot_be_revoked(provider):
    invitation, token = invite_member(provider, "kim@example.org", "agent", None, ACCEPT_URL)
    other, _ = invite_member(provider, "lee@example.org", "agent", None, ACCEPT_URL)
    accept_invitation(token, "kim", PASSWORD)
    assert revoke_invitation(invitation, actor="olivia") is False
    assert revoke_invitation(other, actor="olivia") is True
    assert revoke_invitation(other, actor="olivia") is False
    assert other.revoked_at is not None
    assert list(
        AuditEntry.objects.filter(action="providers.invitation.revoked").values_list("actor", "target_id")
    ) == [("olivia", str(other.pk))]


def test_role_changes_and_removals_are_audited_and_removal_ends_access(provider):
    _inv, token = invite_member(provider, "kim@example.org", "agent", None, ACCEPT_URL)
    membership = accept_invitation(token, "kim", PASSWORD)
    change_role(membership, "admin")
    updated = AuditEntry.objects.get(action="providers.membership.updated")
    assert updated.data == {"role": {"before": "agent", "after": "admin"}}
    with pytest.raises(ValidationError):
        change_role(membership, "owner")
    remove_member(membership, actor="olivia")
    assert not Membership.objects.exists()
    user = get_user_model().objects.get(username="kim")
    assert not user.is_active
    assert AuditEntry.objects.filter(action="providers.membership.deleted").exists()
    assert AuditEntry.objects.filter(action="providers.member_deactivated", actor="olivia").exists()


def test_removing_a_staff_member_keeps_their_staff_account(provider):
    user = get_user_model().objects.create_user("sam", is_staff=True)
    membership = Membership.objects.create(user=user, provider=provider, role="agent")
    remove_member(membership, actor="olivia")
    user.refresh_from_db()
    assert user.is_active
