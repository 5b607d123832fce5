"""Team changes an organisation's admins make in the portal, scoped to their provider and audited.

Inviting goes through ``providers.memberships.invite_member``; these cover what that module leaves to its
callers: revoking one of *this* provider's invitations and removing one of *its* members.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clearline.lib.audit import log_action
from clearline.providers.accounts import Invitation, Membership, MembershipRole
from clearline.providers.memberships import revoke_invitation
from clearline.providers.models import Provider


def revoke_provider_invitation(provider: Provider, invitation_id: int, user: Any) -> None:
    """Raises Invitation.DoesNotExist for another provider's (or an unknown, or an accepted) invitation."""
    invitation = Invitation.objects.get(pk=invitation_id, provider=provider, accepted_at__isnull=True)
    with transaction.atomic():
        revoke_invitation(invitation)
        log_action(
            "providers.invitation.revoked",
            actor=user.get_username(),
            target=invitation,
            data={"provider_id": provider.pk, "email": invitation.email},
        )


def remove_member(provider: Provider, membership_id: int, user: Any) -> None:
    """Remove a member's access to this provider at once (the portal checks membership on every request).
    Nobody removes themselves here, and the last administrator stays, so the team is never left unmanaged."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership_id, provider=provider)
        if membership.user_id == user.pk:
            raise ValidationError(_("You cannot remove yourself. Ask another administrator."))
        if membership.role == MembershipRole.ADMIN:
            admins = Membership.objects.select_for_update().filter(
                provider=provider, role=MembershipRole.ADMIN
            )
            if admins.count() <= 1:
                raise ValidationError(_("The last administrator cannot be removed."))
        username = membership.user.get_username()
        membership.delete()
        log_action(
            "providers.membership.removed",
            actor=user.get_username(),
            target=Membership(pk=membership_id),
            data={"provider_id": provider.pk, "username": username, "role": membership.role},
        )
