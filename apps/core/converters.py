"""URL converters with bounds: an id is 1 to 2**31-1 (the database's integer keys); anything
else in its place is a 404, never a database error."""

from __future__ import annotations

from apps.core.domain.bounds import MAX_ID


class IdConverter:
    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class FiscalYearConverter:
    """A fiscal year in a URL: four digits (the service decides which years it accepts)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class BodyCodeConverter:
    """A body's six-digit code (全国地方公共団体コード)."""

    regex = "[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
