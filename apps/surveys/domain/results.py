"""A survey's results, pure: the distribution of today's costs, when contracts end, and the
features most asked for."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from apps.core.domain.fiscal import fiscal_year_of

# Bucket bounds in yen (lower inclusive); the last bucket is open.
COST_BUCKETS = (0, 1_000_000, 3_000_000, 5_000_000, 10_000_000, 30_000_000)


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int
    percent: float  # of the largest bucket, for the bar


def _man(yen: int) -> str:
    return f"{yen // 10_000:,}万円"


def _bars(pairs: list[tuple[str, int]]) -> list[Bucket]:
    top = max((n for _label, n in pairs), default=0)
    return [Bucket(label, n, round(100 * n / top, 1) if top else 0.0) for label, n in pairs]


def cost_distribution(costs: list[int | None]) -> list[Bucket]:
    """How many bodies pay how much a year today (回答なし: no cost given)."""
    counts = [0] * len(COST_BUCKETS)
    unknown = 0
    for cost in costs:
        if cost is None:
            unknown += 1
            continue
        i = max(n for n, lower in enumerate(COST_BUCKETS) if cost >= lower)
        counts[i] += 1
    labels = []
    for n, lower in enumerate(COST_BUCKETS):
        if n + 1 < len(COST_BUCKETS):
            upper = COST_BUCKETS[n + 1]
            labels.append(f"{_man(lower)}〜{_man(upper)}未満" if lower else f"{_man(upper)}未満")
        else:
            labels.append(f"{_man(lower)}以上")
    return _bars([*zip(labels, counts, strict=True), ("回答なし", unknown)])


def end_timeline(ends: list[dt.date | None], today: dt.date, years: int = 6) -> list[Bucket]:
    """How many contracts end in each fiscal year from this one (西暦 fiscal years; the page
    shows them as 和暦): when could most bodies switch?"""
    this_year = fiscal_year_of(today)
    counts: Counter[str] = Counter()
    order = (
        ["終了済み"] + [str(this_year + i) for i in range(years)] + ["それ以降", "未定・回答なし"]
    )
    for end in ends:
        if end is None:
            counts["未定・回答なし"] += 1
            continue
        fy = fiscal_year_of(end)
        if end < today:
            counts["終了済み"] += 1
        elif fy < this_year + years:
            counts[str(fy)] += 1
        else:
            counts["それ以降"] += 1
    return _bars([(label, counts[label]) for label in order])


def feature_ranking(features: list[str], chosen: list[list[int]]) -> list[Bucket]:
    """Each feature of the checklist with how many bodies asked for it, most asked first (ties
    in the checklist's order)."""
    counts = Counter(i for picks in chosen for i in set(picks) if 0 <= i < len(features))
    ranked = sorted(range(len(features)), key=lambda i: (-counts[i], i))
    return _bars([(features[i], counts[i]) for i in ranked])
