"""The official invoice (請求書) as a Japanese PDF: issuer with address, representative and
登録番号, the body's head as addressee, 和暦 dates, lines with a header repeated on every page,
totals by tax category, the bank account to pay into, page numbers. The font is Noto Sans CJK
JP from the PyPI package noto-cjk-sans-jp-regular (SIL OFL); fpdf2 embeds the glyphs used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fpdf import FPDF

from apps.core.domain.wareki import fiscal_year_label, wareki_date
from apps.core.pdf import font_path
from apps.invoicing.domain.billing import addressee
from apps.invoicing.models import Invoice, InvoiceKind
from apps.tenants.models import PopulationSource

TAX_LABELS = {
    "standard_10": "10%対象",
    "reduced_8": "8%対象 (軽減税率)",
    "exempt": "非課税",
    "outside": "不課税",
}
ROW = 7
DESCRIPTION_WIDTH = 118
CATEGORY_WIDTH = 30


def yen(amount: int) -> str:
    return f"{amount:,}円"


def _date(day: dt.date | None) -> str:
    return wareki_date(day, western=True) if day else "—"


def invoice_title(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.USAGE:
        return "請求書 (適格請求書)"
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return "返還請求書 (赤伝)"
    return "負担金請求書"


def apportionment_note(detail: dict) -> str:
    """How a burden line was computed, in one sentence (from the line's frozen detail)."""
    if detail["method"] == "usage":
        method = "利用件数割"
    else:
        equal = Decimal(detail["equal_part"]) * 100
        factor = Decimal(detail["doubling_factor"]).normalize()
        method = (
            f"均等割 {equal.normalize():f}% ／ 人口割 {(100 - equal).normalize():f}% "
            f"(人口が2倍なら負担は{factor:f}倍)"
        )
    if detail.get("population") is not None:
        source = PopulationSource(detail["population_source"]).label
        reference = dt.date.fromisoformat(detail["population_reference_date"])
        basis = f"人口 {detail['population']:,}人 ({source}、{wareki_date(reference)}現在)"
    else:
        basis = f"利用件数 {detail.get('usage_count')}件"
    return (
        f"按分: 総経費 {yen(detail['total_cost_yen'])} を {detail['members']}団体で{method}。"
        f"{basis}、{detail['months']}か月分。"
    )


class InvoicePdf(FPDF):
    def __init__(self, invoice: Invoice) -> None:
        super().__init__(format="A4")
        self.invoice = invoice
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font("noto", fname=font_path())
        self.set_font("noto", size=10)

    def line(self, text: str, *, height: float = 6, **kwargs: object) -> None:  # type: ignore[override]
        self.cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)  # type: ignore[arg-type]

    def header(self) -> None:
        """On the pages after the first: which invoice this continues, and for whom."""
        if self.page_no() == 1:
            return
        self.set_font("noto", size=9)
        i = self.invoice
        self.line(
            f"{invoice_title(i)} {i.number or '(下書き)'} の続き  —  "
            f"{addressee(i.recipient_name, i.recipient.kind)}  —  請求者 {i.issuer_name}",
            border="B",
        )
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("noto", size=8)
        number = self.invoice.number or "下書き"
        self.cell(0, 6, f"{number}   {self.page_no()} / {{nb}} ページ", align="C")

    def table_head(self) -> None:
        self.set_font("noto", size=9)
        self.set_fill_color(235, 240, 246)
        self.cell(DESCRIPTION_WIDTH, ROW, "内容", border=1, fill=True)
        self.cell(CATEGORY_WIDTH, ROW, "税区分", border=1, fill=True)
        self.cell(0, ROW, "金額", border=1, fill=True, align="R", new_x="LMARGIN", new_y="NEXT")

    def room_for(self, height: float) -> None:
        """Start a new page (with the table's head again) when `height` would not fit."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()
            self.table_head()


def _first_page(pdf: InvoicePdf, invoice: Invoice) -> None:
    details = invoice.issuer_details or {}
    pdf.set_font("noto", size=18)
    pdf.line(invoice_title(invoice), height=12, align="C")
    pdf.set_font("noto", size=10)
    draft = "" if invoice.number else " (下書き・未発行)"
    pdf.line(f"請求書番号: {invoice.number or '—'}{draft}", align="R")
    pdf.line(f"発行日: {_date(invoice.issue_date)}", align="R")
    pdf.line(f"支払期日: {_date(invoice.due_date)}", align="R")
    pdf.ln(2)
    pdf.set_font("noto", size=14)
    pdf.line(addressee(invoice.recipient_name, invoice.recipient.kind), height=9)
    pdf.set_font("noto", size=9)
    pdf.line(f"団体コード {invoice.recipient.code}")
    pdf.ln(2)
    pdf.set_font("noto", size=10)
    pdf.line(f"請求者: {invoice.issuer_name}", align="R")
    if details.get("address"):
        pdf.line(f"〒{details['postal_code']} {details['address']}", align="R")
    if details.get("representative"):
        pdf.line(f"代表者: {details['representative']}", align="R")
    if invoice.issuer_registration_number:
        pdf.line(f"登録番号: {invoice.issuer_registration_number}", align="R")
    if details.get("contact"):
        pdf.line(f"担当: {details['contact']}", align="R")
    fy = fiscal_year_label(invoice.fiscal_year)
    pdf.line(f"対象年度: {fy} ({invoice.fiscal_year}年度)")
    pdf.ln(2)
    pdf.set_font("noto", size=13)
    pdf.line(
        f"ご請求金額  {yen(invoice.total_yen)}  ({'不課税' if invoice.untaxed else '税込'})",
        height=9,
        border="B",
    )
    pdf.ln(3)
    if invoice.corrects is not None:
        pdf.set_font("noto", size=9)
        pdf.line(f"この返還請求書は、請求書 {invoice.corrects.number} を取り消すものです。")


def _lines(pdf: InvoicePdf, invoice: Invoice) -> None:
    pdf.table_head()
    for line in invoice.lines.all():
        detail = line.detail or {}
        note = apportionment_note(detail) if detail.get("method") else ""
        pdf.room_for(ROW + (10 if note else 0))
        pdf.set_font("noto", size=9)
        pdf.cell(DESCRIPTION_WIDTH, ROW, line.description[:64], border=1)
        pdf.cell(CATEGORY_WIDTH, ROW, TAX_LABELS.get(line.tax_category, "—"), border=1)
        pdf.cell(0, ROW, yen(line.amount_yen), border=1, align="R", new_x="LMARGIN", new_y="NEXT")
        if note:
            pdf.set_font("noto", size=7.5)
            pdf.multi_cell(0, 4.5, note, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _totals(pdf: InvoicePdf, invoice: Invoice) -> None:
    """Per tax category: the amount, and for a taxed rate its rate and tax (適格請求書の記載
    事項); then the total, labelled 税込 or 不課税."""
    pdf.room_for(ROW * (len(invoice.tax_summary) + 2))
    pdf.set_font("noto", size=10)
    for t in invoice.tax_summary:
        text = f"{TAX_LABELS.get(t['category'], '—')}  {yen(t['taxable_yen'])}"
        if t["category"] in ("standard_10", "reduced_8"):
            text += f"   消費税 ({float(t['rate']) * 100:.0f}%)  {yen(t['tax_yen'])}"
        pdf.line(text, align="R")
    pdf.set_font("noto", size=11)
    pdf.line(f"{invoice.total_label}  {yen(invoice.total_yen)}", height=8, align="R")
    pdf.ln(2)


def _payment_and_notes(pdf: InvoicePdf, invoice: Invoice) -> None:
    bank = (invoice.issuer_details or {}).get("bank")
    pdf.room_for(40)
    pdf.set_font("noto", size=10)
    if invoice.kind != InvoiceKind.CREDIT_NOTE:
        if bank:
            pdf.line("お振込先", border="B")
            pdf.line(
                f"{bank['name']} ({bank['code']})  {bank['branch_name']} ({bank['branch_code']})  "
                f"{bank['type']}  {bank['number']}"
            )
            pdf.line(f"口座名義: {bank['holder_kana']}")
            pdf.set_font("noto", size=8)
            pdf.line(
                f"{_date(invoice.due_date)}までにお振り込みください。振込依頼人名の前に"
                f"請求書番号 {invoice.number or ''} を入れていただくと照合が早くなります。"
            )
        else:
            pdf.line("お振込先: 未登録 (請求者にお問い合わせください)")
    pdf.set_font("noto", size=8)
    if invoice.note:
        pdf.ln(1)
        pdf.multi_cell(0, 5, f"備考: {invoice.note}", new_x="LMARGIN", new_y="NEXT")
    if invoice.untaxed:
        pdf.ln(1)
        pdf.multi_cell(
            0,
            5,
            "負担金は対価性のない経費の分担であり、消費税の課税対象外 (不課税) です。",
            new_x="LMARGIN",
            new_y="NEXT",
        )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice as a PDF (A4, as many pages as its lines need)."""
    pdf = InvoicePdf(invoice)
    pdf.add_page()
    _first_page(pdf, invoice)
    _lines(pdf, invoice)
    _totals(pdf, invoice)
    _payment_and_notes(pdf, invoice)
    return bytes(pdf.output())
