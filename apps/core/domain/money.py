"""Yen: integers. Exact arithmetic happens in Decimal; the step to whole yen is this one."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

YEN_ROUNDING = ROUND_DOWN  # 円未満切り捨て: toward zero, so a credit note mirrors its invoice


def yen(amount: Decimal) -> int:
    """An exact amount to whole yen, by YEN_ROUNDING (the one rounding step of a price, a
    tax or a covered part)."""
    return int(amount.to_integral_value(rounding=YEN_ROUNDING))
