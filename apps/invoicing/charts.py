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
    highest = max(r[3] for r in rows) or 1
    step = nice_step(highest)
    steps = -(-highest // step)  # as many round steps as reach the highest share
    top = step * steps
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
    y_ticks = [(round(y_of(step * i), 1), yen_label(step * i)) for i in range(steps + 1)]
    return Chart(points, x_ticks, y_ticks)


def nice_step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten), at most four of which reach `top`: ticks
    at 0, 100万, 200万, ... rather than at odd values."""
    raw = top / 4
    power = 10 ** max(int(math.floor(math.log10(raw))), 0) if raw >= 1 else 1
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def yen_label(amount: int) -> str:
    """A tick in the units officials read: 2,500万円, 1億円, 800円."""
    if amount >= 10**8 and amount % 10**7 == 0:
        return f"{amount / 10**8:g}億円"
    if amount >= 10**4 and amount % 10**4 == 0:
        return f"{amount // 10**4:,}万円"
    return f"{amount:,}円"
