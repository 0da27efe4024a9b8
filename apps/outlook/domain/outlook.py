"""A body's outlook for a fiscal year, pure: its lines (every expected cost with the support
that applies), totals by flow and by pattern, and the change against another year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FLOWS = {
    "burden": "負担金 (協議会)",
    "usage": "利用料 (事業者)",
    "talent": "人材 (外部人材・リスキリング)",
}
PATTERNS = {  # the listing's pattern (catalog.Pattern) or where the cost comes from
    "council": "協議会の共同運営",
    "A": "共通化A",
    "B": "共通化B",
    "standardized": "標準化",
    "individual": "個別開発",
    "talent": "人材",
}
STATES = {"projected": "見込み", "draft": "請求書案", "issued": "請求済み"}


@dataclass(frozen=True)
class Line:
    key: str
    flow: str
    pattern: str
    label: str
    gross_yen: int  # tax included, as paid
    state: str  # projected / draft / issued
    why: str  # the page that explains the amount
    scheme: str = ""
    rate: Decimal | None = None
    covered_yen: int = 0
    capped: bool = False
    note: str = ""

    @property
    def net_yen(self) -> int:
        return self.gross_yen - self.covered_yen

    @property
    def state_label(self) -> str:
        return STATES[self.state]


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    gross_yen: int
    covered_yen: int
    net_yen: int


def totals(lines: list[Line], by: str) -> list[Total]:
    """Totals by "flow" or "pattern", in the order of FLOWS / PATTERNS (empty groups left out)."""
    labels = FLOWS if by == "flow" else PATTERNS
    out = []
    for key, label in labels.items():
        chosen = [line for line in lines if getattr(line, by) == key]
        if chosen:
            gross = sum(line.gross_yen for line in chosen)
            covered = sum(line.covered_yen for line in chosen)
            out.append(Total(key, label, gross, covered, gross - covered))
    return out


def grand_total(lines: list[Line]) -> Total:
    gross = sum(line.gross_yen for line in lines)
    covered = sum(line.covered_yen for line in lines)
    return Total("all", "合計", gross, covered, gross - covered)


@dataclass(frozen=True)
class Change:
    key: str
    label: str
    before_yen: int
    after_yen: int
    before_bar: float
    after_bar: float

    @property
    def difference_yen(self) -> int:
        return self.after_yen - self.before_yen


def change(before: list[Line], after: list[Line]) -> list[Change]:
    """Net cost by flow in two years, with bar widths (percent of the largest)."""
    rows = []
    for key, label in FLOWS.items():
        b = sum(line.net_yen for line in before if line.flow == key)
        a = sum(line.net_yen for line in after if line.flow == key)
        rows.append((key, label, b, a))
    b_all = sum(r[2] for r in rows)
    a_all = sum(r[3] for r in rows)
    rows.append(("all", "合計", b_all, a_all))
    top = max([max(r[2], r[3]) for r in rows] + [0])

    def bar(v: int) -> float:
        return round(100 * v / top, 1) if top else 0.0

    return [Change(k, label, b, a, bar(b), bar(a)) for k, label, b, a in rows]
