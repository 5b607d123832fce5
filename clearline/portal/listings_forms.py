"""The listing edit form: the facility's public fields as they are now; it explains bad input field by field."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clearline.directory.edits import FIELD_KEYS, LABELS, LOCATING_FIELDS, display_value, editable_terms
from clearline.directory.geo import STATES, ZIP_RE, zip_index
from clearline.lib.phone import InvalidPhoneNumber, normalize_e164

# clearline.lib.phone explains a bad number in English; its messages, for the catalogue (shown through gettext).
PHONE_PROBLEMS = (
    gettext_noop("No phone number was given."),
    gettext_noop("This is not a phone number."),
    gettext_noop("This phone number has the wrong number of digits."),
    gettext_noop("This is not a valid phone number."),
)
PHONE_HELP = _("A U.S. number, e.g. (303) 555-0100. A changed number is checked by Clearline before a listing "
               "number rings it.")  # fmt: skip


def _services_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for term in editable_terms():
        assert term.parent is not None
        groups.setdefault(term.parent.name, []).append((term.code, term.display_name))
    return list(groups.items())


class ListingEditForm(forms.Form):
    name = forms.CharField(label=LABELS["name"], max_length=300)
    alternate_name = forms.CharField(label=LABELS["alternate_name"], max_length=300, required=False)
    street1 = forms.CharField(label=LABELS["street1"], max_length=200, required=False)
    street2 = forms.CharField(label=LABELS["street2"], max_length=200, required=False)
    city = forms.CharField(label=LABELS["city"], max_length=100)
    state = forms.ChoiceField(
        label=LABELS["state"], choices=sorted(STATES.items(), key=lambda item: str(item[1]))
    )
    postal_code = forms.CharField(label=LABELS["postal_code"], max_length=10)
    phone = forms.CharField(label=LABELS["phone"], max_length=30, required=False, help_text=PHONE_HELP)
    phone_extension = forms.CharField(label=LABELS["phone_extension"], max_length=10, required=False)
    intake_phone = forms.CharField(
        label=LABELS["intake_phone"],
        max_length=30,
        required=False,
        help_text=_("Leave empty to remove the intake number."),
    )
    intake_phone_extension = forms.CharField(
        label=LABELS["intake_phone_extension"], max_length=10, required=False
    )
    website = forms.URLField(label=LABELS["website"], max_length=200, required=False, assume_scheme="https")
    description = forms.CharField(
        label=LABELS["description"],
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain facts about the care offered. No claims of success rates, no prices."),
    )
    hours = forms.CharField(
        label=LABELS["hours"],
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: Monday to Friday 8 am to 6 pm; intake by appointment."),
    )
    services = forms.MultipleChoiceField(
        label=LABELS["services"], required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note for the reviewer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How we can check the change, e.g. a link to your own website. Not shown publicly."),
    )

    def __init__(self, data: Any = None, *, current: dict[str, Any]) -> None:
        # Numbers are shown as people write them; cleaning turns them back into E.164 for the comparison.
        initial = {
            **current,
            **{k: display_value(k, current[k]) for k in ("phone", "intake_phone") if current[k]},
        }
        super().__init__(data, initial=initial)
        self.current = current
        self.inline_extensions: dict[str, str] = {}
        services = self.fields["services"]
        assert isinstance(services, forms.MultipleChoiceField)
        self.service_choices = _services_choices()
        services.choices = self.service_choices

    def service_groups(self) -> list[tuple[str, list[Any]]]:
        """The services checkboxes category by category, for one fieldset (with a legend) per category."""
        widgets = list(self["services"])
        groups, start = [], 0
        for label, options in self.service_choices:
            groups.append((label, widgets[start : start + len(options)]))
            start += len(options)
        return groups

    def _clean_phone(self, key: str) -> str:
        text = self.cleaned_data.get(key, "").strip()
        if not text:
            return ""
        try:
            number = normalize_e164(text)
        except InvalidPhoneNumber as exc:
            raise forms.ValidationError(gettext(str(exc))) from exc
        # "303-555-0101 x12": E.164 has no room for the extension, which goes to its own field (see clean()).
        extension = phonenumbers.parse(text, "US").extension
        if extension:
            self.inline_extensions[key] = extension
        return number

    def clean_phone(self) -> str:
        number = self._clean_phone("phone")
        if not number and self.current.get("phone"):
            raise forms.ValidationError(gettext("A listing needs a main phone number."))
        return number

    def clean_intake_phone(self) -> str:
        return self._clean_phone("intake_phone")

    def _clean_extension(self, key: str) -> str:
        text = self.cleaned_data.get(key, "").strip().lstrip("xX").strip()
        if text and not text.isdigit():
            raise forms.ValidationError(gettext("An extension is digits only, like 204."))
        return text

    def clean_phone_extension(self) -> str:
        return self._clean_extension("phone_extension")

    def clean_intake_phone_extension(self) -> str:
        return self._clean_extension("intake_phone_extension")

    def clean_postal_code(self) -> str:
        text = self.cleaned_data.get("postal_code", "").strip()
        if not ZIP_RE.match(text):
            raise forms.ValidationError(gettext("A ZIP code is five digits, like 80202."))
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in ("name", "alternate_name", "street1", "street2", "city", "description", "hours"):
            if isinstance(data.get(key), str):  # browsers send text areas with CRLF line ends
                data[key] = data[key].replace("\r\n", "\n").strip()
        for number_key, extension_key in (
            ("phone", "phone_extension"),
            ("intake_phone", "intake_phone_extension"),
        ):
            inline = self.inline_extensions.get(number_key)
            if inline and extension_key in data:
                if data[extension_key] and data[extension_key] != inline:
                    self.add_error(
                        extension_key,
                        gettext("The number says extension %(ext)s; this field says another.")
                        % {"ext": inline},
                    )
                else:
                    data[extension_key] = inline
            if data.get(extension_key) and not data.get(number_key):
                self.add_error(extension_key, gettext("An extension needs a phone number."))
        moved = any(data.get(key) != self.current.get(key) for key in LOCATING_FIELDS)
        postal, state = data.get("postal_code"), data.get("state")
        if moved and postal and state:
            found = zip_index().by_zip.get(postal[:5])
            if found is None:
                self.add_error(
                    "postal_code",
                    gettext("We cannot find ZIP code %(zip)s on a map. Check the number.") % {"zip": postal},
                )
            elif found[3] != state:
                self.add_error(
                    "postal_code",
                    gettext("ZIP code %(zip)s is in %(other)s, not %(state)s.")
                    % {"zip": postal[:5], "other": STATES.get(found[3], found[3]), "state": STATES[state]},
                )
        return data

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the facility's today (after is_valid())."""
        proposed: dict[str, Any] = {}
        for key in FIELD_KEYS:
            value = self.cleaned_data.get(key)
            if key == "services":
                value = sorted(value or [])
            elif value is None:
                value = ""
            if value != self.current.get(key):
                proposed[key] = value
        return proposed
