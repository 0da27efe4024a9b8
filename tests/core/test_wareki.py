"""和暦: one helper writes every era date, across the 平成/令和 boundary and for fiscal years."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from apps.core.domain.wareki import fiscal_year_label, wareki_date, wareki_month


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1989-01-07", "昭和64年1月7日"),
        ("1989-01-08", "平成元年1月8日"),
        ("2019-04-30", "平成31年4月30日"),
        ("2019-05-01", "令和元年5月1日"),
        ("2020-01-01", "令和2年1月1日"),
        ("2026-11-27", "令和8年11月27日"),
    ],
)
def test_dates_across_the_era_boundaries(day: str, expected: str) -> None:
    assert wareki_date(dt.date.fromisoformat(day)) == expected


def test_the_western_year_beside_it_and_months() -> None:
    assert wareki_date(dt.date(2019, 5, 1), western=True) == "令和元年 (2019年) 5月1日"
    assert wareki_month(dt.date(2019, 4, 1)) == "平成31年4月"


@pytest.mark.parametrize(
    ("fiscal_year", "expected"),
    [(1989, "平成元年度"), (2018, "平成30年度"), (2019, "令和元年度"), (2026, "令和8年度")],
)
def test_fiscal_year_labels(fiscal_year: int, expected: str) -> None:
    # fiscal 2019 began on 2019-04-01 (still 平成31年) and is named 令和元年度, as ministries do
    assert fiscal_year_label(fiscal_year) == expected


def test_pages_write_dates_through_the_same_helper() -> None:
    template = Template(
        "{% load humanize_ja %}{{ d|wareki }} / {{ iso|wareki }} / {{ none|wareki }} / "
        "{{ d|wareki_month }} / {{ fy|fiscal_year }}"
    )
    text = template.render(
        Context({"d": dt.date(2019, 4, 30), "iso": "2019-05-01", "none": None, "fy": 2019})
    )
    assert text == "平成31年4月30日 / 令和元年5月1日 / — / 平成31年4月 / 令和元年度"
