"""Two-factor sign-in for staff and provider members; invitation acceptance. Views stay thin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from clearline.accounts import twofactor
from clearline.accounts.forms import AcceptInvitationForm, EnrolForm, PasswordStepForm, TokenForm
from clearline.accounts.lockout import is_locked_out, lockout_response
from clearline.providers.memberships import accept_invitation, find_invitation

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LANGUAGE_SESSION_KEY = "clearline_sign_in_language"


def in_visitor_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The sign-in pages are not under /es/, where LocaleMiddleware would pick Spanish from the path; they
    speak the visitor's language instead: the page they were going to (``next=/es/portal/``), else the
    language they chose on the site (cookie), else their browser's."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        next_url = request.GET.get("next") or request.POST.get("next") or ""
        from_next = translation.get_language_from_path(next_url)
        if from_next:
            request.session[LANGUAGE_SESSION_KEY] = from_next
        language = (
            from_next
            or request.session.get(LANGUAGE_SESSION_KEY)
            or translation.get_language_from_request(request, check_path=False)
        )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _finish_login(request: HttpRequest, user: object, device: object) -> str:
    next_url = twofactor.clear_pending_login(request)
    login(request, user, backend=MODEL_BACKEND)  # type: ignore[arg-type]
    otp_login(request, device)
    return next_url or reverse("accounts:landing")


@in_visitor_language
@never_cache
@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    form = PasswordStepForm(request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request)
        if user is not None:
            twofactor.start_pending_login(request, user, next_url)
            if twofactor.has_confirmed_device(user):
                return redirect("accounts:verify")
            return redirect("accounts:enrol")
        form.add_error(None, _("That username and password do not match an active account."))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@in_visitor_language
@never_cache
def verify_view(request: HttpRequest) -> HttpResponse:
    user = twofactor.pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if not twofactor.has_confirmed_device(user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Locked out meanwhile (wrong passwords or codes for this username from this address): not even a
        # right code is checked until the lockout ends.
        if is_locked_out(request, user.get_username()):
            twofactor.clear_pending_login(request)
            return lockout_response(request)
        device = twofactor.verify_second_factor(user, form.cleaned_data["token"])
        if device is not None:
            return HttpResponseRedirect(_finish_login(request, user, device))
        # A wrong second factor counts towards the same username+IP lockout as a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            twofactor.clear_pending_login(request)
            return lockout_response(request)
        form.add_error(
            "token",
            _(
                "That code is not right, or it has been used already. Wait for the next code in your app "
                "and try again, or enter an unused recovery code."
            ),
        )
    return render(request, "accounts/verify.html", {"form": form})


@in_visitor_language
@never_cache
def enrol_view(request: HttpRequest) -> HttpResponse:
    """First sign-in: set up an authenticator app; confirming it signs in and shows the recovery codes."""
    user = twofactor.pending_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if twofactor.has_confirmed_device(user):
        return redirect("accounts:verify")
    device = twofactor.unconfirmed_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = twofactor.replace_recovery_codes(user)
            destination = _finish_login(request, user, device)
            request.session[twofactor.NEW_RECOVERY_CODES_KEY] = codes
            request.session[twofactor.PENDING_NEXT_KEY] = destination
            return redirect("accounts:recovery_codes")
        form.add_error("token", _("That code does not match. Check the time on your phone and try again."))
    context = {
        "form": form,
        "secret": twofactor.readable_secret(device),
        "qr": twofactor.qr_svg(device.config_url),
    }
    return render(request, "accounts/enrol.html", context)


@in_visitor_language
@never_cache
@login_required
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """Shown once, right after they are made."""
    codes = request.session.pop(twofactor.NEW_RECOVERY_CODES_KEY, None)
    next_url = request.session.pop(twofactor.PENDING_NEXT_KEY, "") or reverse("accounts:landing")
    if not codes:
        return redirect(next_url)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


@in_visitor_language
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@in_visitor_language
@never_cache
@login_required
def landing_view(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person belongs: operators to the back office, provider members to their portal."""
    if request.user.is_staff:
        return redirect(f"/{settings.CLEARLINE_ADMIN_PATH}")
    if hasattr(request.user, "provider_membership"):
        return redirect("portal:dashboard")
    return render(request, "accounts/no_access.html", status=403)


@in_visitor_language
@never_cache
@sensitive_post_parameters("password1", "password2")
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    initial = {"username": invitation.email.split("@")[0]}
    form = AcceptInvitationForm(request.POST or None, initial=initial, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            membership = accept_invitation(
                token, form.cleaned_data["username"], form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            twofactor.start_pending_login(request, membership.user, "")
            messages.success(request, _("Your account is ready. Now set up your second factor."))
            return redirect("accounts:enrol")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})
