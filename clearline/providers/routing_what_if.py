"""The "What if?" button of the new routing settings version form.

The button posts the same form with ``what_if``: its values are checked as for saving (no reason needed, and an
unchanged version is allowed) and, when valid, replayed over the recorded calls of the last 30 days; the page
answers with the same form, its values kept, and the replay's table above it. Nothing is saved. The replay reads
call records, which live in telephony, a layer above this one: telephony registers the function under the Wagtail
hook ``WHAT_IF_HOOK`` (``telephony.what_if_admin``), which takes the request and the unsaved settings and returns
the table's HTML. Without it the button is not shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from wagtail import hooks

WHAT_IF_HOOK = "clearline_routing_settings_what_if"
WHAT_IF_BUTTON = "what_if"


class WhatIfMixin:
    """For the routing settings create view (a Wagtail ``generic.CreateView``) with a form taking ``what_if``."""

    what_if: Any = None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        replays = hooks.get_hooks(WHAT_IF_HOOK)
        if WHAT_IF_BUTTON not in request.POST or not replays:
            return super().post(request, *args, **kwargs)  # type: ignore[misc]
        view: Any = self
        view.object = None
        form = view.get_form_class()(**view.get_form_kwargs(), what_if=True)
        if form.is_valid():
            self.what_if = replays[0](request, form.save(commit=False))
        else:
            messages.error(request, _("The what-if needs valid settings: see the fields below."))
        view.form = form
        return view.render_to_response(view.get_context_data(form=form))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["what_if"] = self.what_if
        context["what_if_button"] = WHAT_IF_BUTTON if hooks.get_hooks(WHAT_IF_HOOK) else None
        return context
