"""The bounds every value from a request is held to: one place, shared by the HTML forms, the
list filters and the API serializers (and so shown in the OpenAPI schema). No Django here."""

from __future__ import annotations

import datetime as dt
import re

from apps.core.domain.fiscal import fiscal_year_of

MAX_YEN = 10**13  # 10兆円: above any budget a body or council could have
MAX_COUNT = 1_000_000  # people, seats, transactions a year
MAX_POPULATION = 20_000_000  # more than Tokyo-to
MAX_ID = 2**31 - 1  # the database's integer primary keys
MAX_PAGE = 100_000
FIRST_FISCAL_YEAR = 2000
YEARS_AHEAD = 5
SHORT_TEXT = 200  # names, titles, reasons
LONG_TEXT = 2000  # comments, descriptions, notes

# Control characters other than tab, line feed and carriage return (which a textarea sends).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


def has_control_characters(text: str, *, multiline: bool = True) -> bool:
    return bool((_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(text))


def fiscal_year_bounds(today: dt.date) -> tuple[int, int]:
    """Fiscal years a request may name at all: 2000 to five years ahead. Which of them a given
    action accepts (e.g. prices only for last year to three ahead) is the service's rule."""
    return FIRST_FISCAL_YEAR, fiscal_year_of(today) + YEARS_AHEAD
