"""The operators' figures dashboard: staff only, filters explained when wrong, every chart's table and CSV, formula-
safe cells, and never a caller's number or keyed hash. Calls: ``test_month_calls.november``."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from clearline.content.models import Helpline
from clearline.providers.models import Provider
from clearline.reports.tests.test_month_calls import HMAC, NOW, november  # noqa: F401 (fixture)
from clearline.telephony.models import Call
from clearline.telephony.tests.conftest import non_staff_visits  # noqa: F401 (fixture)
from conftest import assert_errors_tied

pytestmark = pytest.mark.django_db
NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
SLUGS = ["headline", "by-hour", "by-day", "shares", "no-provider", "callbacks"]


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def staff(client, django_user_model, login_verified):
    login_verified(django_user_model.objects.create_superuser("olivia", "olivia@example.invalid", "x"))
    return client


def tables(response) -> dict[str, dict[str, list[str]]]:
    """Each chart's table (by its section's heading id): row header -> cells."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    found = {}
    for section in soup.select("section.figures-section"):
        table = section.find("table")
        if table is None:
            continue
        rows = {
            tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in table.tbody.find_all("tr")
            if tr.th
        }
        found[section["aria-labelledby"].removeprefix("figures-").removesuffix("-heading")] = rows
    return found


def test_anonymous_and_non_staff_are_refused(non_staff_visits, november):  # noqa: F811
    for answer in non_staff_visits(reverse("reports_figures") + "?csv=headline"):
        assert (
            b"Helpline calls ended" not in answer.content
            and b"text/csv" not in answer.get("Content-Type", "").encode()
        )


def test_dashboard_tables_charts_and_no_caller(staff, november):  # noqa: F811
    response = staff.get(reverse("reports_figures"), NOVEMBER)
    assert response.status_code == 200
    html = response.content.decode()
    assert HMAC not in html and HMAC[:8] not in html
    assert "reports/vendor/chart.umd.min.js" in html and "reports/figures_charts.js" in html
    assert html.count("<canvas") == 6 and all(f'id="figures-data-{slug}"' in html for slug in SLUGS)
    found = tables(response)
    headline = found["headline"]
    assert headline["Helpline calls ended"] == ["9"] and headline["Answered by a provider"] == ["2"]
    assert headline["Answer rate"] == ["22.2%"] and headline[
        "Abandonment (hung up before reaching a person)"
    ] == ["11.1%"]
    assert headline["Service level (answered within 20 seconds)"] == ["11.1%"]
    assert headline["Average seconds to answer"] == ["22.5"] and headline[
        "90th percentile seconds to answer"
    ] == ["30.0"]
    assert found["by-day"]["2026-11-01"] == ["3", "2", "0"] and found["by-day"]["2026-11-07"] == [
        "0",
        "0",
        "1",
    ]
    assert found["by-hour"]["01:00"] == ["2", "2", "0"]  # both 01:30s of the day the clocks fell back
    assert found["shares"]["Alder Recovery"] == ["3", "2", "100.0%", "50.0%", "50.0%"]
    assert found["no-provider"]["All calls that reached no provider"] == ["7"]
    assert found["callbacks"]["Returned late"] == ["1"] and found["callbacks"][
        "Reassigned to another provider"
    ] == ["1"]


def test_one_provider_and_one_number(staff, november):  # noqa: F811
    alder = november[0]
    found = tables(staff.get(reverse("reports_figures"), {**NOVEMBER, "provider": alder.pk}))
    assert found["headline"]["Helpline calls ended"] == ["3"]  # the calls it was rung for
    assert found["headline"]["Service level (answered within 20 seconds)"] == [
        "66.7%"
    ]  # 15 s and 20 s on its clock
    assert list(found["shares"]) == ["Alder Recovery", "Birch Health"]  # shares stay over every call
    number = Helpline.objects.create(label="Heroin Detox", intent="detox", number="+12065550100")
    first_day = Call.objects.filter(started_at__lt=dt.datetime(2026, 11, 2, 5, tzinfo=dt.UTC))
    first_day.update(helpline=number)
    found = tables(staff.get(reverse("reports_figures"), {**NOVEMBER, "helpline": number.pk}))
    assert found["headline"]["Helpline calls ended"] == [
        "3"
    ]  # 1 November's calls (and 31 October's, outside)
    assert found["by-day"]["2026-11-01"] == ["3", "2", "0"] and found["by-day"]["2026-11-02"] == [
        "0",
        "0",
        "0",
    ]


def test_every_chart_downloads_as_formula_safe_csv(staff, november):  # noqa: F811
    Provider.objects.filter(pk=november[0].pk).update(name="=HYPERLINK(1)")
    for slug in SLUGS:
        response = staff.get(reverse("reports_figures"), {**NOVEMBER, "csv": slug})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        text = response.content.decode()
        assert HMAC not in text and HMAC[:8] not in text
        rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows for cell in row]
        assert len(rows) > 1 and not any(c.startswith(("=", "+", "@")) for c in cells)
        assert all(c[1:].replace(".", "").rstrip("%").isdigit() for c in cells if c.startswith("-"))
    shares = staff.get(reverse("reports_figures"), {**NOVEMBER, "csv": "shares"}).content.decode()
    assert "'=HYPERLINK(1)" in shares and "Birch Health,4,0,0.0%,50.0%,-50.0%" in shares  # a number stays one
    assert staff.get(reverse("reports_figures"), {**NOVEMBER, "csv": "nothing"}).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "Enter a day as YYYY-MM-DD"),
        ({"start": "2026-11-30", "end": "2026-11-01"}, "The first day is after the last day"),
        (
            {"start": "2025-01-01", "end": "2026-11-30"},
            "Pick at most 366 days at a time (this range has 699).",
        ),
        ({"provider": "abc"}, "Select a valid choice"),
    ],
)
def test_bad_filters_are_explained_and_show_no_figures(staff, query, message):
    response = staff.get(reverse("reports_figures"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and "<canvas" not in html
    assert_errors_tied(
        html, *(name for name in ("start", "provider") if name in query and "end" not in query)
    )
    assert staff.get(reverse("reports_figures"), {**query, "csv": "headline"})["Content-Type"].startswith(
        "text/html"
    )


def test_staff_find_it_in_the_wagtail_menu(django_user_model):
    from django.test import RequestFactory
    from wagtail import hooks

    from clearline.reports.wagtail_hooks import register_figures_menu_item

    assert register_figures_menu_item in hooks.get_hooks("register_admin_menu_item")
    item = register_figures_menu_item()
    request = RequestFactory().get("/")
    request.user = django_user_model(username="s", is_staff=True)
    assert item.url == reverse("reports_figures") and item.is_shown(request)
    request.user = django_user_model(username="m", is_staff=False)
    assert not item.is_shown(request)
