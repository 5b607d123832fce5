"""No organisation reaches another's data, and nobody else reaches any.

The walk finds every URL in the "portal" namespace through the URL resolver, so a page added later (listings
included) is covered without touching this file, unless it takes an id of a new kind: then the walk fails and
asks for a line in ``OTHER_ORGS_ID``. Each persona sends GET and POST with the other organisation's ids; the
answer must be 404 (403 for an agent on an administrators' page, 405 for the wrong method), the same as for an
id that exists nowhere, and no row anywhere (the audit log included) may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from clearline.portal.tests.conftest import Org

pytestmark = pytest.mark.django_db

OTHER_ORGS_ID: dict[str, Callable[[Org], int]] = {
    "callback_id": lambda org: org.callback.pk,
    "closure_id": lambda org: org.closure.pk,
    "invitation_id": lambda org: org.invitation.pk,
    "membership_id": lambda org: org.agent_membership.pk,
    "number": lambda org: org.disclosure.number,
    "facility_id": lambda org: org.extra["facility"].pk,
    "edit_id": lambda org: org.extra["edit"].pk,
}
NOWHERE = 987654

# Valid-looking input for every form, so that a write missing its scoping would succeed and show up.
POST_DATA = {
    "seen": "0",
    "outcome": "reached",
    "lines": "7",
    "beds": "9",
    "date": f"{dt.date.today().year + 5}-06-01",
    "reason": "x",
    "email": "intruder@example.org",
    "role": "admin",
    "d0_0_opens": "01:00",
    "d0_0_closes": "02:00",
    "name": "Renamed by another organisation",
    "note": "x",
}


def portal_routes() -> Iterator[tuple[str, tuple[str, ...]]]:
    """(name, id kwargs) of every URL pattern in the portal namespace."""

    def walk(patterns: list[Any], namespaces: tuple[str, ...], kwargs: tuple[str, ...]) -> Iterator[Any]:
        for pattern in patterns:
            names = tuple(getattr(pattern.pattern, "converters", {})) or tuple(
                pattern.pattern.regex.groupindex
            )
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern.url_patterns, inner, kwargs + names)
            elif isinstance(pattern, URLPattern) and "portal" in namespaces:
                assert pattern.name, f"portal pattern {pattern.pattern} needs a name"
                yield pattern.name, kwargs + names

    yield from walk(get_resolver().url_patterns, (), ())


def database_state() -> dict[str, list[dict[str, Any]]]:
    """Every row of every Clearline model (the audit log, calls, providers, listings...) and of the users."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model.__module__.startswith("clearline.") or model is get_user_model()
    }


def add_listing(org: Org) -> None:
    from clearline.directory.models import Facility, Organization
    from clearline.portal.models import ListingEdit, ProviderListing

    organisation = Organization.objects.create(name=f"{org.provider.name} Inc")
    facility = Facility.objects.create(
        organization=organisation,
        name=f"{org.provider.name} House",
        city="Seattle",
        state="WA",
        postal_code="98101",
        source="test",
        source_id=org.provider.slug,
    )
    ProviderListing.objects.create(provider=org.provider, facility=facility)
    edit = ListingEdit.objects.create(
        provider=org.provider,
        facility=facility,
        changes={"name": "New name"},
        before={"name": facility.name},
        submitted_by=org.agent,
        submitted_at=timezone.now(),
    )
    org.extra.update(facility=facility, edit=edit)


def url_for(name: str, kwargs: tuple[str, ...], org: Org | None) -> str:
    values = {}
    for kwarg in kwargs:
        if kwarg not in OTHER_ORGS_ID:
            pytest.fail(f"portal:{name} takes {kwarg}: add another organisation's {kwarg} to OTHER_ORGS_ID")
        values[kwarg] = OTHER_ORGS_ID[kwarg](org) if org is not None else NOWHERE
    return reverse(f"portal:{name}", kwargs=values)


def test_no_persona_reaches_another_organisations_objects(login_verified, alder, birch, operator, outsider):
    for org in (alder, birch):
        add_listing(org)
    routes = list(portal_routes())
    assert {"dashboard", "calls", "callbacks", "callback_reveal", "team", "figures"} <= {n for n, _ in routes}
    members = [(alder.admin, birch), (alder.agent, birch), (birch.admin, alder), (birch.agent, alder)]
    strangers = [(operator, alder), (outsider, alder), (operator, birch)]
    clients = {}
    for user, _org in members + strangers:
        clients[user.pk] = login_verified(user, on=Client())
    anonymous = Client()
    mail.outbox.clear()
    before = database_state()

    checked = 0
    for name, kwargs in routes:
        for method in ("get", "post"):
            for user, other in members:
                if not kwargs:
                    continue  # a page without ids is the member's own organisation's page
                client = clients[user.pk]
                response = getattr(client, method)(url_for(name, kwargs, other), POST_DATA)
                control = getattr(client, method)(url_for(name, kwargs, None), POST_DATA)
                where = f"{method.upper()} portal:{name} as {user.username} with {other.provider.name}'s ids"
                assert response.status_code in (403, 404, 405), where
                assert response.status_code == control.status_code, f"{where}: differs from a missing id"
                checked += 1
            for user, other in strangers:
                response = getattr(clients[user.pk], method)(url_for(name, kwargs, other), POST_DATA)
                assert response.status_code == 404, f"{method.upper()} portal:{name} as {user.username}"
                checked += 1
            response = getattr(anonymous, method)(url_for(name, kwargs, alder), POST_DATA)
            assert response.status_code == 302, f"{method.upper()} portal:{name} signed out"
            assert response["Location"].startswith(reverse("accounts:login"))

    assert database_state() == before
    assert mail.outbox == []
    assert checked > 100


def test_the_walk_covers_urls_with_ids_of_every_kind():
    kinds = {kwarg for _name, kwargs in portal_routes() for kwarg in kwargs}
    assert kinds <= set(OTHER_ORGS_ID), kinds - set(OTHER_ORGS_ID)
    assert {"callback_id", "closure_id", "invitation_id", "membership_id", "number"} <= kinds
