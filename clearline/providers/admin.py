from django.contrib import admin

from clearline.providers.models import Contract, Provider


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ContractInline]
