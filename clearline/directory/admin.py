"""Operator screens (Django admin at /django-admin/): find a facility, mark a phone verified, record consent."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .edits import FACILITY_FIELDS
from .models import Facility, ListingConsent, Phone, TaxonomyTerm
from .services import verify_phone


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0
    fields = ("kind", "number", "extension", "position", "verified_at", "verified_by")
    # Only the "I called these numbers" action verifies a phone (and says who); a changed number is unverified.
    readonly_fields = ("verified_at", "verified_by")


class ListingConsentInline(admin.StackedInline):
    model = ListingConsent
    extra = 0
    fields = ("person_name", "person_role", "recorded_by", "recorded_at", "document_note", "withdrawn_at")


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "state", "postal_code", "source", "status", "last_verified")
    list_filter = ("source", "status", "state")
    search_fields = ("name", "alternate_name", "city", "postal_code", "license_number")
    readonly_fields = ("uuid", "service_uuid", "source", "source_id", "created_at", "updated_at")
    raw_id_fields = ("organization",)
    inlines = (PhoneInline, ListingConsentInline)

    def save_model(
        self, request: HttpRequest, obj: Facility, form: ModelForm[Facility], change: bool
    ) -> None:
        """An operator's edit is a correction too: a later import keeps it (see `Facility.corrected_fields`)."""
        if change:
            edited = set(form.changed_data).intersection(FACILITY_FIELDS)
            obj.corrected_fields = sorted({*obj.corrected_fields, *edited})
        super().save_model(request, obj, form, change)


@admin.register(Phone)
class PhoneAdmin(admin.ModelAdmin):
    list_display = ("facility", "kind", "number", "extension", "verified_at", "verified_by")
    list_filter = ("kind",)
    search_fields = ("number", "facility__name")
    raw_id_fields = ("facility",)
    readonly_fields = ("verified_at", "verified_by")
    actions = ("mark_verified",)

    @admin.action(description="I called these numbers and they reach the facility")
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Phone]) -> None:
        who = request.user.get_username()
        for phone in queryset:
            verify_phone(phone.pk, who)  # one audit entry each
        self.message_user(request, f"{len(queryset)} phone numbers marked verified by {who}.")


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "plain_name", "parent")
    search_fields = ("code", "name", "plain_name")
    list_editable = ("plain_name",)
