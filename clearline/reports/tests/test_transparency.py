"""The public transparency page and its CSV: every provider's month, as monthly_figures counts it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from clearline.content.tests.conftest import add_provider
from clearline.lib.pagecache import current_generation
from clearline.providers.models import Provider
from clearline.reports import tasks
from clearline.reports.daily import compute_daily_figures
from clearline.reports.figures import monthly_figures
from clearline.reports.models import DailyTotals
from clearline.reports.tests.conftest import make_call, make_callback
from clearline.reports.transparency import published_month
from clearline.telephony.models import Call, CallbackRequest

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Operator's zone is America/New_York: 20 November 2026 there. The latest finished month is October 2026.
NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
CALLER_HMAC = "c0ffee" * 10 + "beef"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Every clock in the process (the views, the figures, the page cache's date) reads NOW."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def at(month: int, day: int, hour: int = 15, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def october(providers):
    """Alder and Birch offered six calls each in October, Cedar two (too few to compare); one September call."""
    alder, birch, cedar = providers
    make_call(at(9, 20), [(alder, "accepted", 5)])  # September: the first month with figures
    for day, seconds in enumerate([4, 6, 9, 12, 30], start=1):
        make_call(at(10, day), [(alder, "accepted", seconds)])
    call = make_call(at(10, 6), [(alder, "no-answer", None), (birch, "no-answer", None)])
    make_callback(call, alder, created_at=at(10, 6, 15, 2), due_in_min=30, closed_after_min=20)
    for day, seconds in zip(range(7, 12), [3, 5, 7, 11, 13], strict=True):
        make_call(at(10, day), [(birch, "accepted", seconds)])
    call = make_call(at(10, 12), [(cedar, "no-answer", None)])
    make_callback(call, cedar, created_at=at(10, 12, 15, 2), due_in_min=30, closed_after_min=45)
    make_call(at(10, 13), [(cedar, "accepted", 8)])
    make_call(at(11, 2), [(alder, "accepted", 5)])  # November: not published before it is over
    Call.objects.update(caller_hmac=CALLER_HMAC)
    return providers


def compute_october() -> None:
    day = dt.date(2026, 9, 1)
    while day < dt.date(2026, 11, 1):
        compute_daily_figures(day, now=NOW)
        day += dt.timedelta(days=1)


def table(response) -> dict[str, list[str]]:
    """The figures table: row header -> its cells' text."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    rows = {}
    for tr in soup.select("table.figures-table tbody tr, table.figures-table tfoot tr"):
        rows[tr.th.get_text(strip=True)] = [td.get_text(strip=True) for td in tr.find_all("td")]
    return rows


def percent(share: float | None) -> str:
    assert share is not None
    return f"{round(share * 100, 1):g}%"


def seconds(value: float | None) -> str:
    return "none answered" if value is None else f"{value:g}"


def expected_cells(figures, share: float | None, *, withheld: bool) -> list[str]:
    rates = (
        ["too few calls"] * 3
        if withheld
        else [percent(figures.answer_rate), seconds(figures.median_answer_s), seconds(figures.p90_answer_s)]
    )
    return [
        str(figures.offered),
        str(figures.answered),
        *rates,
        str(figures.callbacks_assigned),
        str(figures.callbacks_on_time),
        str(figures.callbacks_late),
        str(figures.callbacks_open),
        str(figures.callbacks_not_returned),
        "too few calls" if withheld else percent(share),
    ]


@pytest.mark.parametrize("stored", [True, False], ids=["stored-daily-rows", "live-from-calls"])
def test_each_providers_row_equals_its_monthly_figures(client, october, stored):
    if stored:
        compute_october()
    cells = table(client.get("/transparency/"))
    for provider in october:
        figures = monthly_figures(provider.pk, 2026, 10, now=NOW)
        withheld = figures.provider.offered < 5
        assert cells[provider.name] == expected_cells(
            figures.provider, figures.connected_share, withheld=withheld
        ), provider.name
    totals = monthly_figures(october[0].pk, 2026, 10, now=NOW).totals
    assert cells["All providers"] == expected_cells(totals, 1.0, withheld=False)
    assert list(cells) == ["Alder Recovery", "Birch Health", "Cedar Care", "All providers"]


def test_the_numbers_are_the_ones_counted(client, october):
    compute_october()
    cells = table(client.get("/transparency/"))
    # Alder: 6 offered, 5 answered in [4, 6, 9, 12, 30] s; one callback returned on time; 5 of 11 connected.
    assert cells["Alder Recovery"] == ["6", "5", "83.3%", "9", "30", "1", "1", "0", "0", "0", "45.5%"]
    # Cedar: 2 offered: counts shown, rates withheld; its late callback still counts.
    assert cells["Cedar Care"] == ["2", "1", *["too few calls"] * 3, "1", "0", "1", "0", "0", "too few calls"]
    assert cells["All providers"][:2] == ["13", "11"]


def test_a_provider_that_has_left_still_has_its_row(client, october):
    Provider.objects.filter(name="Cedar Care").update(active=False)
    assert "Cedar Care" in table(client.get("/transparency/"))


def test_the_small_count_rule_is_stated_and_applies_to_the_total(client, providers):
    alder = providers[0]
    for day in (1, 2, 3, 4):
        make_call(at(10, day), [(alder, "accepted", 5)])
    response = client.get("/transparency/")
    assert "fewer than 5 calls in a month" in response.content.decode()
    assert table(response)["All providers"][:4] == ["4", "4", "too few calls", "too few calls"]
    make_call(at(10, 5), [(alder, "accepted", 5)])
    assert table(client.get("/transparency/"))["Alder Recovery"][:3] == ["5", "5", "100%"]


def test_the_month_picker_offers_every_finished_month_with_figures(client, october):
    soup = BeautifulSoup(client.get("/transparency/").content.decode(), "html.parser")
    options = [
        (o["value"], o.get_text(strip=True), o.has_attr("selected")) for o in soup.select("select option")
    ]
    assert options == [("2026-10", "October 2026", True), ("2026-09", "September 2026", False)]
    assert soup.select_one("form.month-picker")["method"] == "get"

    response = client.get("/transparency/", {"month": "2026-09"})
    assert response.status_code == 302 and response["Location"] == "/transparency/2026-09/"
    september = client.get("/transparency/2026-09/")
    assert table(september)["Alder Recovery"][:2] == ["1", "1"]
    assert "Birch Health" not in table(september)
    assert client.get("/es/transparency/", {"month": "2026-09"})["Location"] == "/es/transparency/2026-09/"


def test_the_month_in_progress_is_not_shown_and_the_page_says_when_it_will_be(client, october):
    page = client.get("/transparency/").content.decode()
    assert "The figures for November 2026 will appear here on Dec. 1, 2026" in page
    response = client.get("/transparency/2026-11/")
    assert response.status_code == 404
    assert "The figures for November 2026 will appear here on Dec. 1, 2026" in response.content.decode()
    assert client.get("/transparency/2026-11.csv").status_code == 404


def test_a_month_without_calls_says_so(client, db):
    response = client.get("/transparency/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "No general helpline calls were offered to any provider in October 2026" in page
    assert "<table" not in page
    rows = list(csv.reader(io.StringIO(client.get("/transparency/2026-10.csv").content.decode())))
    assert rows[1:] == [["2026-10", "total", "", "0", "0", "", "", "", "0", "0", "0", "0", "0", "", "yes"]]


@pytest.mark.parametrize(
    "path",
    [
        "/transparency/2026-13/",
        "/transparency/2026-00/",
        "/transparency/0000-01/",
        "/transparency/26-10/",
        "/transparency/2026-1/",
        "/transparency/october/",
        "/transparency/2026-10-01/",
        "/transparency/9999-12/",
        "/transparency/2026-08/",  # before the first month with figures
        "/transparency/2026-12/",  # not begun
        "/transparency/2026-13.csv",
        "/transparency/%3Cb%3E.csv",
        "/transparency/9999-12.csv",
        "/transparency/?month=2026-13",
        "/transparency/?month=",
        "/es/transparency/2026-13/",
    ],
)
def test_bad_months_answer_a_clear_404_page(client, october, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "No figures for this month" in page or "No hay cifras para este mes" in page
    assert 'href="/transparency/"' in page or 'href="/es/transparency/"' in page
    assert "<b>" not in page.split("<main", 1)[1]


def test_the_csv_is_the_same_table(client, october):
    compute_october()
    response = client.get("/transparency/2026-10.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clearline-figures-2026-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0][:5] == ["month", "row", "provider", "calls_offered", "calls_answered"]
    by_name = {row[2]: row for row in rows[1:]}
    for provider in october:
        figures = monthly_figures(provider.pk, 2026, 10, now=NOW)
        row = by_name[provider.name]
        assert row[:2] == ["2026-10", "provider"]
        assert [int(cell) for cell in row[3:5] + row[8:13]] == [
            figures.provider.offered,
            figures.provider.answered,
            figures.provider.callbacks_assigned,
            figures.provider.callbacks_on_time,
            figures.provider.callbacks_late,
            figures.provider.callbacks_open,
            figures.provider.callbacks_not_returned,
        ]
        if figures.provider.offered >= 5:
            assert float(row[5]) == pytest.approx(figures.provider.answer_rate, abs=5e-5)
            assert float(row[6]) == figures.provider.median_answer_s
            assert float(row[7]) == figures.provider.p90_answer_s
            assert float(row[13]) == pytest.approx(figures.connected_share, abs=5e-5)
            assert row[14] == "no"
        else:
            assert row[5:8] == ["", "", ""] and row[13] == "" and row[14] == "yes"
    assert by_name[""][1] == "total" and by_name[""][3] == "13"
    # The same CSV in Spanish: a data file, not a page.
    assert client.get("/es/transparency/2026-10.csv").content == response.content


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+Plus Care", "-Minus Care", "@SUM Care"])
def test_csv_cells_never_start_a_formula(client, providers, name):
    provider = add_provider(name)
    make_call(at(10, 3), [(provider, "accepted", 5)])
    rows = list(csv.reader(io.StringIO(client.get("/transparency/2026-10.csv").content.decode())))
    assert rows[1][2] == "'" + name
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_names_are_utf8(client, providers):
    provider = add_provider("Clínica Año Nuevo")
    make_call(at(10, 3), [(provider, "accepted", 5)])
    raw = client.get("/transparency/2026-10.csv").content
    assert "Clínica Año Nuevo".encode() in raw


def test_nothing_about_a_call_or_caller_is_published(client, october):
    callback = Call.objects.filter(callback__isnull=False).first().callback
    callback.encrypted_number = "gAAAAA-secret-token"
    callback.save(update_fields=["encrypted_number"])
    Call.objects.update(caller_state="ZZ")
    sids = list(Call.objects.values_list("call_sid", flat=True))
    for path in (
        "/transparency/",
        "/transparency/2026-10/",
        "/transparency/2026-10.csv",
        "/es/transparency/",
    ):
        body = client.get(path).content.decode()
        assert CALLER_HMAC not in body and CALLER_HMAC[:16] not in body
        assert "gAAAAA" not in body
        assert not any(sid in body for sid in sids)
        assert ">ZZ<" not in body and ",ZZ," not in body


def test_published_month_reads_a_final_month_in_a_fixed_number_of_queries(october, django_assert_num_queries):
    compute_october()
    with django_assert_num_queries(6):
        published = published_month(2026, 10, now=NOW)
    assert published.final and [row.name for row in published.rows] == [
        "Alder Recovery",
        "Birch Health",
        "Cedar Care",
    ]


# The page cache ---------------------------------------------------------------------------------------------------


def warm_up(client) -> None:
    """The site's first page render stores the disclosure version and settings rows, so it is not kept."""
    client.get("/where-do-calls-go/")


def test_a_final_month_is_cached_and_a_recomputed_figure_shows_at_once(client, october):
    compute_october()
    warm_up(client)
    first = client.get("/transparency/2026-10/")
    assert first["X-Clearline-Cache"] == "miss"
    assert client.get("/transparency/2026-10/")["X-Clearline-Cache"] == "hit"
    assert client.get("/transparency/")["X-Clearline-Cache"] == "miss"
    assert client.get("/transparency/")["X-Clearline-Cache"] == "hit"

    # A call the stored figures missed (a late status, say) and the job run again for its day.
    make_call(at(10, 14), [(october[0], "accepted", 2)])
    generation = current_generation()
    tasks.compute_daily_figures.enqueue("2026-10-14")
    assert current_generation() == generation + 1
    for path in ("/transparency/2026-10/", "/transparency/"):
        response = client.get(path)
        assert response["X-Clearline-Cache"] == "miss"
        assert table(response)["Alder Recovery"][:2] == ["7", "6"]


def test_the_job_leaves_the_cache_alone_when_nothing_published_changed(client, october):
    compute_october()
    warm_up(client)
    client.get("/transparency/2026-10/")
    generation = current_generation()
    compute_october()  # the same figures again
    compute_daily_figures(now=NOW)  # yesterday and today: November, not published
    assert current_generation() == generation
    assert client.get("/transparency/2026-10/")["X-Clearline-Cache"] == "hit"


def test_a_month_whose_figures_can_still_change_is_never_cached(client, october):
    compute_october()
    call = make_call(at(10, 31, 15), [(october[1], "no-answer", None)])
    make_callback(call, october[1], created_at=at(10, 31, 15, 2), due_in_min=30, closed_after_min=None)
    compute_daily_figures(dt.date(2026, 10, 31), now=NOW)
    warm_up(client)
    assert not DailyTotals.objects.get(date=dt.date(2026, 10, 31)).final
    response = client.get("/transparency/2026-10/")
    assert "1 callback requested this month is still open" in response.content.decode()
    assert "X-Clearline-Cache" not in client.get("/transparency/2026-10/")
    # It is closed: the live figures show it at once, and once the job finds the day final, caching starts.
    CallbackRequest.objects.filter(call=call).update(status="returned", closed_at=at(10, 31, 15, 10))
    assert table(client.get("/transparency/2026-10/"))["Birch Health"][5:9] == ["1", "1", "0", "0"]
    compute_daily_figures(dt.date(2026, 10, 31), now=NOW)
    assert client.get("/transparency/2026-10/")["X-Clearline-Cache"] == "miss"
    assert client.get("/transparency/2026-10/")["X-Clearline-Cache"] == "hit"


def test_the_csv_is_not_kept_by_the_page_cache(client, october):
    compute_october()
    client.get("/transparency/2026-10.csv")
    response = client.get("/transparency/2026-10.csv")
    assert "X-Clearline-Cache" not in response and "attachment" in response["Content-Disposition"]


# Links and languages ------------------------------------------------------------------------------------------------


def test_the_footer_and_the_disclosure_page_link_to_it(client, providers):
    for prefix in ("", "/es"):
        page = client.get(f"{prefix}/where-do-calls-go/").content.decode()
        soup = BeautifulSoup(page, "html.parser")
        assert soup.select_one(f"footer a[href='{prefix}/transparency/']") is not None
        assert soup.select_one(f"main a[href='{prefix}/transparency/']") is not None


def test_the_page_in_spanish(client, october):
    compute_october()
    response = client.get("/es/transparency/")
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Cifras de la línea de ayuda por proveedor" in page
    assert "octubre de 2026" in page
    assert 'href="/es/transparency/2026-10.csv"' in page
    cells = table(response)
    assert cells["Alder Recovery"][2] == "83,3%"
    assert cells["Cedar Care"][2] == "muy pocas llamadas"
    assert "Todos los proveedores" in cells
