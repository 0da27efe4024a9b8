"""Certificates of completion (修了証) in Japanese, with the invoices' embedded font."""

from __future__ import annotations

from django.utils import timezone
from fpdf import FPDF

from apps.core.domain.wareki import wareki_date
from apps.core.pdf import font_path
from apps.training.models import Seat


def certificate_pdf(seat: Seat) -> bytes:
    pdf = FPDF(format="A4", orientation="L")
    pdf.add_font("noto", fname=font_path())
    pdf.add_page()
    pdf.set_font("noto", size=32)
    pdf.ln(20)
    pdf.cell(0, 20, "修 了 証", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=20)
    pdf.ln(6)
    pdf.cell(0, 14, f"{seat.participant_name} 様", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=12)
    pdf.cell(0, 8, f"所属 {seat.body.name}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto", size=14)
    pdf.ln(6)
    session = seat.session
    held = wareki_date(timezone.localtime(session.starts_at).date())
    pdf.multi_cell(
        0,
        10,
        f"あなたは {held} に実施された「{session.programme.title}」を修了したことを証します。",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(10)
    issued = seat.completed_on or timezone.localdate()
    pdf.cell(0, 10, f"{wareki_date(issued)}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0, 10, f"{session.programme.group.name} 事務局", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("noto", size=10)
    pdf.cell(
        0, 8, f"修了証番号 {seat.certificate_number}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())
