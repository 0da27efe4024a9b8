from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from apps.accounts.backends import kept_page, reads_kept_ahead
from apps.accounts.pages import post_action
from apps.accounts.templatetags.humanize_ja import fiscal_year, wareki_month
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.approvals.models import ReviewKind
from apps.catalog.domain.fees import quote
from apps.catalog.models import FeeSchedule
from apps.catalog.selectors import schedule_domain
from apps.contracts.filters import ApplicationFilter, ContractFilter
from apps.contracts.forms import DeclineForm, ReviewForm
from apps.contracts.models import ApplicationStatus, Contract, ContractStatus
from apps.contracts.selectors import (
    application_get,
    application_list,
    application_reviews,
    contract_get,
    contract_ids,
    contract_rows,
    contracts_version,
    joint_use_counts,
    quote_for_body,
)
from apps.contracts.services import (
    application_accept,
    application_decline,
    application_review,
    application_withdraw,
    contract_cancel,
    contract_renew,
)
from apps.core.domain.fiscal import fiscal_year_end, months_in_fiscal_year
from apps.core.filters import InvalidFilters
from apps.core.views import page_number, submit
from apps.invoicing.domain.billing import prorated
from apps.tenants.selectors import body_population


def _list_page(
    request: HttpRequest, filterset: Any, template: str, statuses: Any, viewer: Viewer
) -> HttpResponse:
    """A list of 50 to a page, filtered by status."""
    valid = filterset.is_valid()
    qs = filterset.qs if valid else filterset.queryset.none()
    context = {
        "statuses": statuses,
        "status_labels": dict(statuses),
        "status": filterset.form.cleaned_data.get("status") if valid else None,
        "filter_form": filterset.form,
        "viewer": viewer,
        "page": Paginator(qs, 50).get_page(page_number(request)),
    }
    return render(request, template, context, status=200 if valid else 400)


CONTRACT_ROW = (
    '<tr><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    '<td><span class="badge" data-testid="contract-status">{}</span></td></tr>'
)
CONTRACT_STATUS_LABELS = dict(ContractStatus.choices)


def _contract_rows(page: Page) -> SafeString:
    """The contract list's rows, written here rather than in a template loop: with 50 rows
    the loop took most of the page's time (each value is escaped as the template would)."""
    base = reverse("contracts")
    return format_html_join(
        "\n",
        CONTRACT_ROW,
        (
            (
                r["body__name"],
                f"{base}{r['pk']}/",
                r["listing__name"],
                r["vendor__name"],
                wareki_month(r["start_month"]),
                ", ".join(fiscal_year(fy) for fy in r["term_years"] or ()),
                CONTRACT_STATUS_LABELS.get(r["status"], ""),
            )
            for r in contract_rows(ids=page.object_list)
        ),
    )


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    return _list_page(
        request,
        ApplicationFilter(request.GET, queryset=application_list(viewer=viewer)),
        "contracts/applications.html",
        ApplicationStatus.choices,
        viewer,
    )


@dataclass(frozen=True)
class YearFee:
    """One fiscal year of a contract: the fee schedule version that applies, the annual fee
    for the body's population, the months of that year it covers and the fee for them (月割,
    before tax) — what the year's invoice will carry (見込み until it is issued)."""

    fiscal_year: int
    schedule: FeeSchedule
    annual_yen: int
    months: int
    year_yen: int


def year_fees(*, contract: Contract) -> list[YearFee]:
    figure = body_population(body=contract.body, source=settings.DEFAULT_POPULATION_SOURCE)
    if figure is None:
        return []
    users = joint_use_counts(pairs=[(contract.body_id, contract.listing_id)])
    rows = []
    for term in contract.terms.select_related("fee_schedule").order_by("fiscal_year"):
        q = quote(
            schedule_domain(term.fee_schedule),
            figure.population,
            users[(contract.body_id, contract.listing_id)],
        )
        months = months_in_fiscal_year(term.fiscal_year, contract.start_month, contract.ends_on)
        rows.append(
            YearFee(
                term.fiscal_year,
                term.fee_schedule,
                q.annual_yen,
                months,
                prorated(q.annual_exact, months)[1],
            )
        )
    return rows


def _detail_page(
    request: HttpRequest,
    viewer: Viewer,
    application_id: int,
    *,
    bound: ReviewForm | DeclineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = application_get(viewer=viewer, application_id=application_id)
    return render(
        request,
        "contracts/application_detail.html",
        {
            "application": application,
            # what the decision is about: the fee of the first year, on the schedule that applies
            "quote": quote_for_body(
                body=application.body,
                listing=application.listing,
                fiscal_year=application.first_fiscal_year,
            ),
            "ends": fiscal_year_end(application.last_fiscal_year),
            "reviews": application_reviews(viewer=viewer, application_id=application_id),
            "viewer": viewer,
            "review_form": bound if isinstance(bound, ReviewForm) else ReviewForm(),
            "decline_form": bound if isinstance(bound, DeclineForm) else DeclineForm(),
            "contract": getattr(application, "contract", None)
            if application.status == ApplicationStatus.ACCEPTED
            else None,
        },
        status=status,
    )


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    return _detail_page(request, viewer_from_request(request), application_id)


def _form_action(
    request: HttpRequest,
    application_id: int,
    form: ReviewForm | DeclineForm,
    action: Callable[[Viewer, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """One application page form: 404 first, then the form, then the service; on refusal the
    same page again with the form and what was typed."""
    viewer = viewer_from_request(request)
    application_get(viewer=viewer, application_id=application_id)
    if submit(request, form, lambda d: action(viewer, d), success=success) is None:
        return _detail_page(request, viewer, application_id, bound=form, status=400)
    return redirect("application-detail", application_id)


def _review(request: HttpRequest, application_id: int, kind: str, success: str) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        ReviewForm(request.POST),
        lambda viewer, d: application_review(
            viewer=viewer, application_id=application_id, kind=kind, comment=d["comment"]
        ),
        success,
    )


@login_required
@require_POST
def application_comment(request: HttpRequest, application_id: int) -> HttpResponse:
    return _review(request, application_id, ReviewKind.COMMENT, "コメントを追加しました。")


@login_required
@require_POST
def application_approve(request: HttpRequest, application_id: int) -> HttpResponse:
    return _review(
        request, application_id, ReviewKind.APPROVED, "承認しました。事業者に送付しました。"
    )


@login_required
@require_POST
def application_reject(request: HttpRequest, application_id: int) -> HttpResponse:
    return _review(request, application_id, ReviewKind.REJECTED, "却下しました。")


application_withdraw_view = post_action(
    application_withdraw,
    success="申込を取り下げました。",
    redirect_to="application-detail",
    id_name="application_id",
)
application_accept_view = post_action(
    application_accept,
    success="申込を承諾しました。利用契約が成立しました。",
    redirect_to="application-detail",
    id_name="application_id",
)


@login_required
@require_POST
def application_decline_view(request: HttpRequest, application_id: int) -> HttpResponse:
    return _form_action(
        request,
        application_id,
        DeclineForm(request.POST),
        lambda viewer, d: application_decline(
            viewer=viewer, application_id=application_id, reason=d["reason"]
        ),
        "申込を辞退しました。",
    )


@reads_kept_ahead("contract-page")
@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """The contract list. The whole page is kept in Redis for the viewer and query (kept_page),
    checked against the version of the viewer's list (contracts_version: any write to the
    viewer's contracts, their terms, their services' or vendors' names changes it, however it
    was written); the bodies' version (the rows show a body's name) and the viewer's own are
    checked by kept_page. Only a query that passed the filter is kept (its check depends on
    the query alone), so a kept one needs no form."""
    viewer = viewer_from_request(request)

    def page(csrf_token: str) -> str:
        filterset = ContractFilter(request.GET, queryset=contract_ids(viewer=viewer))
        if not filterset.is_valid():
            raise InvalidFilters(filterset)
        listing = _contract_listing(request, filterset.qs, filterset.form.cleaned_data["status"])
        context = {"listing": listing, "csrf_token": csrf_token}
        return render_to_string("contracts/contracts.html", context, request=request)

    try:
        return kept_page(request, "contract-page", lambda: contracts_version(viewer=viewer), page)
    except InvalidFilters as invalid:  # nothing was kept (cached() keeps no exception)
        context = {
            "listing": _contract_listing(request, invalid.filterset.queryset.none(), None),
            "filter_form": invalid.filterset.form,
        }
        return render(request, "contracts/contracts.html", context, status=400)


def _contract_listing(request: HttpRequest, contract_ids: Any, status: str | None) -> str:
    page = Paginator(contract_ids, 50).get_page(page_number(request))
    return render_to_string(
        "contracts/_contracts_listing.html",
        {
            "page": page,
            "rows": _contract_rows(page),
            "status": status,
            "statuses": ContractStatus.choices,
        },
    )


@login_required
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    contract = contract_get(viewer=viewer, contract_id=contract_id)
    fees = year_fees(contract=contract)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "viewer": viewer,
            "fees": fees,
            "ends": contract.ends_on or (fiscal_year_end(fees[-1].fiscal_year) if fees else None),
        },
    )


contract_renew_view = post_action(
    contract_renew,
    success="次の年度へ更新しました。",
    redirect_to="contract-detail",
    id_name="contract_id",
)
contract_cancel_view = post_action(
    contract_cancel,
    success="解約を申し出ました。",
    redirect_to="contract-detail",
    id_name="contract_id",
)
