"""Service functions for provider memberships and invitations (the portal and the back office call these)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.lib.audit import current_actor, log_action
from clearline.providers.accounts import (
    Invitation,
    Membership,
    MembershipRole,
    hash_invitation_token,
    new_invitation_token,
)
from clearline.providers.models import Provider


def accept_url_template(request: HttpRequest) -> str:
    """The absolute accept link with ``{token}`` in it (for ``invite_member``), on CLEARLINE_PUBLIC_URL when set,
    else this request's host."""
    path = reverse("accounts:accept_invitation", kwargs={"token": "TOKEN"}).replace("TOKEN", "{token}")
    base = settings.CLEARLINE_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{path}"


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
    """Create the user and membership; the invitation is used once, even if two requests race.

    The conditional update claims the invitation (the second of two racing requests updates no row); any
    refusal after that rolls the claim back, so the invitation stays usable."""
    user_model = get_user_model()
    username = username.strip()
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
        now = timezone.now()
        used = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if not used:
            raise ValidationError(_("This invitation link has already been used."))
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken. Choose another."))
        try:
            with transaction.atomic():
                user = user_model.objects.create_user(
                    username=username, email=invitation.email, password=password
                )
        except IntegrityError as error:  # the same username chosen at the same moment by someone else
            raise ValidationError(_("That username is taken. Choose another.")) from error
        Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
        membership = Membership.objects.create(user=user, provider=invitation.provider, role=invitation.role)
        log_action(
            "providers.invitation.accepted",
            actor=username,
            target=invitation,
            data={
                "provider_id": invitation.provider_id,
                "email": invitation.email,
                "role": invitation.role,
                "user_id": user.pk,
                "membership_id": membership.pk,
            },
        )
        return membership


def revoke_invitation(invitation: Invitation, *, actor: str | None = None) -> bool:
    """Withdraw an invitation nobody has accepted yet; False if it was already accepted or revoked."""
    with transaction.atomic():
        revoked = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
        if revoked:
            log_action(
                "providers.invitation.revoked",
                actor=actor or current_actor(),
                target=invitation,
                data={
                    "provider_id": invitation.provider_id,
                    "email": invitation.email,
                    "role": invitation.role,
                },
            )
    invitation.refresh_from_db()
    return bool(revoked)


def change_role(membership: Membership, role: str) -> None:
    if role not in MembershipRole.values:
        raise ValidationError(_("Choose a role."))
    membership.role = role
    membership.save(update_fields=["role"])  # audited by the membership's change tracking


def remove_member(membership: Membership, *, actor: str | None = None) -> None:
    """End someone's access to a provider: the membership goes, and a user who is not operator staff is
    deactivated, which also ends their open sessions. Both are in the audit log."""
    user = membership.user
    with transaction.atomic():
        membership.delete()  # audited as providers.membership.deleted
        if not user.is_staff and user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
            log_action(
                "providers.member_deactivated",
                actor=actor or current_actor(),
                target=user,
                data={"username": user.get_username(), "provider_id": membership.provider_id},
            )
