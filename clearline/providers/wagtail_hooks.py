"""Operators manage participating providers (and their flat-fee contracts) in the Wagtail admin, and provider
access (clearline/providers/back_office.py) and routing settings (routing_settings_admin.py)."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clearline.providers.back_office import INVITATION_POLICY, MEMBERSHIP_POLICY, ProviderAccessGroup
from clearline.providers.models import Contract, Invitation, Membership, Provider, RoutingSettings
from clearline.providers.routing_settings_admin import ROUTING_SETTINGS_POLICY, RoutingSettingsViewSet


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = "Providers"
    list_display = ["name", "active", "paused", "auto_paused", "lines"]
    list_filter = ["active", "paused", "auto_paused"]
    add_to_admin_menu = True
    menu_order = 210
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("public_description"),
                FieldPanel("website"),
                FieldPanel("active"),
            ],
            heading="Public profile",
        ),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("lines"),
                FieldPanel("daily_cap"),
                FieldPanel("callback_minutes"),
                FieldPanel("states"),
                FieldPanel("zip_prefixes"),
                FieldPanel("languages"),
                FieldPanel("intents"),
            ],
            heading="How calls reach this provider",
        ),
        MultiFieldPanel(
            [
                FieldPanel("timezone"),
                FieldPanel("open_24_7"),
                InlinePanel("opening_hours", label="Weekly hours"),
                InlinePanel("closures", label="Holidays and exceptions"),
            ],
            heading="Hours (in the provider's time zone)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("license_number"),
                FieldPanel("license_expires_on"),
                FieldPanel("certification_expires_on"),
            ],
            heading="Eligibility documents",
        ),
        MultiFieldPanel([FieldPanel("paused"), FieldPanel("auto_paused")], heading="Availability"),
    ]


class ContractViewSet(SnippetViewSet):
    model = Contract
    icon = "doc-empty"
    menu_label = "Contracts (flat fees)"
    list_display = ["provider", "amount", "currency", "period", "starts_on", "ends_on"]
    add_to_admin_menu = True
    menu_order = 220
    panels = [
        FieldPanel("provider"),
        FieldPanel("amount"),
        FieldPanel("currency"),
        FieldPanel("period"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
    ]


register_snippet(ProviderViewSet)
register_snippet(ContractViewSet)


register_permission_policy(Membership, MEMBERSHIP_POLICY)
register_permission_policy(Invitation, INVITATION_POLICY)
register_permission_policy(RoutingSettings, ROUTING_SETTINGS_POLICY)


@hooks.register("register_admin_viewset")
def register_provider_access() -> ProviderAccessGroup:
    return ProviderAccessGroup()


@hooks.register("register_admin_viewset")
def register_routing_settings() -> RoutingSettingsViewSet:
    return RoutingSettingsViewSet("routing_settings")
