"""Back office for provider listings (Wagtail admin).

- **Listing edits**: the review queue (waiting edits first, oldest first) and a review page per edit with the
  diff (value when proposed, value now, proposal), approve (applies it to the public listing) or reject with a
  note. Needs the ``portal.review_listingedit`` permission (superusers have it); both actions are audited.
- **Provider listings**: operators link a directory facility to the provider organisation that runs it (a
  snippet with a searchable facility chooser); every link, change and unlink is audited.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clearline.directory.edits import FIELD_KEYS, LABELS, editable_codes, listing_values, stale_fields
from clearline.directory.models import Facility

from .listings_services import ListingEditError, approve_edit, edit_diff, listing_facilities, reject_edit
from .models import ListingEdit, ProviderListing

REVIEW_PERMISSION = "portal.review_listingedit"
RECENTLY_DECIDED = 30


# --- Facility chooser (12,000 facilities: a search, not a select) -------------------------------------------


class FacilitySearchForm(BaseFilterForm):
    q = forms.CharField(
        label="Name, city, ZIP code or facility number",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Search facilities"}),
    )

    def filter(self, objects: QuerySet[Facility]) -> QuerySet[Facility]:
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        condition = (
            Q(name__icontains=query)
            | Q(alternate_name__icontains=query)
            | Q(city__iexact=query)
            | Q(postal_code__startswith=query)
        )
        if query.isdigit():
            condition |= Q(pk=int(query))
        return objects.filter(condition)


class _FacilityChooseMixin:
    filter_form_class = FacilitySearchForm
    ordering = ["name", "pk"]

    @property
    def columns(self) -> list[Column]:
        return [
            self.title_column,  # type: ignore[attr-defined]
            Column("postal_code", label="ZIP code"),
            Column("pk", label="Number"),
        ]


class FacilityChooseView(_FacilityChooseMixin, ChooseView):
    pass


class FacilityChooseResultsView(_FacilityChooseMixin, ChooseResultsView):
    pass


class FacilityChooserViewSet(ChooserViewSet):
    model = Facility
    icon = "site"
    choose_one_text = "Choose a facility"
    choose_another_text = "Choose another facility"
    edit_item_text = "Edit facility"
    register_widget = False  # only the provider listing form uses it; other apps' forms are left alone
    choose_view_class = FacilityChooseView
    choose_results_view_class = FacilityChooseResultsView


facility_chooser = FacilityChooserViewSet("facility_chooser", url_prefix="portal/facility-chooser")


@hooks.register("register_admin_viewset")
def register_facility_chooser() -> FacilityChooserViewSet:
    return facility_chooser


# --- Provider listings ---------------------------------------------------------------------------------------


class ProviderListingViewSet(SnippetViewSet):
    model = ProviderListing
    icon = "site"
    menu_label = "Provider listings"
    add_to_admin_menu = True
    menu_order = 230
    list_display = ["facility", "provider", "created_at"]
    list_filter = ["provider"]
    search_fields = ["facility__name", "facility__city", "facility__postal_code", "provider__name"]
    search_backend_name = None
    panels = [
        FieldPanel("provider"),
        FieldPanel("facility", widget=facility_chooser.widget_class),
        FieldPanel("note"),
    ]


register_snippet(ProviderListingViewSet)


# --- Listing edit review ---------------------------------------------------------------------------------------


def _require_reviewer(request: HttpRequest) -> None:
    if not request.user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied


class ReviewQueueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/listings/admin/queue.html"
    page_title = "Listing edits"
    header_icon = "edit"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require_reviewer(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*self.breadcrumbs_items, {"url": "", "label": "Listing edits"}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        base = ListingEdit.objects.select_related("facility", "provider", "submitted_by", "reviewed_by")
        pending = list(base.filter(status=ListingEdit.Status.PENDING).order_by("submitted_at", "pk"))
        facilities = {f.pk: f for f in listing_facilities().filter(pk__in={e.facility_id for e in pending})}
        linked = set(
            ProviderListing.objects.filter(facility_id__in=facilities).values_list(
                "facility_id", "provider_id"
            )
        )
        context["pending"] = []
        codes = editable_codes()
        for edit in pending:
            # Labels and staleness only: edit_diff's display values would look up service names once per edit.
            current = listing_values(facilities[edit.facility_id], codes)
            context["pending"].append(
                {
                    "edit": edit,
                    "fields": [LABELS[key] for key in FIELD_KEYS if key in edit.changes],
                    "stale": bool(stale_fields(edit.before, current)),
                    "unlinked": (edit.facility_id, edit.provider_id) not in linked,
                }
            )
        context["decided"] = list(
            base.exclude(status=ListingEdit.Status.PENDING).order_by("-submitted_at", "-pk")[
                :RECENTLY_DECIDED
            ]
        )
        return context


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to reject: the provider reads it.",
    )
    confirm_stale = forms.BooleanField(
        label="The listing changed since this edit was proposed; I have compared and want to apply it anyway",
        required=False,
    )


class ReviewView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/listings/admin/review.html"
    header_icon = "edit"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _require_reviewer(request)
        edit = (
            ListingEdit.objects.select_related(
                "facility", "provider", "submitted_by", "reviewed_by", "withdrawn_by"
            )
            .filter(pk=kwargs["edit_id"])
            .first()
        )
        if edit is None:
            raise Http404
        self.edit: ListingEdit = edit
        self.form = ReviewForm(request.POST or None)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Listing edit {self.edit.pk}: {self.edit.facility.name}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("portal_listing_edits"), "label": "Listing edits"},
            {"url": "", "label": f"Edit {self.edit.pk}"},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = edit_diff(self.edit)
        context.update(
            edit=self.edit,
            rows=rows,
            stale=self.edit.is_pending and any(row.stale for row in rows),
            linked=ProviderListing.objects.filter(
                facility_id=self.edit.facility_id, provider_id=self.edit.provider_id
            ).exists(),
            form=self.form,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        data = self.form.cleaned_data
        try:
            if data["action"] == "approve":
                approve_edit(self.edit.pk, request.user, data["note"], confirm_stale=data["confirm_stale"])  # type: ignore[arg-type]
                messages.success(request, f"Edit {self.edit.pk} approved: the public listing now shows it.")
            else:
                reject_edit(self.edit.pk, request.user, data["note"])  # type: ignore[arg-type]
                messages.success(request, f"Edit {self.edit.pk} rejected; the provider sees your note.")
        except ListingEditError as exc:
            self.form.add_error(None, str(exc))
            self.edit.refresh_from_db()
            return self.render_to_response(self.get_context_data(), status=400)
        return HttpResponseRedirect(reverse("portal_listing_edits"))


@hooks.register("register_admin_urls")
def register_review_urls() -> list[Any]:
    return [
        path("listing-edits/", ReviewQueueView.as_view(), name="portal_listing_edits"),
        path("listing-edits/<int:edit_id>/", ReviewView.as_view(), name="portal_listing_edit_review"),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_review_menu_item() -> MenuItem:
    return ReviewMenuItem("Listing edits", reverse("portal_listing_edits"), icon_name="edit", order=235)


@hooks.register("register_permissions")
def register_review_permission() -> QuerySet[Permission]:
    # Offered on the group editing screen, so operators can give reviewers this one right.
    return Permission.objects.filter(content_type__app_label="portal", codename="review_listingedit")
