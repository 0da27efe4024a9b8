from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.viewer import viewer_from_request
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of, known_fiscal_years
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.views import attempt, page_number
from apps.invoicing.charts import share_chart
from apps.invoicing.domain.apportionment import ROUNDING_METHOD
from apps.invoicing.models import InvoiceKind, InvoiceStatus
from apps.invoicing.pdf import invoice_pdf
from apps.invoicing.selectors import (
    PAYMENT_STATES,
    invoice_get,
    invoice_list,
    line_get,
    payment_state,
    run_get,
    service_year_shares,
)
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_record,
)
from apps.tenants.models import PopulationSource

CSV_COLUMNS = [
    "請求書番号",
    "種類",
    "年度",
    "状態",
    "請求者",
    "登録番号",
    "団体コード",
    "宛先",
    "発行日",
    "支払期日",
    "税抜金額",
    "消費税額",
    "請求金額",
    "入金済み",
    "未入金",
    "入金状況",
]


def _filters(request: HttpRequest) -> dict:
    q = request.GET
    fy = q.get("fiscal_year", "")
    return {
        "fiscal_year": int(fy) if fy.isdigit() else None,
        "status": q.get("status") or None,
        "kind": q.get("kind") or None,
        "payment": q.get("payment") or None,
        "recipient_code": q.get("recipient") or None,
    }


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    filters = _filters(request)
    if request.method == "POST" and request.POST.get("action") == "issue_all":
        fy = int(request.POST.get("fiscal_year", "0") or 0)
        count = attempt(
            request,
            lambda: invoices_issue_all(viewer=viewer, fiscal_year=fy),
            success="下書きの請求書を発行しました。",
        )
        if count is not None:
            messages.info(request, f"{count}件を発行しました。")
        return redirect(f"{request.path}?fiscal_year={fy}")
    qs = invoice_list(viewer=viewer, **filters)
    page = Paginator(qs, 50).get_page(page_number(request))
    for invoice in page:
        invoice.payment_state = payment_state(invoice)  # type: ignore[attr-defined]
    current = fiscal_year_of(timezone.localdate())
    return render(
        request,
        "invoicing/invoices.html",
        {
            "page": page,
            "filters": filters,
            "viewer": viewer,
            "states": PAYMENT_STATES,
            "kinds": InvoiceKind.choices,
            "statuses": InvoiceStatus.choices,
            "fiscal_years": [
                (fy, fiscal_year_label(fy)) for fy in known_fiscal_years(timezone.localdate())
            ],
            "current_fy": current,
            "query": request.GET.urlencode(),
            "is_issuer": viewer.is_secretariat or viewer.is_vendor,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def invoices_csv(request: HttpRequest) -> StreamingHttpResponse:
    """CSV for the accounting system (UTF-8 with BOM so that Excel opens it in Japanese)."""
    viewer = viewer_from_request(request)
    qs = invoice_list(viewer=viewer, **_filters(request))
    writer = csv.writer(_Echo())

    def rows():  # type: ignore[no-untyped-def]
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)
        for i in qs.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    i.number,
                    i.get_kind_display(),
                    i.fiscal_year,
                    i.get_status_display(),
                    i.issuer_name,
                    i.issuer_registration_number,
                    i.recipient.code,
                    i.recipient_name,
                    i.issue_date or "",
                    i.due_date or "",
                    i.subtotal_yen,
                    i.tax_yen,
                    i.total_yen,
                    i.paid_yen,
                    i.outstanding_yen,
                    PAYMENT_STATES.get(payment_state(i), ""),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invoices.csv"'
    return response


@login_required
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    if request.method == "POST":
        if not (viewer.is_secretariat or viewer.is_vendor):
            raise PermissionDenied("この操作は請求する側だけが行えます。", "not_issuer")
        action = request.POST.get("action")
        if action == "issue":
            attempt(
                request,
                lambda: invoice_issue(viewer=viewer, invoice_id=invoice_id),
                success="発行しました。",
            )
        elif action == "credit":
            credit = attempt(
                request,
                lambda: invoice_credit(
                    viewer=viewer, invoice_id=invoice_id, reason=request.POST.get("reason", "")
                ),
                success="赤伝を発行して取り消しました。",
            )
            if credit is not None:
                return redirect("invoice-detail", credit.pk)
        elif action == "payment":

            def record():  # type: ignore[no-untyped-def]
                try:
                    amount = int(request.POST.get("amount_yen", "").replace(",", ""))
                    paid_on = dt.date.fromisoformat(request.POST.get("paid_on", ""))
                except ValueError as exc:
                    raise ApplicationError(
                        "入金額は整数、入金日は日付で入力してください。", "invalid_payment"
                    ) from exc
                return payment_record(
                    viewer=viewer,
                    invoice_id=invoice_id,
                    amount_yen=amount,
                    paid_on=paid_on,
                    note=request.POST.get("note", ""),
                )

            attempt(request, record, success="入金を記録しました。")
        return redirect("invoice-detail", invoice_id)
    return render(
        request,
        "invoicing/invoice_detail.html",
        {
            "invoice": invoice,
            "viewer": viewer,
            "state": payment_state(invoice),
            "states": PAYMENT_STATES,
            "today": timezone.localdate(),
            "corrections": invoice.corrections.all(),
        },
    )


@login_required
def invoice_pdf_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_get(viewer=viewer_from_request(request), invoice_id=invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    name = invoice.number or f"draft-{invoice.pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def line_why(request: HttpRequest, invoice_id: int, line_id: int) -> HttpResponse:
    """Why this amount: the method, T, the population and its source, the weight and raw
    share, the rounding, and every member's share against its population."""
    viewer = viewer_from_request(request)
    line = line_get(viewer=viewer, invoice_id=invoice_id, line_id=line_id)
    detail = line.detail or {}
    shares = (
        list(service_year_shares(service_year_id=detail["service_year"]))
        if detail.get("service_year")
        else []
    )
    chart = share_chart(
        [(s.body.code, s.body.name, s.population or 0, s.amount_yen) for s in shares],
        line.invoice.recipient.code,
    )
    return render(
        request,
        "invoicing/why.html",
        {
            "line": line,
            "invoice": line.invoice,
            "d": detail,
            "shares": shares,
            "chart": chart,
            "rounding": ROUNDING_METHOD,
            "sources": dict(PopulationSource.choices),
            "b_part": 1 - float(detail.get("equal_part", 0)) if detail else 1,
        },
    )


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """The secretariat's console for the fiscal-year run: start it, watch it, see the result."""
    viewer = viewer_from_request(request)
    if not (viewer.is_secretariat or viewer.is_operator):
        raise PermissionDenied("請求データの作成は事務局だけが行えます。", "not_secretariat")
    years = [(fy, fiscal_year_label(fy)) for fy in known_fiscal_years(timezone.localdate())]
    chosen = int(request.GET.get("fiscal_year") or fiscal_year_of(timezone.localdate()))
    return render(
        request,
        "invoicing/runs.html",
        {"fiscal_years": years, "chosen": chosen, "run": run_get(fiscal_year=chosen)},
    )
