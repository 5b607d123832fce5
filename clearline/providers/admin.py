from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clearline.providers.models import Contract, Provider


class ContractFormSet(forms.BaseInlineFormSet):
    """Each contract form is checked against the saved contracts (Contract.clean); this checks the submitted ones
    against each other, so two new contracts at different fees are explained on the page. Without it the second
    one's save refuses it (Contract.save checks again), which is a server error after the form said yes."""

    def clean(self) -> None:
        super().clean()
        kept: list[Any] = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            if form.instance.amount is not None and form.instance.starts_on and form.instance.period
        ]
        for index, first in enumerate(kept):
            for second in kept[index + 1 :]:
                terms = (first.amount, first.currency, first.period)
                if first.overlaps(second) and terms != (second.amount, second.currency, second.period):
                    raise ValidationError(
                        _(
                            "Every participating provider pays the same flat fee: two of these contracts "
                            "overlap in time at different fees (%(first)s %(first_currency)s and %(second)s "
                            "%(second_currency)s)."
                        )
                        % {
                            "first": first.amount,
                            "first_currency": first.currency,
                            "second": second.amount,
                            "second_currency": second.currency,
                        }
                    )


class ContractInline(admin.TabularInline):
    model = Contract
    formset = ContractFormSet
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [ContractInline]
