"""The routing settings form's "What if?" button: the last 30 days replayed with the form's values, beside what
happened, above the same form; nothing saved. Staff with the second factor only, as the rest of the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from clearline.providers.routing_settings import RoutingSettings
from clearline.providers.tests.conftest import wagtail_root  # noqa: F401 (a fixture)
from clearline.providers.tests.test_back_office import routing_form
from clearline.telephony.tests.test_replay import month  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wagtail_root")]

URL = "/admin/routing_settings/new/"


def form(**changes):
    """The new routing settings form's fields, with the "What if?" button pressed."""
    return routing_form(**{"what_if": "1", **changes})


@pytest.fixture
def staff(client, django_user_model, login_verified):
    user = django_user_model.objects.create_superuser("olivia", "olivia@example.invalid", "x")
    login_verified(user)
    return user


def test_the_form_has_the_button_and_the_replay_shows_beside_what_happened(client, staff, month):  # noqa: F811
    page = client.get(URL).content.decode()
    assert 'name="what_if"' in page
    answer = client.post(URL, form(wave_size=1))
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "What if: the last 30 days with these values" in html
    assert "9 general helpline calls; 9 planned again" in html
    for provider in month:
        assert provider.name in html
    assert "First-wave share (%): what if" in html and "answered or returned (%)" in html
    assert answer.context["form"]["wave_size"].value() == "1"  # the values stay in the form
    assert not RoutingSettings.objects.exists()  # nothing saved, and no reason needed


def test_the_shipped_values_give_the_recorded_plans(client, staff, month):  # noqa: F811
    html = client.post(URL, form()).content.decode()
    assert "9 of 9 would get the plan they got" in html


def test_bad_values_are_explained_and_nothing_is_replayed(client, staff, month):  # noqa: F811
    answer = client.post(URL, form(ring_timeout_s=30))
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Ring each wave for 5 to 20 seconds" in html
    assert "What if: the last" not in html
    assert not RoutingSettings.objects.exists()


def test_saving_still_needs_a_reason(client, staff, month):  # noqa: F811
    data = form(wave_size=1)
    del data["what_if"]
    assert "This field is required." in client.post(URL, data).content.decode()
    data["note"] = "one at a time"
    assert client.post(URL, data).status_code == 302
    assert RoutingSettings.objects.get().wave_size == 1


def test_only_signed_in_staff_with_the_second_factor_and_the_permission_replay(
    client,
    django_user_model,
    login_verified,
    month,  # noqa: F811
):
    anonymous = client.post(URL, form(wave_size=1))
    assert anonymous.status_code == 302 and "What if" not in anonymous.content.decode()
    boss = django_user_model.objects.create_superuser("boss", "b@example.invalid", "x")
    client.force_login(boss)  # no second factor
    unverified = client.post(URL, form(wave_size=1))
    assert unverified.status_code == 302
    editor = django_user_model.objects.create_user("edith", "e@example.invalid", "x", is_staff=True)
    group = Group.objects.create(name="editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    login_verified(editor)
    refused = client.post(URL, form(wave_size=1))
    assert refused.status_code in (302, 403) and "What if: the last" not in refused.content.decode()
    outsider = django_user_model.objects.create_superuser("sam", "s@example.invalid", "x")
    outsider.is_staff = False
    outsider.save()
    login_verified(outsider)
    not_staff = client.post(URL, form(wave_size=1))
    assert not_staff.status_code in (302, 403) and "What if: the last" not in not_staff.content.decode()


def test_a_busy_month_replays_its_most_recent_days_that_fit(month, monkeypatch):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    from clearline.telephony import what_if_admin
    from clearline.telephony.models import Call

    today = timezone.localdate(timezone.now(), timezone.get_default_timezone())
    calls = Call.objects.filter(number_kind="helpline").count()
    assert calls > 1 and what_if_admin.days_that_fit(30, today) == 30
    monkeypatch.setattr(what_if_admin, "MAX_CALLS", calls - 1)  # today's calls alone pass it
    assert what_if_admin.days_that_fit(30, today) == 1
    assert what_if_admin.days_that_fit(30, today + dt.timedelta(days=2)) == 2  # two empty days, then today's
