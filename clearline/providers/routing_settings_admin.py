"""The routing settings in the Wagtail admin: versions are create-only. The form starts from the version in force
and needs a reason (its "What if?" button replays recent calls with the form's values, ``routing_what_if``); the list
shows who made each version, when, and what it changed. Every version is in the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from clearline.providers.back_office import LimitedActionsPolicy
from clearline.providers.routing_settings import SETTING_FIELDS, RoutingSettings, current_routing_settings
from clearline.providers.routing_what_if import WhatIfMixin

ROUTING_SETTINGS_POLICY = LimitedActionsPolicy(RoutingSettings, {"add", "view"})


class RoutingSettingsForm(forms.ModelForm):
    class Meta:
        model = RoutingSettings
        fields = [*SETTING_FIELDS, "note"]

    def __init__(self, *args: Any, what_if: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.what_if = what_if  # checked for a what-if replay, not saved: no reason needed, unchanged allowed
        if not self.is_bound:
            current = current_routing_settings()
            for name in SETTING_FIELDS:
                self.initial[name] = getattr(current, name)
        self.fields["note"].help_text = _("Why this change? Kept with the version and in the audit log.")
        self.fields["note"].required = not what_if

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        current = current_routing_settings()
        if (
            not self.what_if
            and current.pk is not None
            and all(data.get(name) == getattr(current, name) for name in SETTING_FIELDS)
        ):
            raise ValidationError(_("Nothing changed from the version in force."))
        return data


class RoutingSettingsIndexView(generic.IndexView):
    """Whether each version is in force, and the version before it, are found for the whole page at once (an
    annotation and one look-up), not by two queries per row."""

    def get_base_queryset(self) -> Any:
        return (
            super()
            .get_base_queryset()
            .select_related("created_by")
            .annotate(
                in_force=~Exists(RoutingSettings.objects.filter(pk__gt=OuterRef("pk"))),
                previous_pk=Subquery(
                    RoutingSettings.objects.filter(pk__lt=OuterRef("pk")).order_by("-pk").values("pk")[:1]
                ),
            )
        )

    def get_table(self, object_list: Any) -> Any:
        versions = list(object_list)
        previous = RoutingSettings.objects.in_bulk([v.previous_pk for v in versions if v.previous_pk])
        for version in versions:
            version.previous = previous.get(version.previous_pk)
        return super().get_table(versions)


class ChangesColumn(Column):
    def get_value(self, instance: Any) -> Any:  # a row of RoutingSettingsIndexView
        changes = instance.changes_from(instance.previous)
        if not changes:
            return _("no change (the defaults)")
        return format_html_join(
            ", ",
            "{}: {} → {}",
            (
                (getattr(RoutingSettings._meta.get_field(name), "verbose_name", name), before, after)
                for name, (before, after) in changes.items()
            ),
        )


class InForceColumn(Column):
    def get_value(self, instance: Any) -> Any:  # a row of RoutingSettingsIndexView
        return format_html("<strong>{}</strong>", _("in force")) if instance.in_force else ""


class NewRoutingSettingsView(WhatIfMixin, generic.CreateView):
    page_title = gettext_lazy("New routing settings version")
    submit_button_label = gettext_lazy("Save as the new version")
    template_name = "providers/admin/new_routing_settings.html"

    def save_instance(self) -> RoutingSettings:
        version: RoutingSettings = self.form.save(commit=False)
        version.created_by = self.request.user if self.request.user.is_authenticated else None
        version.save()
        return version

    def get_success_message(self, instance: RoutingSettings) -> str:
        return _("Version %(version)s is now in force.") % {"version": instance.version_label}

    def get_success_buttons(self) -> list[Any]:
        return []


class RoutingSettingsViewSet(ModelViewSet):
    model = RoutingSettings
    icon = "cogs"
    menu_label = gettext_lazy("Routing settings")
    add_to_admin_menu = True
    menu_order = 230
    list_display = [
        "version_label",
        InForceColumn("in_force", label=gettext_lazy("In force")),
        "created_at",
        "created_by",
        "note",
        ChangesColumn("changes", label=gettext_lazy("What changed")),
    ]
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = RoutingSettingsIndexView
    add_view_class = NewRoutingSettingsView

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return RoutingSettingsForm

    def get_urlpatterns(self) -> list[Any]:
        # Create and look only: no edit or delete URLs at all.
        keep = {"index", "index_results", "add", "inspect", "history", "history_results", "usage"}
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in keep] + [
            path("edit/<int:pk>/", self._go_to_inspect, name="edit"),
            path("delete/<int:pk>/", self._go_to_inspect, name="delete"),
        ]

    def _go_to_inspect(self, request: HttpRequest, pk: int) -> HttpResponse:
        messages.info(
            request, _("Routing settings versions are never edited or deleted; save a new version.")
        )
        return redirect(self.get_url_name("inspect"), pk)
