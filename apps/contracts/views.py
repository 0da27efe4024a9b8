from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.pages import post_action
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.approvals.models import ReviewKind
from apps.contracts.filters import ApplicationFilter, ContractFilter
from apps.contracts.forms import DeclineForm, ReviewForm
from apps.contracts.models import ApplicationStatus, ContractStatus
from apps.contracts.selectors import (
    application_get,
    application_list,
    application_reviews,
    contract_get,
    contract_list,
)
from apps.contracts.services import (
    application_accept,
    application_decline,
    application_review,
    application_withdraw,
    contract_cancel,
    contract_renew,
)
from apps.core.views import page_number, submit


def _list_page(
    request: HttpRequest, filterset: Any, template: str, statuses: Any, viewer: Viewer
) -> HttpResponse:
    valid = filterset.is_valid()
    qs = filterset.qs if valid else filterset.queryset.none()
    return render(
        request,
        template,
        {
            "page": Paginator(qs, 50).get_page(page_number(request)),
            "statuses": statuses,
            "status": filterset.form.cleaned_data.get("status") if valid else None,
            "filter_form": filterset.form,
            "viewer": viewer,
        },
        status=200 if valid else 400,
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


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    return _list_page(
        request,
        ContractFilter(request.GET, queryset=contract_list(viewer=viewer)),
        "contracts/contracts.html",
        ContractStatus.choices,
        viewer,
    )


@login_required
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    contract = contract_get(viewer=viewer, contract_id=contract_id)
    return render(
        request, "contracts/contract_detail.html", {"contract": contract, "viewer": viewer}
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
