"""The provider portal's pages. Thin: parse, authorise (``portal_view``), call one service function, render.

Every view gets the ``Member`` from ``portal_view`` and reads or writes only ``member.provider``'s rows; an id
from another organisation is looked up together with this provider and so is simply not found (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clearline.content.models import DisclosureVersion
from clearline.portal import queries
from clearline.portal.access import Member, portal_view
from clearline.portal.forms import (
    BedsForm,
    CallbackActionForm,
    CallbackOutcomeForm,
    CallFilterForm,
    ClosureForm,
    InviteForm,
    LinesForm,
    MonthForm,
    WeeklyHoursForm,
)
from clearline.portal.team import remove_provider_member, revoke_provider_invitation
from clearline.providers import availability
from clearline.providers.accounts import Invitation, Membership
from clearline.providers.memberships import invite_member
from clearline.providers.models import ClosureDay
from clearline.reports.figures import local_today as operator_today
from clearline.reports.figures import monthly_figures
from clearline.telephony import callbacks as callback_services
from clearline.telephony.models import CallbackOutcome

CALLS_PER_PAGE = 25


def _render(
    request: HttpRequest, member: Member, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {
        "member": member,
        "provider": member.provider,
        "portal_section": template.split("/")[-1][:-5],
    }
    return render(request, template, {**base, **context}, status=status)


# Dashboard, calls, the disclosure the callers heard -------------------------------------------------------------


@portal_view()
def dashboard(request: HttpRequest, member: Member) -> HttpResponse:
    now = timezone.now()
    provider = member.provider
    return _render(
        request,
        member,
        "portal/dashboard.html",
        {
            "today": queries.today_figures(provider, now),
            "status": queries.provider_status(provider, now),
            "owed": queries.open_callbacks(provider, now),
            "local_now": now.astimezone(queries.provider_zone(provider)),
        },
    )


@portal_view()
def calls(request: HttpRequest, member: Member) -> HttpResponse:
    provider = member.provider
    form = CallFilterForm(request.GET or None)
    rows = queries.provider_calls(provider)
    if form.is_valid():
        rows = queries.filter_calls(
            rows,
            provider,
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
            outcome=form.cleaned_data["outcome"],
        )
    page = Paginator(rows, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        member,
        "portal/calls.html",
        {
            "form": form,
            "page": page,
            "rows": [queries.call_row(call, provider) for call in page.object_list],
            "query": query.urlencode(),
            "zone": provider.timezone,
        },
    )


@portal_view()
def disclosure(request: HttpRequest, member: Member, number: int) -> HttpResponse:
    """The wording a caller heard, for versions played on this provider's own calls only."""
    heard = queries.provider_calls(member.provider).filter(disclosure_version__number=number).exists()
    version = DisclosureVersion.objects.filter(number=number).first() if heard else None
    if version is None:
        raise Http404
    return _render(
        request,
        member,
        "portal/disclosure.html",
        {"version": version, "paragraphs": version.paragraphs_for(get_language() or "en")},
    )


# Callbacks ------------------------------------------------------------------------------------------------------


def _callbacks_page(
    request: HttpRequest, member: Member, *, revealed: tuple[int, str] | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    provider = member.provider
    return _render(
        request,
        member,
        "portal/callbacks.html",
        {
            "owed": queries.open_callbacks(provider, now),
            "closed": queries.recent_closed_callbacks(provider, now),
            "revealed_id": revealed[0] if revealed else None,
            "revealed_number": revealed[1] if revealed else "",
            "outcomes": CallbackOutcome.choices,
        },
        status=status,
    )


@portal_view()
def callback_list(request: HttpRequest, member: Member) -> HttpResponse:
    return _callbacks_page(request, member)


def _scoped_callback_action(member: Member, callback_id: int, form: CallbackActionForm) -> int | None:
    """404 unless the callback is this provider's now; the reassignment count the page saw, if the form is valid."""
    if queries.scoped_callback(member.provider, callback_id) is None:
        raise Http404
    return form.cleaned_data["seen"] if form.is_valid() else None


@portal_view(methods=["POST"])
def callback_claim(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    form = CallbackActionForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    try:
        callback_services.claim_callback(callback_id, member.provider.pk, member.user, reassignments=seen)
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Callback %(id)s is yours to return.") % {"id": callback_id})
    return redirect("portal:callbacks")


@portal_view(methods=["POST"])
def callback_reveal(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    """Shows the number on this one response (never cached, never in a URL); the reveal is audited."""
    form = CallbackActionForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    try:
        number = callback_services.reveal_callback_number(
            callback_id, member.provider.pk, member.user, reassignments=seen
        )
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
        return redirect("portal:callbacks")
    return _callbacks_page(request, member, revealed=(callback_id, number))


@portal_view(methods=["POST"])
def callback_outcome(request: HttpRequest, member: Member, callback_id: int) -> HttpResponse:
    form = CallbackOutcomeForm(request.POST)
    seen = _scoped_callback_action(member, callback_id, form)
    if not form.is_valid():
        messages.error(request, _("Choose what happened when you called back, then press Record outcome."))
        return redirect("portal:callbacks")
    try:
        callback_services.record_callback_outcome(
            callback_id, member.provider.pk, form.cleaned_data["outcome"], member.user, reassignments=seen
        )
    except callback_services.CallbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Callback %(id)s is closed. Thank you.") % {"id": callback_id})
    return redirect("portal:callbacks")


# Availability ---------------------------------------------------------------------------------------------------


def _current_hours(member: Member) -> list[tuple[int, dt.time, dt.time]]:
    return [(h.weekday, h.opens, h.closes) for h in member.provider.opening_hours.all()]


def _availability_page(request: HttpRequest, member: Member, status: int = 200, **forms: Any) -> HttpResponse:
    provider = member.provider
    provider.refresh_from_db()
    now = timezone.now()
    context = {
        "status": queries.provider_status(provider, now),
        "hours_form": WeeklyHoursForm(
            current=_current_hours(member), initial={"open_24_7": provider.open_24_7}
        ),
        "closure_form": ClosureForm(),
        "lines_form": LinesForm(initial={"lines": provider.lines}),
        "beds_form": BedsForm(initial={"beds": provider.beds_available}),
        "closures": provider.closures.filter(date__gte=availability.local_today(provider, now)),
        **forms,
    }
    return _render(request, member, "portal/availability.html", context, status=status)


@portal_view()
def availability_page(request: HttpRequest, member: Member) -> HttpResponse:
    return _availability_page(request, member)


@portal_view(methods=["POST"])
def pause(request: HttpRequest, member: Member) -> HttpResponse:
    if availability.pause_provider(member.provider.pk, member.user):
        messages.success(
            request, _("Paused. No new calls or callbacks will be offered to you until you resume.")
        )
    else:
        messages.info(request, _("You were already paused."))
    return redirect("portal:availability")


@portal_view(methods=["POST"])
def resume(request: HttpRequest, member: Member) -> HttpResponse:
    if availability.resume_provider(member.provider.pk, member.user):
        messages.success(request, _("Resumed. Calls will be offered to you again during your opening hours."))
    else:
        messages.info(request, _("You were not paused."))
    return redirect("portal:availability")


def _apply(request: HttpRequest, form: Any, write: Any) -> bool:
    """Run ``write`` if the form is valid; a service's ValidationError becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@portal_view(admin_only=True, methods=["POST"])
def set_hours(request: HttpRequest, member: Member) -> HttpResponse:
    form = WeeklyHoursForm(request.POST, current=_current_hours(member))
    if _apply(
        request,
        form,
        lambda data: availability.set_weekly_hours(
            member.provider.pk, data["ranges"], data["open_24_7"], member.user
        ),
    ):
        messages.success(request, _("Opening hours saved."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, hours_form=form)


@portal_view(admin_only=True, methods=["POST"])
def add_closure(request: HttpRequest, member: Member) -> HttpResponse:
    form = ClosureForm(request.POST)
    if _apply(
        request,
        form,
        lambda data: availability.add_closure(
            member.provider.pk,
            data["date"],
            member.user,
            opens=data["opens"],
            closes=data["closes"],
            reason=data["reason"],
        ),
    ):
        messages.success(request, _("Closure added."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, closure_form=form)


@portal_view(admin_only=True, methods=["POST"])
def remove_closure(request: HttpRequest, member: Member, closure_id: int) -> HttpResponse:
    try:
        availability.remove_closure(member.provider.pk, closure_id, member.user)
    except ClosureDay.DoesNotExist as missing:
        raise Http404 from missing
    messages.success(request, _("Closure removed."))
    return redirect("portal:availability")


@portal_view(admin_only=True, methods=["POST"])
def set_lines(request: HttpRequest, member: Member) -> HttpResponse:
    form = LinesForm(request.POST)
    if _apply(
        request, form, lambda data: availability.set_lines(member.provider.pk, data["lines"], member.user)
    ):
        messages.success(request, _("Concurrent lines saved."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, lines_form=form)


@portal_view(methods=["POST"])
def set_beds(request: HttpRequest, member: Member) -> HttpResponse:
    form = BedsForm(request.POST)
    if _apply(
        request, form, lambda data: availability.set_beds(member.provider.pk, data["beds"], member.user)
    ):
        messages.success(request, _("Beds available saved."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, beds_form=form)


# Team -----------------------------------------------------------------------------------------------------------


def _team_page(
    request: HttpRequest, member: Member, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    provider = member.provider
    now = timezone.now()
    return _render(
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


def _accept_url(request: HttpRequest) -> str:
    path = reverse("accounts:accept_invitation", kwargs={"token": "TOKEN"}).replace("TOKEN", "{token}")
    base = settings.CLEARLINE_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + path


@portal_view(admin_only=True, methods=["POST"])
def invite(request: HttpRequest, member: Member) -> HttpResponse:
    form = InviteForm(request.POST)
    if _apply(
        request,
        form,
        lambda data: invite_member(
            member.provider, data["email"], data["role"], member.user, _accept_url(request)
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


# Monthly figures ------------------------------------------------------------------------------------------------


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


@portal_view()
def figures(request: HttpRequest, member: Member) -> HttpResponse:
    today = operator_today()
    form = MonthForm(request.GET or None)
    year, month = today.year, today.month
    if form.is_valid() and form.cleaned_data["month"]:
        year, month = (int(part) for part in form.cleaned_data["month"].split("-"))
    current = (year, month)
    figures_ = monthly_figures(member.provider.pk, year, month)
    previous, following = _month_shift(year, month, -1), _month_shift(year, month, 1)
    return _render(
        request,
        member,
        "portal/figures.html",
        {
            "form": form,
            "figures": figures_,
            "month_start": dt.date(year, month, 1),
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "following": f"{following[0]:04d}-{following[1]:02d}"
            if following <= (today.year, today.month)
            else "",
            "is_current": current == (today.year, today.month),
            "zone": settings.TIME_ZONE,
        },
    )
