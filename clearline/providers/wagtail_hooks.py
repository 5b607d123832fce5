"""Operators manage participating providers (and their flat-fee contracts) in the Wagtail admin."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clearline.providers.models import Contract, Provider


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "group"
    menu_label = "Providers"
    list_display = ["name", "active"]
    list_filter = ["active"]
    add_to_admin_menu = True
    menu_order = 210
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("public_description"),
        FieldPanel("website"),
        FieldPanel("active"),
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
