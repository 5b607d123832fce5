"""Portal: the organisation's team (invite, revoke an invitation, remove a member); admins only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.portal.access import Member, portal_view
from clearline.portal.forms import (
    InviteForm,
)
from clearline.portal.pages import apply_form, render_page
from clearline.portal.team import remove_provider_member, revoke_provider_invitation
from clearline.providers.accounts import Invitation, Membership
from clearline.providers.memberships import accept_url_template, invite_member


def _team_page(
    request: HttpRequest, member: Member, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    provider = member.provider
    now = timezone.now()
    return render_page(
        request,
        member,
        "portal/team.html",
        {
            "members": Membership.objects.filter(provider=provider)
            .select_related("user")
            .order_by("user__username"),
            "invitations": Invitation.objects.filter(
                provider=provider, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
            ).order_by("-created_at"),
            "form": form or InviteForm(),
        },
        status=status,
    )


@portal_view(admin_only=True)
def team(request: HttpRequest, member: Member) -> HttpResponse:
    return _team_page(request, member)


@portal_view(admin_only=True, methods=["POST"])
def invite(request: HttpRequest, member: Member) -> HttpResponse:
    form = InviteForm(request.POST)
    if apply_form(
        request,
        form,
        lambda data: invite_member(
            member.provider, data["email"], data["role"], member.user, accept_url_template(request)
        ),
    ):
        messages.success(
            request,
            _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"].strip().lower()},
        )
        return redirect("portal:team")
    return _team_page(request, member, form=form, status=400)


@portal_view(admin_only=True, methods=["POST"])
def revoke(request: HttpRequest, member: Member, invitation_id: int) -> HttpResponse:
    try:
        revoked = revoke_provider_invitation(member.provider, invitation_id, member.user)
    except Invitation.DoesNotExist as missing:
        raise Http404 from missing
    if revoked:
        messages.success(request, _("Invitation revoked."))
    else:
        messages.info(request, _("That invitation was already revoked."))
    return redirect("portal:team")


@portal_view(admin_only=True, methods=["POST"])
def remove(request: HttpRequest, member: Member, membership_id: int) -> HttpResponse:
    try:
        remove_provider_member(member.provider, membership_id, member.user)
    except Membership.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Member removed. Their access ended at once."))
    return redirect("portal:team")
