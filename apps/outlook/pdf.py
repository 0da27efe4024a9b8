"""The outlook as a 予算要求資料 (budget request sheet): A4 landscape, 和暦, yen, one table of
every expected cost with its support and the net cost, totals by flow and by pattern."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from fpdf import FPDF

from apps.core.domain.wareki import fiscal_year_label, wareki_date
from apps.core.pdf import font_path

COLUMNS = [  # (heading, width mm, align)
    ("区分", 34, "L"),
    ("内容", 92, "L"),
    ("状態", 18, "C"),
    ("見込額 (円)", 30, "R"),
    ("支援制度", 40, "L"),
    ("支援額 (円)", 28, "R"),
    ("実質負担 (円)", 30, "R"),
]


def _head(pdf: FPDF) -> None:
    pdf.set_font("noto", size=9)
    pdf.set_fill_color(230, 236, 245)
    for heading, width, _align in COLUMNS:
        pdf.cell(width, 7, heading, border=1, align="C", fill=True)
    pdf.ln()


def _row(pdf: FPDF, cells: list[str]) -> None:
    if pdf.get_y() > pdf.h - 25:
        pdf.add_page()
        _head(pdf)
    for (_h, width, align), text in zip(COLUMNS, cells, strict=True):
        pdf.cell(width, 6.5, text, border=1, align=align)  # type: ignore[arg-type]
    pdf.ln()


def budget_request_pdf(o: Any) -> bytes:
    from apps.outlook.domain.outlook import FLOWS

    pdf = FPDF(format="A4", orientation="L")
    pdf.add_font("noto", fname=font_path())
    pdf.set_auto_page_break(False)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("noto", size=16)
    pdf.cell(
        0,
        10,
        f"{fiscal_year_label(o.fiscal_year)} 予算要求資料 (共同利用・デジタル関係経費)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("noto", size=10)
    pdf.cell(
        0,
        6,
        f"{o.body.name} ・ 作成日 {wareki_date(timezone.localdate())} ・ 金額は円 (税込)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    _head(pdf)
    for line in o.lines:
        _row(
            pdf,
            [
                FLOWS[line.flow][:12],
                line.label[:44],
                line.state_label,
                f"{line.gross_yen:,}",
                line.scheme[:18],
                f"{line.covered_yen:,}" if line.scheme else "—",
                f"{line.net_yen:,}",
            ],
        )
    pdf.set_font("noto", size=9)
    for t in o.by_flow:
        _row(
            pdf,
            [
                f"計: {t.label}"[:12],
                "",
                "",
                f"{t.gross_yen:,}",
                "",
                f"{t.covered_yen:,}",
                f"{t.net_yen:,}",
            ],
        )
    _row(
        pdf,
        [
            "合計",
            "",
            "",
            f"{o.total.gross_yen:,}",
            "",
            f"{o.total.covered_yen:,}",
            f"{o.total.net_yen:,}",
        ],
    )
    pdf.ln(4)
    pdf.set_font("noto", size=10)
    pdf.cell(0, 6, "方式別", new_x="LMARGIN", new_y="NEXT")
    for t in o.by_pattern:
        pdf.cell(
            0,
            6,
            f"  {t.label}: 見込額 {t.gross_yen:,}円 / 実質負担 {t.net_yen:,}円",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.cell(
        0,
        6,
        f"前年度 ({fiscal_year_label(o.compare_year)}) 比: 実質負担 "
        f"{o.changes[-1].before_yen:,}円 → {o.changes[-1].after_yen:,}円 "
        f"({o.changes[-1].difference_yen:+,}円)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("noto", size=8)
    pdf.cell(
        0,
        5,
        "見込み: 請求前の試算 (請求と同じ計算) / 請求書案・請求済み: 作成済みの請求書の額。"
        "支援額は年度の制度・上限による (円未満切り捨て)。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
