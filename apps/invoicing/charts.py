"""The "why this amount" chart: every member's share against its population, as SVG
coordinates (pure; the template draws them). Population on a log scale (bodies range from a few
hundred people to millions), the share on a linear one."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 320, 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    code: str
    name: str
    population: int
    amount_yen: int
    highlight: bool


@dataclass(frozen=True)
class Chart:
    points: list[Point]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    width: int = WIDTH
    height: int = HEIGHT
    pad: int = PAD


def share_chart(rows: list[tuple[str, str, int, int]], highlight: str) -> Chart:
    """rows: (code, name, population, amount_yen)."""
    populated = [r for r in rows if r[2] > 0]
    if not populated:
        return Chart([], [], [])
    lo = math.floor(math.log10(min(r[2] for r in populated)))
    hi = math.ceil(math.log10(max(r[2] for r in populated)))
    hi = max(hi, lo + 1)
    top = max(r[3] for r in rows) or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def x_of(population: int) -> float:
        return PAD + inner_w * (math.log10(max(population, 10**lo)) - lo) / (hi - lo)

    def y_of(amount: int) -> float:
        return HEIGHT - PAD - inner_h * amount / top

    points = [
        Point(round(x_of(p), 1), round(y_of(a), 1), c, n, p, a, c == highlight)
        for c, n, p, a in rows
    ]
    x_ticks = [(round(x_of(10**e), 1), f"{10**e:,}") for e in range(lo, hi + 1)]
    y_ticks = [(round(y_of(top * i // 4), 1), f"{top * i // 4:,}") for i in range(5)]
    return Chart(points, x_ticks, y_ticks)
