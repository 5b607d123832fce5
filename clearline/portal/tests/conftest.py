"""Personas for portal tests: two provider organisations (Alder, Birch), each with an administrator and an agent,
each with its own calls, callbacks, closures and invitations; an operator (staff, no membership) and an outsider
(a plain user). Everything is built explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from clearline.content.models import DisclosureVersion
from clearline.content.tests.conftest import add_provider
from clearline.lib.phone import caller_hmac, encrypt_number
from clearline.providers.accounts import Invitation, Membership, MembershipRole, hash_invitation_token
from clearline.providers.models import ClosureDay, Provider
from clearline.telephony.models import Attempt, AttemptStatus, Call, CallbackRequest, CallOutcome

ALDER_CALLER = "+12065550177"
BIRCH_CALLER = "+12065550188"


@dataclass
class Org:
    provider: Provider
    admin: Any
    agent: Any
    answered_call: Call
    callback: CallbackRequest
    closure: ClosureDay
    invitation: Invitation
    disclosure: DisclosureVersion
    caller: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def admin_membership(self) -> Membership:
        return self.admin.provider_membership

    @property
    def agent_membership(self) -> Membership:
        return self.agent.provider_membership


def make_user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="correct horse battery", **extra
    )


def make_call(
    sid: str, provider: Provider, *, caller: str, disclosure: DisclosureVersion, answered: bool
) -> Call:
    now = timezone.now()
    call = Call.objects.create(
        call_sid=sid,
        number_kind="helpline",
        caller_hmac=caller_hmac(caller),
        disclosure_version=disclosure,
        outcome=CallOutcome.CONNECTED if answered else CallOutcome.CALLBACK,
        connected_provider=provider if answered else None,
        answered_at=now if answered else None,
        duration_s=185 if answered else None,
    )
    Attempt.objects.create(
        call=call,
        step_index=1,
        provider=provider,
        status=AttemptStatus.ACCEPTED if answered else AttemptStatus.NO_ANSWER,
        answered_at=now if answered else None,
    )
    return call


def make_callback(
    provider: Provider, *, sid: str, caller: str, disclosure: DisclosureVersion
) -> CallbackRequest:
    call = make_call(sid, provider, caller=caller, disclosure=disclosure, answered=False)
    return CallbackRequest.objects.create(
        call=call,
        provider=provider,
        due_at=timezone.now() + dt.timedelta(minutes=15),
        encrypted_number=encrypt_number(caller),
    )


def disclosure_version() -> DisclosureVersion:
    # The next free number: in transactional (browser) tests, adding a provider has already stored one.
    number = (DisclosureVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    return DisclosureVersion.objects.create(
        number=number,
        template_version="t1",
        roster=[],
        content_hash=f"{number:064d}",
        text_en=f"Version {number}: calls are answered by participating providers.",
        text_es=f"Versión {number}: responden proveedores participantes.",
        spoken_en="",
        spoken_es="",
    )


def make_org(name: str, slug: str, caller: str) -> Org:
    provider = add_provider(name)
    provider.open_24_7 = True
    provider.phone = "+12065550131" if slug == "alder" else "+12065550132"
    provider.license_expires_on = provider.certification_expires_on = dt.date(dt.date.today().year + 5, 1, 1)
    provider.timezone = "America/Los_Angeles" if slug == "alder" else "America/Chicago"
    provider.save()
    admin = make_user(f"{slug}-admin")
    agent = make_user(f"{slug}-agent")
    Membership.objects.create(user=admin, provider=provider, role=MembershipRole.ADMIN)
    Membership.objects.create(user=agent, provider=provider, role=MembershipRole.AGENT)
    disclosure = disclosure_version()
    answered = make_call(f"CA-{slug}-1", provider, caller=caller, disclosure=disclosure, answered=True)
    callback = make_callback(provider, sid=f"CA-{slug}-2", caller=caller, disclosure=disclosure)
    closure = ClosureDay.objects.create(
        provider=provider, date=timezone.localdate() + dt.timedelta(days=30), reason="Staff day"
    )
    invitation = Invitation.objects.create(
        provider=provider,
        email=f"new-{slug}@example.org",
        role=MembershipRole.AGENT,
        token_hash=hash_invitation_token(f"token-{slug}"),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return Org(provider, admin, agent, answered, callback, closure, invitation, disclosure, caller)


@pytest.fixture
def alder(db) -> Org:
    return make_org("Alder Recovery", "alder", ALDER_CALLER)


@pytest.fixture
def birch(db) -> Org:
    return make_org("Birch Health", "birch", BIRCH_CALLER)


@pytest.fixture
def operator(db) -> Any:
    return make_user("operator", is_staff=True)


@pytest.fixture
def outsider(db) -> Any:
    return make_user("outsider")
