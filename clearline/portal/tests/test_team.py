"""Administrators manage their team: invite by email, revoke an invitation, remove a member."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clearline.lib.models import AuditEntry
from clearline.portal.team import remove_provider_member
from clearline.providers.accounts import Invitation, Membership, MembershipRole
from clearline.providers.memberships import find_invitation

pytestmark = pytest.mark.django_db


def test_an_administrator_invites_an_agent_who_gets_a_working_link(client, login_verified, alder):
    login_verified(alder.admin)
    response = client.post(reverse("portal:invite"), {"email": " New.Agent@Example.org ", "role": "agent"})
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.agent@example.org")
    assert invitation.provider == alder.provider and invitation.invited_by == alder.admin
    token = re.search(r"/accounts/invitation/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert find_invitation(token) == invitation
    assert AuditEntry.objects.filter(action="providers.invitation.created", actor="alder-admin").exists()


def test_inviting_someone_who_already_belongs_somewhere_is_explained(client, login_verified, alder, birch):
    login_verified(alder.admin)
    response = client.post(reverse("portal:invite"), {"email": birch.agent.email, "role": "agent"})
    assert response.status_code == 400
    assert "already belongs to a provider" in response.content.decode()
    bad = client.post(reverse("portal:invite"), {"email": "not-an-address", "role": "owner"})
    html = bad.content.decode()
    assert "Enter a valid email address." in html and "Select a valid choice." in html
    assert mail.outbox == []


def test_revoking_an_invitation(client, login_verified, alder):
    login_verified(alder.admin)
    client.post(reverse("portal:revoke_invitation", args=[alder.invitation.pk]))
    alder.invitation.refresh_from_db()
    assert alder.invitation.revoked_at is not None
    assert AuditEntry.objects.get(action="providers.invitation.revoked").actor == "alder-admin"
    assert alder.invitation.email not in client.get(reverse("portal:team")).content.decode()


def test_removing_a_member_ends_their_access_at_once(client, login_verified, alder):
    agent_client = login_verified(alder.agent, on=type(client)())
    assert agent_client.get(reverse("portal:dashboard")).status_code == 200
    login_verified(alder.admin)
    client.post(reverse("portal:remove_member", args=[alder.agent_membership.pk]))
    assert not Membership.objects.filter(user=alder.agent).exists()
    # They are deactivated too, so their open session is signed out.
    assert agent_client.get(reverse("portal:dashboard")).status_code == 302
    assert AuditEntry.objects.filter(action="providers.membership.deleted").exists()
    entry = AuditEntry.objects.get(action="providers.member_deactivated")
    assert entry.actor == "alder-admin" and entry.data["username"] == "alder-agent"


def test_an_administrator_cannot_remove_themselves(client, login_verified, alder):
    login_verified(alder.admin)
    response = client.post(reverse("portal:remove_member", args=[alder.admin_membership.pk]), follow=True)
    assert "You cannot remove yourself" in response.content.decode()
    assert Membership.objects.filter(user=alder.admin).exists()


def test_agents_cannot_manage_the_team(client, login_verified, alder):
    login_verified(alder.agent)
    assert (
        client.post(reverse("portal:invite"), {"email": "x@example.org", "role": "admin"}).status_code == 403
    )
    assert client.post(reverse("portal:revoke_invitation", args=[alder.invitation.pk])).status_code == 403
    assert client.post(reverse("portal:remove_member", args=[alder.admin_membership.pk])).status_code == 403
    assert Membership.objects.filter(provider=alder.provider).count() == 2
    assert not Invitation.objects.filter(email="x@example.org").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_two_administrators_removing_each_other_at_once_leave_one(alder):
    Membership.objects.filter(pk=alder.agent_membership.pk).update(role=MembershipRole.ADMIN)
    admin_membership = Membership.objects.get(user=alder.admin)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def remove(membership_id: int, actor) -> None:
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            remove_provider_member(alder.provider, membership_id, actor)
            outcomes.append("removed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=remove, args=(alder.agent_membership.pk, alder.admin)),
        threading.Thread(target=remove, args=(admin_membership.pk, alder.agent)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "removed"]
    assert Membership.objects.filter(provider=alder.provider, role=MembershipRole.ADMIN).count() == 1
