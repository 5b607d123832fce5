"""Portal: the provider's availability (pause, weekly hours, closures, lines, beds). Thin, as ``views``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clearline.portal import queries
from clearline.portal.access import Member, portal_view
from clearline.portal.forms import (
    BedsForm,
    ClosureForm,
    LinesForm,
    WeeklyHoursForm,
)
from clearline.portal.pages import apply_form, render_page
from clearline.providers import availability
from clearline.providers.models import ClosureDay


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
    return render_page(request, member, "portal/availability.html", context, status=status)


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


@portal_view(admin_only=True, methods=["POST"])
def set_hours(request: HttpRequest, member: Member) -> HttpResponse:
    form = WeeklyHoursForm(request.POST, current=_current_hours(member))
    if apply_form(
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
    if apply_form(
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
    if apply_form(
        request, form, lambda data: availability.set_lines(member.provider.pk, data["lines"], member.user)
    ):
        messages.success(request, _("Concurrent lines saved."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, lines_form=form)


@portal_view(methods=["POST"])
def set_beds(request: HttpRequest, member: Member) -> HttpResponse:
    form = BedsForm(request.POST)
    if apply_form(
        request, form, lambda data: availability.set_beds(member.provider.pk, data["beds"], member.user)
    ):
        messages.success(request, _("Beds available saved."))
        return redirect("portal:availability")
    return _availability_page(request, member, status=400, beds_form=form)
