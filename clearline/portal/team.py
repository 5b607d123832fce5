"""Team changes an organisation's administrators make in the portal, scoped to their own provider.

The writes and their audit entries are ``providers.memberships``' (invite_member, revoke_invitation,
remove_member); this module finds the row *within this provider* (another provider's id is not found) and keeps
the portal's own rules: nobody removes themselves, and the last administrator stays.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clearline.lib.locks import hold_lock
from clearline.providers import memberships
from clearline.providers.accounts import Invitation, Membership, MembershipRole
from clearline.providers.models import Provider


def revoke_provider_invitation(provider: Provider, invitation_id: int, user: Any) -> bool:
    """Raises Invitation.DoesNotExist for another provider's, an unknown or an accepted invitation."""
    invitation = Invitation.objects.get(pk=invitation_id, provider=provider, accepted_at__isnull=True)
    return memberships.revoke_invitation(invitation, actor=user.get_username())


def remove_provider_member(provider: Provider, membership_id: int, user: Any) -> None:
    """End a member's access at once (memberships.remove_member also deactivates them). Raises
    Membership.DoesNotExist for another provider's member, ValidationError for a refused removal."""
    with transaction.atomic():
        # "The last administrator stays" spans rows a row lock cannot cover: two administrators removing each
        # other at once would each still count two. One lock per provider makes the second wait, then count one.
        hold_lock(f"portal-team-{provider.pk}")
        membership = (
            Membership.objects.select_for_update()
            .select_related("user")
            .get(pk=membership_id, provider=provider)
        )
        if membership.user_id == user.pk:
            raise ValidationError(_("You cannot remove yourself. Ask another administrator."))
        admins = Membership.objects.filter(provider=provider, role=MembershipRole.ADMIN)
        if membership.role == MembershipRole.ADMIN and admins.count() <= 1:
            raise ValidationError(_("The last administrator cannot be removed."))
        memberships.remove_member(membership, actor=user.get_username())
