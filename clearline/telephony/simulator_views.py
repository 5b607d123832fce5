"""The staff-only call simulator page: a form, then every step of one pretend call (``simulation.py``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from clearline.content.models import Helpline, HelplineKind
from clearline.lib.phone import InvalidPhoneNumber, normalize_e164
from clearline.providers.models import Provider
from clearline.telephony.models import CallOutcome
from clearline.telephony.simulation import FACILITY, SimulatedCall, SimulationError, simulate_call
from clearline.telephony.twilio.action_urls import origin_of

DEFAULT_CALLER = "+12065550177"  # fictional (555-01xx)
DEFAULT_STATE = "WA"
BEHAVIOUR_CHOICES = [
    ("accept", _("answers and presses 1 (accepts)")),
    ("no-answer", _("does not answer")),
    ("busy", _("is busy")),
    ("voicemail", _("voicemail answers (nobody presses 1)")),
]
MENU_CHOICES = [
    ("", _("presses nothing")),
    ("9", _("presses 9: the crisis line")),
    ("0", _("presses 0: the free national helpline")),
    ("2", _("presses 2: Spanish, then nothing")),
]
PROVIDER_PREFIX = "provider_"


class HelplineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = _("listing number") if obj.kind == HelplineKind.LISTING else _("general helpline")
        return f"{obj.label}: {obj.number} ({kind})"


class SimulatorForm(forms.Form):
    number = HelplineChoiceField(
        label=_("Number called"),
        queryset=Helpline.objects.order_by("kind", "label", "number"),
        to_field_name="number",
        empty_label=None,
    )
    caller = forms.CharField(
        label=_("Caller's number"),
        required=False,
        max_length=32,
        initial=DEFAULT_CALLER,
        help_text=_(
            "Use a fictional number (555-01xx). Left empty: a fictional number. It is masked on this page and "
            "nothing the simulation writes is kept."
        ),
    )
    withheld = forms.BooleanField(label=_("Caller ID withheld"), required=False)
    caller_state = forms.CharField(
        label=_("Caller's state"),
        required=False,
        max_length=2,
        initial=DEFAULT_STATE,
        help_text=_("Two letters, as Twilio reports it (FromState), e.g. WA. Empty: unknown."),
    )
    menu_digit = forms.ChoiceField(
        label=_("During the greeting, the caller"), choices=MENU_CHOICES, required=False
    )
    callback = forms.BooleanField(
        label=_("The caller presses 1 when offered a callback"), required=False, initial=True
    )
    facility = forms.ChoiceField(
        label=_("The listed facility (listing numbers only)"), choices=BEHAVIOUR_CHOICES, initial="accept"
    )

    def __init__(self, *args: Any, providers: list[Provider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = providers
        for provider in providers:
            self.fields[f"{PROVIDER_PREFIX}{provider.pk}"] = forms.ChoiceField(
                label=provider.name, choices=BEHAVIOUR_CHOICES, initial="accept"
            )

    def provider_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(PROVIDER_PREFIX)]

    def clean_caller(self) -> str:
        raw = self.cleaned_data.get("caller", "").strip()
        if not raw:
            return DEFAULT_CALLER
        try:
            return normalize_e164(raw)
        except InvalidPhoneNumber:
            # The message never repeats the number.
            raise forms.ValidationError(
                _("Enter a phone number Twilio could report, e.g. +1 206 555 0100.")
            ) from None

    def clean_caller_state(self) -> str:
        state = self.cleaned_data.get("caller_state", "").strip().upper()
        if state and not (len(state) == 2 and state.isascii() and state.isalpha()):
            raise forms.ValidationError(_("Enter two letters, e.g. WA, or leave it empty."))
        return state

    def simulation_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        behaviours = {str(p.pk): data[f"{PROVIDER_PREFIX}{p.pk}"] for p in self.providers}
        behaviours[FACILITY] = data["facility"]
        return {
            "number": data["number"].number,
            "caller": "anonymous" if data["withheld"] else data["caller"],
            "caller_state": data["caller_state"],
            "behaviours": behaviours,
            "menu_digit": data["menu_digit"],
            "callback": data["callback"],
        }

    def initial_for_next_run(self) -> dict[str, Any]:
        """The choices just made, for the form under the results; the caller's number is not repeated."""
        initial = {name: value for name, value in self.cleaned_data.items() if name != "caller"}
        initial["number"] = self.cleaned_data["number"].pk
        initial["caller"] = ""
        return initial


def pretty_json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


@method_decorator(never_cache, name="dispatch")
@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
@method_decorator(staff_member_required(login_url=settings.WAGTAILADMIN_LOGIN_URL), name="dispatch")
class SimulatorView(WagtailAdminTemplateMixin, TemplateView):
    """GET: the form. POST: run one pretend call through the real call flow and show every step. In the Wagtail
    admin's layout (staff only; not the public site with its paid helpline bar)."""

    template_name = "telephony/simulator.html"
    page_title = _("Call simulator")
    header_icon = "mobile-alt"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        return [*self.breadcrumbs_items, {"url": "", "label": _("Call simulator")}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        providers = list(Provider.objects.participating())
        return self.render_to_response(self._context(SimulatorForm(providers=providers), providers))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        providers = list(Provider.objects.participating())
        result: SimulatedCall | None = None
        error = ""
        form = SimulatorForm(request.POST, providers=providers)
        if form.is_valid():
            try:
                result = simulate_call(**form.simulation_arguments(), origin=origin_of(request))
            except SimulationError as exc:
                error = str(exc)
            else:
                form = SimulatorForm(initial=form.initial_for_next_run(), providers=providers)
        if form.is_bound and isinstance(form.data, QueryDict):
            # Shown again with its errors, but without the number typed in.
            data = form.data.copy()
            data["caller"] = ""
            form.data = data
        return self.render_to_response(self._context(form, providers, result, error))

    def _context(
        self,
        form: SimulatorForm,
        providers: list[Provider],
        result: SimulatedCall | None = None,
        error: str = "",
    ) -> dict[str, Any]:
        context = self.get_context_data(form=form, result=result, error=error, providers=providers)
        if result is not None and result.call is not None:
            context.update(
                outcome_label=CallOutcome(result.call.outcome).label,
                plan_json=pretty_json(result.call.plan),
                trace_json=pretty_json(result.call.trace),
            )
        return context


simulator = SimulatorView.as_view()
