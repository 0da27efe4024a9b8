from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from apps.accounts.backends import kept_page, reads_kept_ahead
from apps.accounts.pages import post_action
from apps.accounts.templatetags.humanize_ja import fiscal_year, wareki, yen_digits
from apps.accounts.viewer import (
    Viewer,
    viewer_from_request,
)
from apps.core.csv_export import csv_response
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of, known_fiscal_years
from apps.core.errors import ApplicationError, NotFound
from apps.core.filters import InvalidFilters, filtered
from apps.core.views import page_number, submit
from apps.invoicing.charts import share_chart
from apps.invoicing.domain.billing import addressee
from apps.invoicing.filters import InvoiceFilter
from apps.invoicing.forms import (
    CreditForm,
    IssueAllForm,
    PaymentForm,
    PaymentReverseForm,
    RunChoiceForm,
)
from apps.invoicing.models import InvoiceKind, InvoiceStatus, outstanding_yen
from apps.invoicing.pdf import invoice_pdf
from apps.invoicing.selectors import (
    AGEING_BUCKETS,
    PAYMENT_STATES,
    ageing,
    invoice_get,
    invoice_list,
    invoice_rows,
    invoices_fingerprint,
    issuer_has_profile,
    line_get,
    no_invoices,
    payment_state,
    receivables,
    run_get,
    run_groups,
    service_year_shares,
)
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_record,
    payment_reverse,
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


def _invoice_filter(request: HttpRequest, viewer: Viewer) -> InvoiceFilter:
    return InvoiceFilter(request.GET, queryset=invoice_list(viewer=viewer))


@reads_kept_ahead("invoice-page")
@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    """The whole page is kept in Redis for the viewer and query (kept_page), checked against
    the fingerprint of every invoice the viewer may see (invoices_fingerprint: any write to any
    of them changes it, however it was written) and the day (the payment states, the ageing,
    the fiscal years the filter accepts and the year to issue move with it); the bodies' and
    the viewer's versions are checked by kept_page. Only valid queries are kept, and the
    filters' checks depend on the query and the day alone, so a kept page needs no form."""
    viewer = viewer_from_request(request)
    today = timezone.localdate()

    def check() -> str:
        side = "body" if viewer.is_body_user else "issuer"
        return f"{side}|{invoices_fingerprint(viewer=viewer)}|{today.isoformat()}"

    try:
        return kept_page(
            request,
            "invoice-page",
            check,
            lambda csrf_token: _invoices_html(request, viewer, today, csrf_token=csrf_token),
        )
    except InvalidFilters:  # nothing was kept (cached() keeps no exception)
        return _invoices_page(request, viewer)  # the refused filter's page, with its errors


def _invoices_page(
    request: HttpRequest,
    viewer: Viewer,
    *,
    issue_form: IssueAllForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page as it is now, kept nowhere: with a refused filter's or issue form's errors."""
    today = timezone.localdate()
    try:
        html = _invoices_html(request, viewer, today, issue_form=issue_form)
    except InvalidFilters as invalid:
        html = _invoices_html(request, viewer, today, refused=invalid.filterset)
        status = 400
    return HttpResponse(html, status=status)


def _invoices_html(
    request: HttpRequest,
    viewer: Viewer,
    today: dt.date,
    *,
    issue_form: IssueAllForm | None = None,
    refused: InvoiceFilter | None = None,
    csrf_token: str | None = None,
) -> str:
    """The page's HTML: the filters, the receivables, the ageing, the rows and the pager, and
    for an issuer the form that issues the drafts. Raises InvalidFilters for a refused query,
    unless `refused` (its filter) is given: then the form's errors and no rows."""
    filterset = refused or InvoiceFilter(request.GET, queryset=no_invoices())
    if refused is None and not filterset.is_valid():
        raise InvalidFilters(filterset)
    invoices = (
        invoice_list(viewer=viewer).none()
        if refused is not None
        else filterset.filter_queryset(invoice_list(viewer=viewer))
    )
    listing = _invoice_listing_html(request, viewer, filterset, today, invoices)
    context: dict[str, Any] = {
        "listing": listing,
        "filter_form": refused.form if refused is not None else None,
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    if viewer.is_secretariat or viewer.is_vendor:
        current = fiscal_year_of(today)
        context |= {
            "is_issuer": True,
            "fiscal_years": _fiscal_year_choices(today),
            "current_fy": current,
            "issue_form": issue_form or IssueAllForm(initial={"fiscal_year": current}),
        }
    return render_to_string("invoicing/invoices.html", context, request=request)


def _fiscal_year_choices(today: dt.date) -> list[tuple[int, str]]:
    return [(fy, fiscal_year_label(fy)) for fy in known_fiscal_years(today)]


def _invoice_listing_html(
    request: HttpRequest,
    viewer: Viewer,
    filterset: InvoiceFilter,
    today: dt.date,
    invoices: QuerySet[Any],
) -> str:
    page = Paginator(invoice_rows(invoices), 50).get_page(page_number(request))
    to_body = viewer.is_body_user
    return render_to_string(
        "invoicing/_invoices_listing.html",
        {
            "filters": filterset.form.cleaned_data if filterset.is_valid() else {},
            "fiscal_years": _fiscal_year_choices(today),
            "statuses": InvoiceStatus.choices,
            "kinds": InvoiceKind.choices,
            "states": PAYMENT_STATES,
            "page": page,
            "rows": _invoice_rows(page, to_body=to_body),
            "receivables": receivables(viewer=viewer),
            "ageing": _ageing_rows(ageing(viewer=viewer, by="issuer" if to_body else "recipient")),
            "buckets": AGEING_BUCKETS,
            "query": request.GET.urlencode(),
            "to_body": to_body,
        },
    )


INVOICE_ROW = (
    '<tr><td><a href="{href}">{number}</a></td><td>{year}</td><td>{kind}</td>'
    '<td><a href="{href}">{party}</a>{code}</td><td class="num">{total}円</td>'
    '<td class="num">{outstanding}</td><td>{due}</td><td>{state}</td></tr>'
)
KIND_LABELS = dict(InvoiceKind.choices)
DRAFT_BADGE = mark_safe('<span class="badge">下書き</span>')


def _invoice_rows(page: Page, *, to_body: bool) -> SafeString:
    """The list's rows, written here rather than in a template loop: with 50 rows the loop
    took most of the page's time (each value is escaped as the template would). A body sees
    who bills it; an issuer, whom it bills and the body's code."""
    base = reverse("invoices")
    return format_html_join(
        "\n",
        INVOICE_ROW,
        (
            {
                "href": f"{base}{r['pk']}/",
                "number": r["number"] or "(下書き)",
                "year": fiscal_year(r["fiscal_year"]),
                "kind": KIND_LABELS.get(r["kind"], r["kind"]),
                "party": r["issuer_name"] if to_body else r["recipient_name"],
                "code": ""
                if to_body
                else format_html(' <span class="muted">{}</span>', r["recipient__code"]),
                "total": yen_digits(r["total_yen"]),
                "outstanding": (
                    yen_digits(
                        outstanding_yen(r["kind"], r["is_cancelled"], r["total_yen"], r["paid_yen"])
                    )
                    + "円"
                    if r["status"] == InvoiceStatus.ISSUED
                    else ""
                ),
                "due": wareki(r["due_date"]),
                "state": (
                    DRAFT_BADGE
                    if r["status"] == InvoiceStatus.DRAFT
                    else format_html(
                        '<span class="badge state-{}" data-testid="payment-state">{}</span>',
                        r["payment_state_now"],
                        PAYMENT_STATES.get(r["payment_state_now"], ""),
                    )
                ),
            }
            for r in page
        ),
    )


AGEING_ROW = (
    "<tr><td>{name}</td>"
    + "".join(f'<td class="num">{{{key}}}円</td>' for key, *_ in AGEING_BUCKETS)
    + '<td class="num">{total}円</td></tr>'
)


def _ageing_rows(rows: list[dict[str, Any]]) -> SafeString:
    """The ageing table's rows (one per body or issuer), written here for the same reason."""
    return format_html_join(
        "\n",
        AGEING_ROW,
        (
            {
                "name": row["name"],
                "total": yen_digits(row["total"]),
                **{key: yen_digits(row[key]) for key, *_ in AGEING_BUCKETS},
            }
            for row in rows
        ),
    )


@login_required
@require_POST
def invoices_issue_all_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    form = IssueAllForm(request.POST)
    count = submit(
        request,
        form,
        lambda d: invoices_issue_all(viewer=viewer, fiscal_year=d["fiscal_year"], kind=d["kind"]),
        success="下書きの請求書を発行しました。",
    )
    if count is None:
        return _invoices_page(request, viewer, issue_form=form, status=400)
    messages.info(request, f"{count}件を発行しました。")
    return redirect(f"{reverse('invoices')}?fiscal_year={form.cleaned_data['fiscal_year']}")


@login_required
def invoices_csv(request: HttpRequest) -> StreamingHttpResponse:
    """CSV for the accounting system (UTF-8 with BOM so that Excel opens it in Japanese)."""
    viewer = viewer_from_request(request)
    qs = filtered(_invoice_filter(request, viewer))
    rows = (
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
        for i in qs.iterator(chunk_size=2000)
    )
    return csv_response("invoices.csv", CSV_COLUMNS, rows)


def _detail_page(
    request: HttpRequest,
    viewer: Viewer,
    invoice_id: int,
    *,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    invoice = invoice_get(viewer=viewer, invoice_id=invoice_id)
    return render(
        request,
        "invoicing/invoice_detail.html",
        {
            "invoice": invoice,
            "viewer": viewer,
            "state": payment_state(invoice),
            "states": PAYMENT_STATES,
            "corrections": invoice.corrections.all(),
            "payment_form": forms.get("payment_form")
            or PaymentForm(
                initial={"amount_yen": invoice.outstanding_yen, "paid_on": timezone.localdate()}
            ),
            "credit_form": forms.get("credit_form") or CreditForm(),
            "addressee": addressee(invoice.recipient_name, invoice.recipient.kind),
            "profile_missing": invoice.status == InvoiceStatus.DRAFT
            and (viewer.is_secretariat or viewer.is_vendor)
            and not issuer_has_profile(issuer_key=invoice.issuer_key),
        },
        status=status,
    )


@login_required
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _detail_page(request, viewer_from_request(request), invoice_id)


def _issuer(request: HttpRequest, invoice_id: int) -> Viewer:
    viewer = viewer_from_request(request)
    invoice_get(viewer=viewer, invoice_id=invoice_id)  # 404 for an invoice the viewer can't see
    viewer.require_issuer()
    return viewer


invoice_issue_view = post_action(
    invoice_issue, success="発行しました。", redirect_to="invoice-detail", id_name="invoice_id"
)


@login_required
@require_POST
def invoice_credit_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    viewer = _issuer(request, invoice_id)
    form = CreditForm(request.POST)
    credit = submit(
        request,
        form,
        lambda d: invoice_credit(viewer=viewer, invoice_id=invoice_id, reason=d["reason"]),
        success="赤伝を発行して取り消しました。",
    )
    if credit is None:
        return _detail_page(request, viewer, invoice_id, status=400, credit_form=form)
    return redirect("invoice-detail", credit.pk)


@login_required
@require_POST
def payment_reverse_view(request: HttpRequest, invoice_id: int, payment_id: int) -> HttpResponse:
    viewer = _issuer(request, invoice_id)
    form = PaymentReverseForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: payment_reverse(
            viewer=viewer, invoice_id=invoice_id, payment_id=payment_id, reason=d["reason"]
        ),
        success="入金の記録を取り消しました (訂正の記録を残しました)。",
    )
    if done is None and not form.is_valid():
        messages.error(request, "取り消す理由を入力してください。")
    return redirect("invoice-detail", invoice_id)


@login_required
@require_POST
def payment_add(request: HttpRequest, invoice_id: int) -> HttpResponse:
    viewer = _issuer(request, invoice_id)
    form = PaymentForm(request.POST)
    done = submit(
        request,
        form,
        lambda d: payment_record(viewer=viewer, invoice_id=invoice_id, **d),
        success="入金を記録しました。",
    )
    if done is None:
        return _detail_page(request, viewer, invoice_id, status=400, payment_form=form)
    return redirect("invoice-detail", invoice_id)


@login_required
def invoice_pdf_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = invoice_get(viewer=viewer_from_request(request), invoice_id=invoice_id)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    name = invoice.number or f"draft-{invoice.pk}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def why_in_words(detail: dict[str, Any]) -> dict[str, Any]:
    """The figures the "why" page puts into sentences: percentages, the factor as written
    (1.5, not 1.5000), the equal part in yen, the raw share rounded to the yen; the exact
    values (to two decimals of a yen, the weight to six digits) for those who open them."""
    if not detail:
        return {}
    total = Decimal(detail["total_cost_yen"])
    equal = Decimal(detail.get("equal_part") or 0)
    raw = Decimal(detail["raw_share"])
    weight = Decimal(detail.get("weight") or 0)
    return {
        "equal_pct": f"{(equal * 100).normalize():f}",
        "population_pct": f"{((1 - equal) * 100).normalize():f}",
        "equal_yen": int((total * equal).to_integral_value(rounding=ROUND_FLOOR)),
        "factor": f"{Decimal(detail.get('doubling_factor') or 1).normalize():f}",
        "raw_yen": int(raw.to_integral_value(rounding=ROUND_FLOOR)),
        "raw_exact": f"{raw.quantize(Decimal('0.01'), rounding=ROUND_FLOOR):,}",
        "weight": f"{weight:.6g}" if weight else "",
    }


@login_required
def line_why(request: HttpRequest, invoice_id: int, line_id: int) -> HttpResponse:
    """Why this amount: the method, T, the population and its source, the weight and raw
    share, the rounding, and every member's share against its population."""
    viewer = viewer_from_request(request)
    line = line_get(viewer=viewer, invoice_id=invoice_id, line_id=line_id)
    detail = line.detail or {}
    shares = (
        list(service_year_shares(viewer=viewer, service_year_id=detail["service_year"]))
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
            "explain": why_in_words(detail),
            "sources": dict(PopulationSource.choices),
        },
    )


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """The console of the fiscal-year run: a secretariat starts and watches its councils' runs;
    the operator also the national run (every council and every vendor)."""
    viewer = viewer_from_request(request)
    viewer.require_secretariat_or_operator()
    groups = [(g.pk, g.name) for g in run_groups(viewer=viewer)]
    choices = (
        [(0, "全国の一括処理 (すべての協議会と事業者)")] if viewer.is_operator else []
    ) + groups
    form = RunChoiceForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(
            "年度と協議会を選び直してください。",
            "invalid_filter",
            fields={k: [str(e) for e in v] for k, v in form.errors.items()},
        )
    chosen = form.cleaned_data["fiscal_year"] or fiscal_year_of(timezone.localdate())
    asked = form.cleaned_data["group"]
    if asked is not None and asked not in dict(choices):
        raise NotFound("この協議会は見つからないか、担当していません。", "group_not_found")
    group_id = (asked if asked is not None else choices[0][0] if choices else 0) or None
    if group_id is None and not viewer.is_operator:
        raise NotFound("担当している協議会がありません。", "group_not_found")
    years = _fiscal_year_choices(timezone.localdate())
    url = (
        reverse("api-group-invoice-run", args=[group_id, chosen])
        if group_id
        else reverse("api-invoice-run", args=[chosen])
    )
    return render(
        request,
        "invoicing/runs.html",
        {
            "fiscal_years": years,
            "chosen": chosen,
            "groups": choices,
            "group_id": group_id or 0,
            "run_url": url,
            "run": run_get(viewer=viewer, fiscal_year=chosen, group_id=group_id),
        },
    )
