"""Letters per channel per hour as a stacked bar chart, drawn on the server as SVG.

Only geometry is computed here; ``console/_activity.html`` draws it. Colours come from the
stylesheet by series (``series--print``), so the chart needs no inline styles (the CSP allows none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from postbud.services.console.activity_chart import Activity
from postbud.web.formatting import DEFAULT_ZONE, local

WIDTH: Final = 480
HEIGHT: Final = 180
LEFT: Final = 30
BOTTOM: Final = 20
TOP: Final = 8
GAP: Final = 2
LABEL_EVERY_HOURS: Final = 3


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    count: int
    hour: datetime


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    baseline: float
    bars: list[Bar]
    hour_ticks: list[Tick]
    count_ticks: list[Tick]
    series: list[tuple[str, int]]
    """Each series with its letters over the whole span, for the legend."""


def _scale_top(peak: int) -> int:
    """A round number at or above the peak: 1, 2, 5, 10, 20, 50, …"""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if peak <= step * factor:
                return step * factor
        step *= 10


def letters_chart(activity: Activity, zone: ZoneInfo = DEFAULT_ZONE) -> Chart:
    hours = len(activity.hours)
    plot_width = WIDTH - LEFT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    slot = plot_width / max(hours, 1)
    totals = [sum(counts[i] for counts in activity.letters.values()) for i in range(hours)]
    top = _scale_top(max(totals, default=0))
    bars: list[Bar] = []
    for i, hour in enumerate(activity.hours):
        y = float(baseline)
        for name, counts in activity.letters.items():
            if counts[i] == 0:
                continue
            height = counts[i] / top * plot_height
            y -= height
            bars.append(Bar(LEFT + i * slot + GAP / 2, y, slot - GAP, height, name, counts[i], hour))
    hour_ticks = [
        Tick(LEFT + (i + 0.5) * slot, local(hour, zone).strftime("%H"))
        for i, hour in enumerate(activity.hours)
        if local(hour, zone).hour % LABEL_EVERY_HOURS == 0
    ]
    count_ticks = [
        Tick(baseline - value / top * plot_height, str(value)) for value in sorted({0, top // 2, top})
    ]
    legend = [(name, sum(counts)) for name, counts in activity.letters.items()]
    return Chart(WIDTH, HEIGHT, LEFT, TOP, baseline, bars, hour_ticks, count_ticks, legend)
