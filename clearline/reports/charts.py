"""Chart data for the figures pages.

- ``svg_bars``: the geometry of a horizontal bar chart drawn on the server as SVG (the public page: it needs no
  JavaScript and no style attribute, so the strict public Content-Security-Policy holds). Every bar carries its
  value as text, so nothing is told by colour alone; the page shows the same numbers in a table.
- ``chart_config``: what ``reports/figures_charts.js`` hands Chart.js (the console and the portal). Series differ
  by dash style and point shape as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

BAR_HEIGHT = 22
BAR_GAP = 10
CHART_WIDTH = 640
VALUE_ROOM = 80  # room right of the longest bar for its value


@dataclass(frozen=True)
class SvgBar:
    label: str
    value: int
    text: str  # the value as shown
    label_y: int
    bar_y: int
    width: int


@dataclass(frozen=True)
class SvgChart:
    bars: tuple[SvgBar, ...]
    width: int
    height: int
    bar_height: int


def svg_bars(items: Sequence[tuple[str, int]], texts: Sequence[str] | None = None) -> SvgChart:
    """Horizontal bars, one per (label, value), each label on its own line above its bar."""
    most = max((value for _label, value in items), default=0)
    span = CHART_WIDTH - VALUE_ROOM
    bars = []
    y = 0
    for index, (label, value) in enumerate(items):
        width = round(span * value / most) if most else 0
        bars.append(
            SvgBar(
                label=label,
                value=value,
                text=texts[index] if texts else str(value),
                label_y=y + 14,
                bar_y=y + 20,
                width=max(width, 2 if value else 0),
            )
        )
        y += 20 + BAR_HEIGHT + BAR_GAP
    return SvgChart(tuple(bars), CHART_WIDTH, max(y, 1), BAR_HEIGHT)


# Chart.js ---------------------------------------------------------------------------------------------------------

# Colours distinguishable for common colour-vision deficiencies (Okabe-Ito), each paired with a dash and a point.
STYLES: list[dict[str, Any]] = [
    {"color": "#0072B2", "dash": [], "point": "circle"},
    {"color": "#D55E00", "dash": [6, 4], "point": "rect"},
    {"color": "#009E73", "dash": [2, 3], "point": "triangle"},
    {"color": "#CC79A7", "dash": [10, 3, 2, 3], "point": "rectRot"},
]


def chart_config(
    kind: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int | None]]],
    *,
    title: str,
    y_label: str,
    percent: bool = False,
    reference: tuple[str, float] | None = None,
) -> dict[str, Any]:
    """A plain-data description of one chart (``kind``: "line" or "bar"); the script turns it into Chart.js
    options. ``reference`` draws a dashed horizontal line (the equal share) labelled in the legend."""
    datasets: list[dict[str, Any]] = []
    for index, (name, values) in enumerate(series):
        style = STYLES[index % len(STYLES)]
        datasets.append({"label": name, "data": list(values), **style})
    if reference is not None:
        name, value = reference
        datasets.append(
            {"label": name, "data": [value] * len(labels), "type": "line", **STYLES[3], "dash": [8, 4]}
        )
    return {
        "kind": kind,
        "labels": list(labels),
        "datasets": datasets,
        "title": title,
        "yLabel": y_label,
        "percent": percent,
    }
