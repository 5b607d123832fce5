"""Every page renders for the organisation's members with only its own data, in English and Spanish."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from clearline.portal.queries import caller_tag
from clearline.portal.tests.conftest import ALDER_CALLER, BIRCH_CALLER

pytestmark = pytest.mark.django_db

PAGES = ["portal:dashboard", "portal:calls", "portal:callbacks", "portal:availability", "portal:figures"]

# What differs on every render: CSRF tokens, timestamps to the microsecond (data-due="...T13:10:13.173276-08:00"),
# caller tags. A number's last four digits can occur in them by chance ("0177" in ".301771"), so the check for
# those four digits reads the page without them.
RANDOM_PARTS = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]*"'
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?"
    r"|caller #[0-9a-f]{6}"
)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_renders_for_an_agent_without_any_callers_number(
    client, login_verified, alder, birch, name
):
    login_verified(alder.agent)
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alder Recovery" in html and "Birch Health" not in html
    fixed = RANDOM_PARTS.sub("", html)
    for number in (ALDER_CALLER, BIRCH_CALLER):
        assert number not in html and number[2:] not in html and number[-4:] not in fixed
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_dashboard_shows_todays_calls_the_callback_owed_and_the_status(
    client, login_verified, alder, birch
):
    login_verified(alder.agent)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Open now." in html
    # By row id: "#<pk>" alone can also occur inside a random-looking caller tag ("caller #88a1f0").
    assert f'id="callback-{alder.callback.pk}"' in html
    assert f'id="callback-{birch.callback.pk}"' not in html
    assert "min left" in html
    # Two calls rang Alder today, one was answered.
    assert "50%" in html


def test_the_call_list_masks_the_caller_and_links_the_disclosure_heard(client, login_verified, alder, birch):
    login_verified(alder.agent)
    html = client.get(reverse("portal:calls")).content.decode()
    assert caller_tag(alder.provider.pk, alder.answered_call.caller_hmac) in html
    assert alder.answered_call.caller_hmac[:6] not in html
    assert reverse("portal:disclosure", args=[alder.disclosure.number]) in html
    assert "3:05" in html  # the answered call's duration
    disclosure = client.get(reverse("portal:disclosure", args=[alder.disclosure.number]))
    assert f"Version {alder.disclosure.number}: calls are answered" in disclosure.content.decode()


def test_the_same_caller_has_different_tags_at_different_providers(alder, birch):
    hmac = alder.answered_call.caller_hmac
    assert caller_tag(alder.provider.pk, hmac) != caller_tag(birch.provider.pk, hmac)
    assert caller_tag(alder.provider.pk, "") == "number withheld"


def test_the_call_list_filters_by_outcome_and_date(client, login_verified, alder):
    login_verified(alder.agent)
    answered = client.get(reverse("portal:calls"), {"outcome": "answered"}).content.decode()
    assert answered.count("<tr>") == 2  # header + the answered call
    callbacks = client.get(reverse("portal:calls"), {"outcome": "callback"}).content.decode()
    assert "Callback: open" in callbacks and callbacks.count("<tr>") == 2
    none = client.get(reverse("portal:calls"), {"first": "2020-01-01", "last": "2020-01-02"}).content.decode()
    assert "No calls match." in none
    bad = client.get(reverse("portal:calls"), {"first": "2020-01-05", "last": "2020-01-02"}).content.decode()
    assert "The end date is before the start date." in bad


def test_the_team_page_is_for_administrators_only(client, login_verified, alder):
    login_verified(alder.agent)
    assert client.get(reverse("portal:team")).status_code == 403
    assert reverse("portal:team") not in client.get(reverse("portal:dashboard")).content.decode()
    client.logout()
    login_verified(alder.admin)
    html = client.get(reverse("portal:team")).content.decode()
    assert "alder-agent" in html and alder.invitation.email in html and "birch" not in html


def test_the_pages_speak_spanish_under_es(client, login_verified, alder):
    login_verified(alder.agent)
    response = client.get("/es" + reverse("portal:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="es"' in html and "Llamadas que debe devolver" in html and "quedan" in html


def test_a_member_landing_goes_to_the_dashboard(client, login_verified, alder):
    login_verified(alder.agent)
    assert client.get(reverse("accounts:landing"))["Location"] == reverse("portal:dashboard")


def test_signed_out_visitors_are_sent_to_the_login(client, alder):
    response = client.get(reverse("portal:calls"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_monthly_figures_show_the_providers_month_beside_everyones(client, login_verified, alder, birch):
    login_verified(alder.agent)
    response = client.get(reverse("portal:figures"))
    figures = response.context["figures"]
    assert figures.provider_id == alder.provider.pk
    assert (figures.provider.offered, figures.provider.answered) == (2, 1)
    assert (figures.totals.offered, figures.totals.answered) == (4, 2)
    assert figures.provider.callbacks_assigned == 1
    html = response.content.decode()
    assert "Previous month" in html and "Next month" not in html
    earlier = client.get(reverse("portal:figures"), {"month": "2020-02"})
    assert earlier.context["figures"].provider.offered == 0 and "Next month" in earlier.content.decode()
    bad = client.get(reverse("portal:figures"), {"month": "2020-13"})
    assert bad.status_code == 200 and "Choose a month as YYYY-MM." in bad.content.decode()
