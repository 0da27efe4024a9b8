"""Japanese era dates (和暦), the one place that writes them: documents, fiscal years and the
dates shown on pages all come through here. No Django.

Eras are the ones the Gengo Act proclaimed: 平成 from 1989-01-08, 令和 from 2019-05-01. The first
year of an era is written 元年. A fiscal year (April to March) takes the era of the day its
last month begins in the government's usage: fiscal 2019 is 令和元年度 (it began on 2019-04-01,
still 平成31年, but every ministry names it 令和元年度), fiscal 2018 is 平成30年度."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

# (first day, name), newest first.
ERAS: tuple[tuple[dt.date, str], ...] = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
)


def _era_year(name: str, start_year: int, year: int) -> str:
    n = year - start_year + 1
    return f"{name}{'元' if n == 1 else n}年"


def wareki_year_of(day: dt.date) -> str:
    """2026-11-27 -> "令和8年"; 2019-04-30 -> "平成31年"; 2019-05-01 -> "令和元年"."""
    for start, name in ERAS:
        if day >= start:
            return _era_year(name, start.year, day.year)
    return f"{day.year}年"


def wareki_date(day: dt.date, *, western: bool = False) -> str:
    """2026-11-27 -> "令和8年11月27日" ("令和8年 (2026年) 11月27日" with western=True)."""
    era = wareki_year_of(day)
    if western:
        return f"{era} ({day.year}年) {day.month}月{day.day}日"
    return f"{era}{day.month}月{day.day}日"


def wareki_month(day: dt.date) -> str:
    """The month a day falls in: "令和8年11月"."""
    return f"{wareki_year_of(day)}{day.month}月"


@lru_cache(maxsize=64)  # a few years, asked for on every line of a fiscal-year run
def fiscal_year_label(fiscal_year: int) -> str:
    """2026 -> "令和8年度"; 2019 -> "令和元年度"; 2018 -> "平成30年度"."""
    for start, name in ERAS:
        if fiscal_year >= start.year:
            return _era_year(name, start.year, fiscal_year) + "度"
    return f"{fiscal_year}年度"
