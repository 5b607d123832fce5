"""Service functions for provider memberships and invitations (the portal and the back office call these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.providers.accounts import (
    Invitation,
    Membership,
    MembershipRole,
    hash_invitation_token,
    new_invitation_token,
)
from clearline.providers.models import Provider


def invite_member(
    provider: Provider, email: str, role: str, invited_by: Any, accept_url: str
) -> tuple[Invitation, str]:
    """Store an invitation (token digest only) and email the link; ``accept_url`` has ``{token}`` in it.
    Returns the invitation and the raw token (shown to nobody else; tests use it)."""
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose a role."))
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email, provider_membership__isnull=False).exists():
        raise ValidationError(_("Someone with this email address already belongs to a provider."))
    token = new_invitation_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            provider=provider,
            email=email,
            role=role,
            token_hash=hash_invitation_token(token),
            invited_by=invited_by if invited_by is not None and invited_by.pk else None,
            expires_at=timezone.now() + dt.timedelta(days=settings.CLEARLINE_INVITATION_DAYS),
        )
    link = accept_url.format(token=token)
    send_mail(
        _("You are invited to the Clearline provider portal"),
        _(
            "You have been invited to act for %(provider)s in the Clearline provider portal.\n\n"
            "Open this link within %(days)s days to choose a password and set up your second factor:\n%(link)s\n"
        )
        % {"provider": provider.name, "days": settings.CLEARLINE_INVITATION_DAYS, "link": link},
        None,
        [email],
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for this token, or None (unknown, used, revoked or expired)."""
    invitation = (
        Invitation.objects.select_related("provider").filter(token_hash=hash_invitation_token(token)).first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


def accept_invitation(token: str, username: str, password: str) -> Membership:
    """Create the user and membership; the invitation is used once, even if two requests race."""
    user_model = get_user_model()
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
        used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now()
        )
        if not used:
            raise ValidationError(_("This invitation link has already been used."))
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken. Choose another."))
        user = user_model.objects.create_user(username=username, email=invitation.email, password=password)
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        return Membership.objects.create(user=user, provider=invitation.provider, role=invitation.role)


def revoke_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())
