"""Invoice PDFs in Japanese. The font is Noto Sans CJK JP from the PyPI package
noto-cjk-sans-jp-regular (installed with the project, SIL OFL); fpdf2 embeds the subset of
glyphs used, so the PDF shows the same text on every machine."""

from __future__ import annotations

from fpdf import FPDF

from apps.core.domain.fiscal import fiscal_year_label
from apps.core.pdf import font_path
from apps.invoicing.models import Invoice, InvoiceKind

TAX_LABELS = {
    "standard_10": "10%対象",
    "reduced_8": "8%対象 (軽減税率)",
    "exempt": "非課税",
    "outside": "不課税",
}


def yen(amount: int) -> str:
    return f"{amount:,}円"


def invoice_title(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.USAGE:
        return "請求書 (適格請求書)"
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return "返還請求書 (赤伝)"
    return "負担金請求書"


def _line(pdf: FPDF, text: str, *, height: float = 6, **kwargs: object) -> None:
    pdf.cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)  # type: ignore[arg-type]


def _header(pdf: FPDF, invoice: Invoice) -> None:
    """Title, number and dates, the addressee, the issuer and the amount asked."""
    pdf.set_font("noto", size=18)
    _line(pdf, invoice_title(invoice), height=12, align="C")
    pdf.set_font("noto", size=10)
    status = "" if invoice.number else " (下書き・未発行)"
    _line(pdf, f"請求書番号: {invoice.number or '—'}{status}", align="R")
    _line(
        pdf,
        f"発行日: {invoice.issue_date or '—'}    支払期日: {invoice.due_date or '—'}",
        align="R",
    )
    pdf.ln(4)
    pdf.set_font("noto", size=14)
    _line(pdf, f"{invoice.recipient_name} 御中  (団体コード {invoice.recipient.code})", height=9)
    pdf.set_font("noto", size=10)
    _line(pdf, f"請求者: {invoice.issuer_name}")
    if invoice.issuer_registration_number:
        _line(pdf, f"登録番号: {invoice.issuer_registration_number}")
    _line(pdf, f"対象年度: {fiscal_year_label(invoice.fiscal_year)} ({invoice.fiscal_year}年度)")
    pdf.ln(3)
    pdf.set_font("noto", size=13)
    _line(pdf, f"ご請求金額  {yen(invoice.total_yen)}", height=9, border="B")
    pdf.ln(3)


def apportionment_note(detail: dict) -> str:
    """How a burden line was computed, in one sentence (from the line's frozen detail)."""
    method = (
        "利用件数割"
        if detail["method"] == "usage"
        else f"均等割 {detail['equal_part']} ／ 人口割 (人口2倍で{detail['doubling_factor']}倍)"
    )
    population = (
        f"人口 {detail['population']:,}人 ({detail['population_source']}, "
        f"{detail['population_reference_date']})"
        if detail.get("population") is not None
        else f"利用件数 {detail.get('usage_count')}"
    )
    return (
        f"  按分: 総経費 {yen(detail['total_cost_yen'])} を {detail['members']}団体で{method}。"
        f"{population}、{detail['months']}か月。"
    )


def _lines(pdf: FPDF, invoice: Invoice) -> None:
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
            pdf.set_font("noto", size=8)
            pdf.multi_cell(0, 5, apportionment_note(detail), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("noto", size=9)
    pdf.ln(3)


def _totals(pdf: FPDF, invoice: Invoice) -> None:
    """Per tax category (with the tax of the rates that have one), the total, notes."""
    for t in invoice.tax_summary:
        text = f"{TAX_LABELS.get(t['category'], t['category'])}  {yen(t['taxable_yen'])}"
        if t["category"] in ("standard_10", "reduced_8"):
            text += f"   消費税 ({float(t['rate']) * 100:.0f}%) {yen(t['tax_yen'])}"
        _line(pdf, text, align="R")
    _line(pdf, f"合計 (税込)  {yen(invoice.total_yen)}", height=7, align="R")
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


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a Japanese PDF: header, lines (burden lines with how they were
    apportioned), totals."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("noto", fname=font_path())
    pdf.add_page()
    _header(pdf, invoice)
    _lines(pdf, invoice)
    _totals(pdf, invoice)
    return bytes(pdf.output())
