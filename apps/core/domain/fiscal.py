"""Fiscal years (年度): 1 April to 31 March, named by the calendar year they start in.
Their names (令和8年度) come from apps.core.domain.wareki. No Django here."""

from __future__ import annotations

import datetime as dt

from apps.core.domain.wareki import fiscal_year_label as fiscal_year_label  # re-exported

FIRST_MONTH = 4


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def fiscal_year_start(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year, FIRST_MONTH, 1)


def fiscal_year_end(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year + 1, FIRST_MONTH, 1) - dt.timedelta(days=1)


def fiscal_month_index(month_start: dt.date) -> int:
    """April -> 1, ..., March -> 12 (the month's place in its fiscal year)."""
    return (month_start.month - FIRST_MONTH) % 12 + 1


def months_in_fiscal_year(fiscal_year: int, start: dt.date, end: dt.date | None) -> int:
    """How many whole calendar months of `fiscal_year` fall within [start, end] (end inclusive,
    None for open-ended). A month counts when its first day is on or after start's month and on
    or before end's month (月割: the month of joining and the month of leaving both count)."""
    first = max(fiscal_year_start(fiscal_year), dt.date(start.year, start.month, 1))
    last_day = (
        fiscal_year_end(fiscal_year) if end is None else min(fiscal_year_end(fiscal_year), end)
    )
    last = dt.date(last_day.year, last_day.month, 1)
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


def known_fiscal_years(today: dt.date) -> range:
    """The fiscal years the portal accepts for prices and applications: last year to three years
    ahead. Anything else is an unknown fiscal year."""
    current = fiscal_year_of(today)
    return range(current - 1, current + 4)
