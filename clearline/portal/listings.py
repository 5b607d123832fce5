"""Portal pages for a provider's directory listings: see them, propose corrections, withdraw a proposal.

Everything is scoped to the member's organisation: a facility it does not manage, or an edit of another
organisation, is 404. Agents and administrators may both propose and withdraw edits: nothing they submit is
public until Clearline staff approve it in the back office.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from clearline.directory.edits import editable_codes, listing_values, stale_fields
from clearline.directory.listing import address_line

from .access import Member, portal_view
from .listings_forms import ListingEditForm
from .listings_services import (
    ListingEditError,
    edit_diff,
    managed_facilities,
    managed_facility,
    submit_edit,
    withdraw_edit,
)
from .models import ListingEdit
from .pages import render_page

RECENT_EDITS = 5


@portal_view()
def listings(request: HttpRequest, member: Member) -> HttpResponse:
    facilities = list(managed_facilities(member.provider))
    edits: dict[int, list[ListingEdit]] = {}
    for edit in ListingEdit.objects.filter(provider=member.provider, facility__in=facilities).order_by(
        "-submitted_at", "-pk"
    ):
        edits.setdefault(edit.facility_id, []).append(edit)
    rows = []
    codes = editable_codes()
    for facility in facilities:
        mine = edits.get(facility.pk, [])
        pending = next((e for e in mine if e.is_pending), None)
        stale = pending is not None and bool(stale_fields(pending.before, listing_values(facility, codes)))
        rows.append(
            {
                "facility": facility,
                "address": address_line(facility),
                "pending": pending,
                "pending_stale": stale,
                "recent": [e for e in mine if not e.is_pending][:RECENT_EDITS],
            }
        )
    return render_page(request, member, "portal/listings/list.html", {"rows": rows})


@portal_view(methods=("GET", "POST"))
def propose(request: HttpRequest, member: Member, facility_id: int) -> HttpResponse:
    facility = managed_facility(member.provider, facility_id)
    if facility is None:
        raise Http404
    pending = ListingEdit.objects.filter(facility=facility, status=ListingEdit.Status.PENDING).first()
    context: dict[str, object] = {"facility": facility, "pending": pending}
    if pending is not None:
        # One proposal at a time: the member withdraws the waiting one to propose another.
        return render_page(request, member, "portal/listings/propose.html", context)
    current = listing_values(facility)
    form = ListingEditForm(request.POST or None, current=current)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            form.add_error(None, _("Nothing was changed, so there is nothing to review."))
        else:
            try:
                edit = submit_edit(
                    member.provider, member.user, facility.pk, changes, form.cleaned_data.get("note", "")
                )
            except ListingEditError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Clearline staff will review your change; the listing stays as it is until then."
                    ),
                )
                return HttpResponseRedirect(reverse("portal:listing_edit", args=[edit.pk]))
    return render_page(
        request, member, "portal/listings/propose.html", context, status=400 if form.errors else 200
    )


def _own_edit(member: Member, edit_id: int) -> ListingEdit:
    edit = (
        ListingEdit.objects.select_related("facility", "submitted_by", "withdrawn_by")
        .filter(pk=edit_id, provider=member.provider)
        .first()
    )
    if edit is None:
        raise Http404
    return edit


@portal_view()
def edit_detail(request: HttpRequest, member: Member, edit_id: int) -> HttpResponse:
    edit = _own_edit(member, edit_id)
    rows = edit_diff(edit)
    return render_page(
        request,
        member,
        "portal/listings/edit.html",
        {
            "edit": edit,
            "rows": rows,
            "stale": edit.is_pending and any(r.stale for r in rows),
            "manages_facility": managed_facilities(member.provider).filter(pk=edit.facility_id).exists(),
        },
    )


@portal_view(methods=("POST",))
def withdraw(request: HttpRequest, member: Member, edit_id: int) -> HttpResponse:
    try:
        withdraw_edit(member.provider, member.user, edit_id)
    except ListingEdit.DoesNotExist as exc:
        raise Http404 from exc
    except ListingEditError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The change was withdrawn. The listing stays as it is."))
    return HttpResponseRedirect(reverse("portal:listing_edit", args=[edit_id]))
