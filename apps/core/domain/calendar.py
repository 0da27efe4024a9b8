"""Business days of Japanese banks: not a Saturday or Sunday, not a national holiday (from
jpholiday, which follows the Act on National Holidays and the Cabinet Office's list), and not
31 December to 3 January (the banks' year-end closing, 銀行法施行令 第5条). No Django."""

from __future__ import annotations

import datetime as dt

import jpholiday

YEAR_END_CLOSING = ((12, 31), (1, 1), (1, 2), (1, 3))


def is_business_day(day: dt.date) -> bool:
    if day.weekday() >= 5 or (day.month, day.day) in YEAR_END_CLOSING:
        return False
    return not jpholiday.is_holiday(day)


def next_business_day(day: dt.date) -> dt.date:
    """The day itself when banks are open, else the first day after it when they are
    (支払期日 that falls on a holiday moves to the next business day)."""
    while not is_business_day(day):
        day += dt.timedelta(days=1)
    return day
