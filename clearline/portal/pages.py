"""What every portal view shares: rendering with the member's context, and applying a form through a service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearline.portal.access import Member


def render_page(
    request: HttpRequest, member: Member, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {
        "member": member,
        "provider": member.provider,
        # "portal/team.html" is the team section; "portal/listings/edit.html" the listings section.
        "portal_section": template.removeprefix("portal/").split("/")[0].removesuffix(".html"),
    }
    return render(request, template, {**base, **context}, status=status)


def apply_form(request: HttpRequest, form: Any, write: Any) -> bool:
    """Run ``write`` if the form is valid; a service's ValidationError becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
