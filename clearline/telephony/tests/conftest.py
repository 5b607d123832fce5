"""Shared personas for telephony tests: a heroin detox helpline and three providers open 24/7 with one line each."""

from __future__ import annotations

import datetime as dt

import pytest

from clearline.content.models import Helpline
from clearline.content.tests.conftest import add_provider
from clearline.routing import Step, next_step
from clearline.telephony import services
from clearline.telephony.models import Call

HELPLINE = "+12065550101"
CALLER = "+12065550177"


@pytest.fixture
def helpline(db) -> Helpline:
    return Helpline.objects.create(label="Heroin Detox", intent="detox", number=HELPLINE)


@pytest.fixture
def providers(db):
    made = []
    for name, phone in (
        ("Alder Recovery", "+12065550131"),
        ("Birch Health", "+12065550132"),
        ("Cedar Care", "+12065550133"),
    ):
        provider = add_provider(name)
        provider.phone, provider.open_24_7, provider.lines = phone, True, 1
        provider.license_expires_on = provider.certification_expires_on = dt.date(
            dt.date.today().year + 5, 1, 1
        )
        provider.save()
        made.append(provider)
    return made


@pytest.fixture
def regional_providers(providers):
    """The three providers, each serving only one area: Alder and Birch Texas, Cedar the ZIP prefix 98052."""
    alder, birch, cedar = providers
    for provider, states, zips in ((alder, ["TX"], []), (birch, ["TX"], []), (cedar, [], ["98052"])):
        provider.states, provider.zip_prefixes = states, zips
        provider.save()
    return providers


def wave_over(call: Call, step_index: int, ending: str, ring_s: int) -> Step:
    """End a wave as the call flow does and return the engine's next step, without preparing it."""
    ended = services.end_wave(call, step_index, services.DialEnd(ending), ring_s)
    return next_step(call.routing_plan, ended.progress, ended.result)


@pytest.fixture
def non_staff_visits(client, django_user_model, login_verified, settings):
    """``non_staff_visits(url)``: GET ``url`` as an anonymous visitor (must be sent to the login page), then as a
    signed-in superuser who is not staff, then as a plain user; returns those two answers for the page's own
    checks (each must be a refusal)."""

    def visit(url: str) -> list:
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(
            settings.WAGTAILADMIN_LOGIN_URL
        )
        editor = django_user_model.objects.create_superuser("editor", "e@example.invalid", "x")
        editor.is_staff = False
        editor.save()
        answers = []
        for person in (editor, django_user_model.objects.create_user("visitor", password="x")):
            login_verified(person)
            answer = client.get(url)
            assert answer.status_code in (302, 403)
            answers.append(answer)
        return answers

    return visit
