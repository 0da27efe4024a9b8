"""Invoice arithmetic (pure): usage fees prorated by month, consumption tax once per invoice per
rate. Each amount is rounded once, by YEN_ROUNDING (round down, 円未満切り捨て)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, localcontext

from apps.catalog.domain.fees import PRECISION, TAX_RATES
from apps.core.domain.money import yen


@dataclass(frozen=True)
class TaxTotal:
    category: str
    rate: Decimal
    taxable_yen: int
    tax_yen: int

    def as_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "rate": str(self.rate),
            "taxable_yen": self.taxable_yen,
            "tax_yen": self.tax_yen,
        }


def prorated(annual_exact: Decimal, months: int) -> tuple[Decimal, int]:
    """The fee for `months` of a year (月割): annual × months / 12, rounded down once."""
    if not 0 <= months <= 12:
        raise ValueError("months must be 0-12")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        exact = annual_exact * Decimal(months) / Decimal(12)
    return exact, yen(exact)


def tax_totals(lines: list[tuple[int, str]]) -> list[TaxTotal]:
    """Totals per tax category of (amount_yen, category) lines, the tax of each rounded down
    once for the whole invoice (適格請求書: 一の適格請求書につき税率ごとに1回の端数処理)."""
    taxable: dict[str, int] = defaultdict(int)
    for amount, category in lines:
        taxable[category] += amount
    totals = []
    for category in sorted(taxable):
        rate = TAX_RATES[category]
        with localcontext() as ctx:
            ctx.prec = PRECISION
            tax = Decimal(taxable[category]) * rate
        tax_yen = yen(tax)  # toward zero: a credit note's tax mirrors the invoice it reverses
        totals.append(TaxTotal(category, rate, taxable[category], tax_yen))
    return totals


HEADS = {
    "prefecture": "知事",
    "designated_city": "長",
    "city": "長",
    "special_ward": "長",
    "town": "長",
    "village": "長",
}


def addressee(name: str, kind: str) -> str:
    """An invoice to a local government is addressed to its head: 一宮市 -> 「一宮市長 様」,
    愛知県 -> 「愛知県知事 様」, 豊根村 -> 「豊根村長 様」."""
    head = HEADS.get(kind)
    return f"{name}{head} 様" if head else f"{name} 御中"
