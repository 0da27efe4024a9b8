"""Building bank statements for tests: the 全銀協 入出金取引明細 fixed-length layout that
apps.invoicing.domain.bank_statement reads, and the CSV export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Tx:
    day: dt.date
    amount: int
    payer: str  # half-width kana, as banks send it
    memo: str = ""
    credit: bool = True


def _yymmdd(day: dt.date) -> str:
    return f"{day.year - 2018:02d}{day.month:02d}{day.day:02d}"


def _a(text: str, width: int) -> str:
    return text[:width].ljust(width)


def _n(value: int, width: int) -> str:
    return str(value).rjust(width, "0")


def zengin(txs: list[Tx], *, newline: bytes = b"\r\n") -> bytes:
    first = min(t.day for t in txs)
    last = max(t.day for t in txs)
    header = (
        "1"
        + "03"
        + "0"
        + _yymmdd(last)
        + _yymmdd(first)
        + _yymmdd(last)
        + "0005"
        + _a("ﾐﾂﾋﾞｼUFJ", 15)
        + "150"
        + _a("ﾅｺﾞﾔ", 15)
        + "   "
        + "1"
        + _n(1234567, 10)
        + _a("ｱｲﾁﾃﾞﾝｼｼﾞﾁﾀｲｷﾖｳｷﾞｶｲ", 40)
        + "0"
        + "1"
        + _n(0, 14)
        + " " * 71
    )
    records = [header]
    for n, t in enumerate(txs, start=1):
        records.append(
            "2"
            + _n(n, 8)
            + _yymmdd(t.day)
            + _yymmdd(t.day)
            + ("1" if t.credit else "2")
            + "11"
            + _n(t.amount, 12)
            + _n(0, 12)
            + _n(0, 6)
            + _n(0, 6)
            + "0"
            + _n(0, 7)
            + "000"
            + _n(0, 10)
            + _a(t.payer, 48)
            + _a("ｱｲﾁｷﾞﾝｺｳ", 15)
            + _a("ﾎﾝﾃﾝ", 15)
            + _a(t.memo, 20)
            + _a("", 20)
            + " "
        )
    credits = [t for t in txs if t.credit]
    debits = [t for t in txs if not t.credit]
    records.append(
        "8"
        + _n(len(credits), 6)
        + _n(sum(t.amount for t in credits), 13)
        + _n(len(debits), 6)
        + _n(sum(t.amount for t in debits), 13)
        + "0"
        + _n(0, 14)
        + _n(len(txs), 7)
        + " " * 139
    )
    records.append("9" + " " * 199)
    encoded = [r.encode("cp932") for r in records]
    assert all(len(r) == 200 for r in encoded), [len(r) for r in encoded]
    return newline.join(encoded) + newline


def bank_csv(txs: list[Tx]) -> bytes:
    rows = ["日付,摘要,出金金額,入金金額,振込依頼人名"]
    for t in txs:
        amounts = f",{t.amount}" if t.credit else f"{t.amount},"
        rows.append(f"{t.day:%Y/%m/%d},{t.memo},{amounts},{t.payer}")
    return ("\n".join(rows) + "\n").encode("utf-8-sig")
