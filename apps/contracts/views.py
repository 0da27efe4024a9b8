from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from apps.accounts.viewer import viewer_from_request
from apps.approvals.models import ApplicationReview, ReviewKind
from apps.contracts.models import ApplicationStatus, ContractStatus
from apps.contracts.selectors import application_get, application_list, contract_get, contract_list
from apps.contracts.services import (
    application_accept,
    application_decline,
    application_review,
    application_withdraw,
    contract_cancel,
    contract_renew,
)
from apps.core.views import attempt, page_number


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    status = request.GET.get("status") or None
    return render(
        request,
        "contracts/applications.html",
        {
            "page": Paginator(application_list(viewer=viewer, status=status), 50).get_page(
                page_number(request)
            ),
            "statuses": ApplicationStatus.choices,
            "status": status,
        },
    )


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    application = application_get(viewer=viewer, application_id=application_id)
    if request.method == "POST":
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        actions = {
            "comment": (
                lambda: application_review(
                    viewer=viewer,
                    application_id=application_id,
                    kind=ReviewKind.COMMENT,
                    comment=comment,
                ),
                "コメントを追加しました。",
            ),
            "approve": (
                lambda: application_review(
                    viewer=viewer,
                    application_id=application_id,
                    kind=ReviewKind.APPROVED,
                    comment=comment,
                ),
                "承認しました。事業者に送付しました。",
            ),
            "reject": (
                lambda: application_review(
                    viewer=viewer,
                    application_id=application_id,
                    kind=ReviewKind.REJECTED,
                    comment=comment,
                ),
                "却下しました。",
            ),
            "withdraw": (
                lambda: application_withdraw(viewer=viewer, application_id=application_id),
                "申込を取り下げました。",
            ),
            "accept": (
                lambda: application_accept(viewer=viewer, application_id=application_id),
                "申込を承諾しました。利用契約が成立しました。",
            ),
            "decline": (
                lambda: application_decline(
                    viewer=viewer,
                    application_id=application_id,
                    reason=request.POST.get("reason", ""),
                ),
                "申込を辞退しました。",
            ),
        }
        if action in actions:
            fn, message = actions[action]
            attempt(request, fn, success=message)
        return redirect("application-detail", application_id)
    reviews = (
        ApplicationReview.objects.filter(application=application).select_related("author")
        if viewer.is_body_user
        else []
    )
    return render(
        request,
        "contracts/application_detail.html",
        {
            "application": application,
            "reviews": reviews,
            "viewer": viewer,
            "contract": getattr(application, "contract", None)
            if application.status == ApplicationStatus.ACCEPTED
            else None,
        },
    )


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    status = request.GET.get("status") or None
    return render(
        request,
        "contracts/contracts.html",
        {
            "page": Paginator(contract_list(viewer=viewer, status=status), 50).get_page(
                page_number(request)
            ),
            "statuses": ContractStatus.choices,
            "status": status,
            "viewer": viewer,
        },
    )


@login_required
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    contract = contract_get(viewer=viewer, contract_id=contract_id)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "renew":
            attempt(
                request,
                lambda: contract_renew(viewer=viewer, contract_id=contract_id),
                success="次の年度へ更新しました。",
            )
        elif action == "cancel":
            attempt(
                request,
                lambda: contract_cancel(viewer=viewer, contract_id=contract_id),
                success="解約を申し出ました。",
            )
        return redirect("contract-detail", contract_id)
    return render(
        request, "contracts/contract_detail.html", {"contract": contract, "viewer": viewer}
    )
