"""The operator back office for provider access, in the Wagtail admin (routing settings: ``routing_settings_admin``).

- Memberships: list, change the role, remove (which also deactivates a non-staff user). New members only come
  through invitations.
- Invitations: "Invite someone" stores the invitation and emails the link (the token appears nowhere else);
  revoke an invitation nobody has accepted yet. Never edited or deleted.
- Routing settings: in ``routing_settings_admin``.

Each action needs its Wagtail/Django model permission (superusers have them all); the policies below take away
what no one may do, superusers included. Every change is in the audit log (the models' change tracking, or
``memberships``' explicit entries), with the signed-in operator as the actor.
"""

from __future__ import annotations

import smtplib
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy

from clearline.providers.accounts import Invitation, Membership
from clearline.providers.memberships import (
    accept_url_template,
    invite_member,
    remove_member,
    revoke_invitation,
)


class LimitedActionsPolicy(ModelPermissionPolicy):
    """The model's Django permissions, but only for the listed actions; the others are refused to everyone."""

    def __init__(self, model: type, actions: set[str]) -> None:
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in self.actions and bool(super().user_has_permission(user, action))

    def users_with_any_permission(self, actions: Any) -> Any:
        return super().users_with_any_permission([a for a in actions if a in self.actions])


# Registered for their models in wagtail_hooks.py, before the viewsets.
# Memberships: no "add" (people join by invitation).
MEMBERSHIP_POLICY = LimitedActionsPolicy(Membership, {"change", "delete"})
# Invitations: "add" is inviting, "change" is revoking; never edited or deleted.
INVITATION_POLICY = LimitedActionsPolicy(Invitation, {"add", "change", "view"})
# Routing settings: a new version, or looking at old ones; never edited or deleted.


def reset_second_factor_url(user_id: int) -> str:
    # The operator action lives in clearline.accounts (a layer above); reverse by name keeps the import out.
    return reverse("clearline_reset_second_factor", args=[user_id])


# --- Memberships ---------------------------------------------------------------------------------------------


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]


class MembershipIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("user", "provider")

    def get_list_more_buttons(self, instance: Membership) -> list[Any]:
        buttons = list(super().get_list_more_buttons(instance))
        if self.request.user.has_perm("auth.change_user"):
            buttons.append(
                ListingButton(
                    _("Reset second factor"),
                    url=reset_second_factor_url(instance.user_id),
                    icon_name="key",
                    priority=40,
                )
            )
        return buttons


class RemoveMemberView(generic.DeleteView):
    page_title = gettext_lazy("Remove member")
    success_message = gettext_lazy("%(object)s no longer has access.")

    @property
    def confirmation_message(self) -> str:
        return _(
            "Remove %(user)s from %(provider)s? Their account is deactivated unless they are operator staff, "
            "which also ends their sessions."
        ) % {"user": self.object.user, "provider": self.object.provider}

    def delete_action(self) -> None:
        remove_member(self.object, actor=self.request.user.get_username())


class MembershipViewSet(ModelViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Provider members")
    form_fields = ["role"]
    list_display = ["user", "provider", "role", "created_at"]
    list_filter = ["provider", "role"]
    copy_view_enabled = False
    index_view_class = MembershipIndexView
    delete_view_class = RemoveMemberView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return MembershipForm


# --- Invitations ---------------------------------------------------------------------------------------------


class InviteForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["provider", "email", "role"]

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if get_user_model().objects.filter(email__iexact=email, provider_membership__isnull=False).exists():
            raise ValidationError(_("Someone with this email address already belongs to a provider."))
        return email


def invitation_status(invitation: Invitation) -> str:
    if invitation.accepted_at:
        return _("accepted")
    if invitation.revoked_at:
        return _("revoked")
    if invitation.expires_at <= timezone.now():
        return _("expired")
    return _("waiting")


class StatusColumn(Column):
    def get_value(self, instance: Invitation) -> str:
        return invitation_status(instance)


class InviteView(generic.CreateView):
    page_title = gettext_lazy("Invite someone")
    submit_button_label = gettext_lazy("Send the invitation")
    success_message = gettext_lazy("Invitation emailed to %(object)s.")

    def save_instance(self) -> Invitation:
        data = self.form.cleaned_data
        invitation, _token = invite_member(
            data["provider"],
            data["email"],
            data["role"],
            self.request.user,
            accept_url_template(self.request),
        )
        return invitation

    def get_success_message(self, instance: Invitation) -> str:
        return _("Invitation emailed to %(email)s; the link works for %(days)s days.") % {
            "email": instance.email,
            "days": settings.CLEARLINE_INVITATION_DAYS,
        }

    def get_success_buttons(self) -> list[Any]:
        return []

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
        except (OSError, smtplib.SMTPException) as error:
            form.add_error(
                None, _("The email could not be sent (%(error)s); nothing was saved.") % {"error": error}
            )
        self.produced_error_message = _("The invitation was not sent.")
        return self.form_invalid(form)


class RevokeInvitationView(generic.DeleteView):
    permission_required = "change"
    page_title = gettext_lazy("Revoke invitation")
    template_name = "providers/admin/confirm_revoke.html"

    def get_delete_url(self) -> str:
        return reverse(self.edit_url_name, args=[self.object.pk])

    @property
    def confirmation_message(self) -> str:
        if not self.object.is_usable:
            return _("This invitation is %(status)s; there is nothing to revoke.") % {
                "status": invitation_status(self.object)
            }
        return _("Revoke the invitation for %(email)s to %(provider)s? The link stops working at once.") % {
            "email": self.object.email,
            "provider": self.object.provider,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_revoke"] = self.object.is_usable
        return context

    def get_success_message(self) -> str:
        return _("The invitation for %(email)s is revoked.") % {"email": self.object.email}

    def delete_action(self) -> None:
        if not revoke_invitation(self.object, actor=self.request.user.get_username()):
            raise PermissionDenied


class InvitationIndexView(generic.IndexView):
    def get_base_queryset(self) -> Any:
        return super().get_base_queryset().select_related("provider", "invited_by")

    def get_edit_url(self, instance: Invitation) -> str | None:
        return super().get_edit_url(instance) if instance.is_usable else None

    def get_list_more_buttons(self, instance: Invitation) -> list[Any]:
        # Only "Revoke", and only while the invitation can still be used.
        url = self.get_edit_url(instance)
        return [ListingButton(_("Revoke"), url=url, icon_name="cross", priority=10)] if url else []


class InvitationViewSet(ModelViewSet):
    model = Invitation
    icon = "mail"
    menu_label = gettext_lazy("Invitations")
    add_to_admin_menu = False
    list_display = [
        "email",
        "provider",
        "role",
        StatusColumn("status", label=gettext_lazy("Status")),
        "invited_by",
        "created_at",
        "expires_at",
    ]
    list_filter = ["provider", "role"]
    copy_view_enabled = False
    index_view_class = InvitationIndexView
    add_view_class = InviteView
    edit_view_class = RevokeInvitationView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return InviteForm

    def get_edit_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        return {"template_name": RevokeInvitationView.template_name, **kwargs}


class ProviderAccessGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Provider access")
    menu_icon = "group"
    menu_order = 215
    items = (MembershipViewSet("provider_members"), InvitationViewSet("provider_invitations"))
