"""Invoice PDFs in Japanese. The font is Noto Sans CJK JP from the PyPI package
noto-cjk-sans-jp-regular (installed with the project, SIL OFL); fpdf2 embeds the subset of
glyphs used, so the PDF shows the same text on every machine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import noto_cjk_sans_jp_regular
from fpdf import FPDF

from apps.core.domain.fiscal import fiscal_year_label
from apps.invoicing.models import Invoice, InvoiceKind

TAX_LABELS = {
    "standard_10": "10%対象",
    "reduced_8": "8%対象 (軽減税率)",
    "exempt": "非課税",
    "outside": "不課税",
}


@lru_cache(maxsize=1)
def font_path() -> str:
    path = Path(noto_cjk_sans_jp_regular.__file__).parent / "NotoSansCJKjp-Regular.otf"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: reinstall noto-cjk-sans-jp-regular")
    return str(path)


def yen(amount: int) -> str:
    return f"{amount:,}円"


def invoice_title(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.USAGE:
        return "請求書 (適格請求書)"
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return "返還請求書 (赤伝)"
    return "負担金請求書"


def invoice_pdf(invoice: Invoice) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("noto", fname=font_path())
    pdf.add_page()
    pdf.set_font("noto", size=18)
    pdf.cell(0, 12, invoice_title(invoice), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=10)
    status = "" if invoice.number else " (下書き・未発行)"
    pdf.cell(
        0,
        6,
        f"請求書番号: {invoice.number or '—'}{status}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.cell(
        0,
        6,
        f"発行日: {invoice.issue_date or '—'}    支払期日: {invoice.due_date or '—'}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("noto", size=14)
    pdf.cell(
        0,
        9,
        f"{invoice.recipient_name} 御中  (団体コード {invoice.recipient.code})",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("noto", size=10)
    pdf.cell(0, 6, f"請求者: {invoice.issuer_name}", new_x="LMARGIN", new_y="NEXT")
    if invoice.issuer_registration_number:
        pdf.cell(
            0, 6, f"登録番号: {invoice.issuer_registration_number}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.cell(
        0,
        6,
        f"対象年度: {fiscal_year_label(invoice.fiscal_year)} ({invoice.fiscal_year}年度)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("noto", size=13)
    pdf.cell(
        0, 9, f"ご請求金額  {yen(invoice.total_yen)}", border="B", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    pdf.set_font("noto", size=9)
    pdf.set_fill_color(235, 240, 246)
    pdf.cell(120, 7, "内容", border=1, fill=True)
    pdf.cell(25, 7, "税区分", border=1, fill=True)
    pdf.cell(0, 7, "金額", border=1, fill=True, align="R", new_x="LMARGIN", new_y="NEXT")
    for line in invoice.lines.all():
        pdf.cell(120, 7, line.description[:60], border=1)
        pdf.cell(25, 7, TAX_LABELS.get(line.tax_category, line.tax_category), border=1)
        pdf.cell(0, 7, yen(line.amount_yen), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
        detail = line.detail or {}
        if invoice.kind == InvoiceKind.BURDEN and detail.get("method"):
            method = (
                "利用件数割"
                if detail["method"] == "usage"
                else f"均等割 {detail['equal_part']} ／ 人口割 "
                f"(人口2倍で{detail['doubling_factor']}倍)"
            )
            population = (
                f"人口 {detail['population']:,}人 ({detail['population_source']}, "
                f"{detail['population_reference_date']})"
                if detail.get("population") is not None
                else f"利用件数 {detail.get('usage_count')}"
            )
            pdf.set_font("noto", size=8)
            pdf.multi_cell(
                0,
                5,
                f"  按分: 総経費 {yen(detail['total_cost_yen'])} を "
                f"{detail['members']}団体で{method}。"
                f"{population}、{detail['months']}か月。",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.set_font("noto", size=9)
    pdf.ln(3)
    for t in invoice.tax_summary:
        label = TAX_LABELS.get(t["category"], t["category"])
        rate = (
            f"{float(t['rate']) * 100:.0f}%"
            if t["category"] in ("standard_10", "reduced_8")
            else ""
        )
        text = f"{label}  {yen(t['taxable_yen'])}"
        if rate:
            text += f"   消費税 ({rate}) {yen(t['tax_yen'])}"
        pdf.cell(0, 6, text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0, 7, f"合計 (税込)  {yen(invoice.total_yen)}", align="R", new_x="LMARGIN", new_y="NEXT"
    )
    if invoice.note:
        pdf.ln(2)
        pdf.multi_cell(0, 5, f"備考: {invoice.note}", new_x="LMARGIN", new_y="NEXT")
    if invoice.kind == InvoiceKind.BURDEN:
        pdf.ln(2)
        pdf.set_font("noto", size=8)
        pdf.multi_cell(
            0,
            5,
            "負担金は消費税の課税対象外 (不課税) です。人口は総務省統計局「国勢調査」による。",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
