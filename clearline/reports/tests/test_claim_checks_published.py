"""The transparency page publishes, per month, how many calls were checked against what callers were told, how
many contradicted it, and the sentences they contradicted (in English and Spanish, and as CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone, translation

from clearline.reports import aggregates
from clearline.reports.tests.conftest import make_call
from clearline.routing.claims import NoCallback, RingsAtOnce
from clearline.telephony.call_story import claim_text
from clearline.telephony.models import Call

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
RINGS = RingsAtOnce(first=1, later=3, ring_s=13, budget_s=40).as_dict()
NO_CALLBACK = NoCallback().as_dict()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 15, tzinfo=dt.UTC)


def checked(call: Call, *violations: dict) -> None:
    Call.objects.filter(pk=call.pk).update(
        claims_checked_at=NOW, claim_violations=[{"kind": v["kind"], "claim": v} for v in violations]
    )


@pytest.fixture
def october(providers):
    """Five October calls checked (two contradicted the wave sizes, one of them also the callback sentence),
    one October call not checked, one September call contradicting, one November call."""
    alder = providers[0]
    calls = [make_call(at(10, day), [(alder, "accepted", 5)]) for day in range(1, 7)]
    for call in calls[:3]:
        checked(call)
    checked(calls[3], RINGS)
    checked(calls[4], RINGS, NO_CALLBACK, RINGS)
    checked(make_call(at(9, 20), [(alder, "accepted", 5)]), NO_CALLBACK)
    checked(make_call(at(11, 2), [(alder, "accepted", 5)]), RINGS)
    return calls


def claims_section(response) -> BeautifulSoup:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    heading = soup.find(id="claims-heading")
    assert heading is not None
    return heading.find_parent("section")


def test_the_arithmetic_counts_each_call_once_and_each_claim_per_call():
    checks = aggregates.claim_checks(
        5, 1, [[], [{"kind": "x", "claim": {"kind": "x"}}] * 2, "junk", [{"a": 1}]]
    )
    assert (checks.checked, checks.contradicted, checks.not_checked) == (5, 1, 1)
    assert [(c.kind, c.calls) for c in checks.claims] == [("x", 1)]
    many = aggregates.claim_checks(
        3,
        0,
        [
            [{"kind": "rings_at_once", "claim": RINGS}],
            [{"kind": "rings_at_once", "claim": RINGS}, {"kind": "no_callback", "claim": NO_CALLBACK}],
        ],
    )
    assert [(c.kind, c.calls) for c in many.claims] == [("rings_at_once", 2), ("no_callback", 1)]


def test_the_page_says_how_many_calls_were_checked_and_which_sentences_they_contradicted(client, october):
    section = claims_section(client.get("/transparency/"))
    text = " ".join(section.get_text(" ", strip=True).split())
    assert "October 2026: 5 calls checked against what callers were told; 2 contradicted it." in text
    assert "1 more call this month was not checked" in text
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])]
        for tr in section.select("tbody tr")
    ]
    assert [row[1] for row in rows] == ["2", "1"]
    assert rows[0][0] == claim_text(RINGS) and rows[1][0] == claim_text(NO_CALLBACK)
    # The sentences the site showed (clearline.content.claims_text), not the claims' kinds.
    assert rows[0][0].startswith("First one rings, then up to 3 at a time")
    assert rows[1][0] == "No call back is offered on this number."
    assert section.find("table").find("caption") is not None


def test_a_month_before_the_checks_says_its_calls_were_not_checked(client, providers):
    make_call(at(10, 3), [(providers[0], "accepted", 5)])
    text = claims_section(client.get("/transparency/")).get_text(" ", strip=True)
    assert "0 calls checked" in text and "0 contradicted it" in text
    assert "1 more call this month was not checked" in text


def test_the_page_in_spanish(client, october):
    section = claims_section(client.get("/es/transparency/"))
    text = " ".join(section.get_text(" ", strip=True).split())
    assert (
        "Octubre de 2026: 5 llamadas comprobadas con lo que se dijo a quienes llamaban; 2 lo contradijeron."
        in text
    )
    assert "1 llamada más de este mes no se comprobó" in text
    rows = [tr.find("th").get_text(" ", strip=True) for tr in section.select("tbody tr")]
    with translation.override("es"):
        assert rows == [claim_text(RINGS), claim_text(NO_CALLBACK)]  # the claims' own Spanish words


def test_the_claims_csv(client, october):
    response = client.get("/transparency/2026-10/claims.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="clearline-claim-checks-2026-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["month", "row", "claim_kind", "claim", "calls"]
    assert rows[1:4] == [
        ["2026-10", "checked", "", "", "5"],
        ["2026-10", "contradicted", "", "", "2"],
        ["2026-10", "not_checked", "", "", "1"],
    ]
    assert [(row[2], row[4]) for row in rows[4:]] == [("rings_at_once", "2"), ("no_callback", "1")]
    assert client.get("/es/transparency/2026-10/claims.csv").content == response.content
    assert client.get("/transparency/2026-11/claims.csv").status_code == 404


def test_nothing_about_a_call_is_published(client, october):
    sids = list(Call.objects.values_list("call_sid", flat=True))
    for path in ("/transparency/", "/transparency/2026-10/claims.csv"):
        body = client.get(path).content.decode()
        assert not any(sid in body for sid in sids)
