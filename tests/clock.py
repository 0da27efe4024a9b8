"""Today and the fiscal year for the tests: never a calendar date written into a test.

Dates a test needs are built from TODAY (the current fiscal year FY, a month of it, a day before
or after). `PORTAL_TEST_TODAY=2027-04-01 make test` runs the suite as if that were the date
(tests/conftest.py moves the clock with time-machine before any test module is imported); CI
runs the date-sensitive tests that way on two days besides today."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from apps.core.domain.fiscal import fiscal_year_of, fiscal_year_start

TODAY = timezone.localdate()
FY = fiscal_year_of(TODAY)


def fy_month(month: int, fiscal_year: int = FY) -> dt.date:
    """The first day of a calendar month (1-12) inside a fiscal year: fy_month(12) is December
    of FY, fy_month(2) February of FY + 1."""
    year = fiscal_year if month >= 4 else fiscal_year + 1
    return dt.date(year, month, 1)


def month_text(day: dt.date) -> str:
    return day.strftime("%Y-%m")


def this_month() -> dt.date:
    return TODAY.replace(day=1)


def months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def end_of_month(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


__all__ = ["FY", "TODAY", "fiscal_year_start", "fy_month", "month_text", "months_later"]
