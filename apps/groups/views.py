from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.viewer import viewer_from_request
from apps.catalog.models import Category
from apps.contracts.selectors import group_listing_usage
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of, known_fiscal_years
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.views import attempt
from apps.groups.models import ApportionmentKind, GroupKind, JointServiceYear
from apps.groups.selectors import (
    body_participations,
    group_get,
    group_member_summary,
    joint_service_get,
    joint_service_list,
    joint_service_years,
    membership_list,
    participation_list,
)
from apps.groups.services import (
    ParticipantInput,
    joint_service_create,
    joint_service_year_set,
    participation_set,
)
from apps.tenants.models import PopulationSource


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    group = group_get(viewer=viewer, group_id=group_id)
    if request.method == "POST" and request.POST.get("action") == "add_service":
        service = attempt(
            request,
            lambda: joint_service_create(
                viewer=viewer,
                group_id=group.pk,
                name=request.POST.get("name", ""),
                description=request.POST.get("description", ""),
            ),
            success="登録しました。",
        )
        if service is not None:
            return redirect("joint-service", service.pk)
        return redirect("group-detail", group.pk)
    members = list(membership_list(group=group))
    largest = max((m.population or 0 for m in members), default=0)
    for m in members:
        m.bar_percent = round(100 * (m.population or 0) / largest, 1) if largest else 0
    runs_it = viewer.is_secretariat or viewer.is_operator
    usage = list(group_listing_usage(group=group)) if runs_it else []
    categories = dict(Category.choices)
    for u in usage:
        u["category_label"] = categories.get(u["listing__category"], u["listing__category"])
        u["bar_percent"] = round(100 * u["bodies"] / len(members), 1) if members else 0
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": members,
            "summary": group_member_summary(group=group),
            "usage": usage,
            "runs_it": runs_it,
            "joint_services": joint_service_list(viewer=viewer).filter(group=group)
            if group.kind == GroupKind.COUNCIL
            else [],
        },
    )


def _month(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(f"{raw}-01" if len(raw) == 7 else raw).replace(day=1)
    except ValueError as exc:
        raise ApplicationError(
            f"「{raw}」は年月 (例: 2026-10) ではありません。", "invalid_month"
        ) from exc


@login_required
def joint_service(request: HttpRequest, service_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    service = joint_service_get(viewer=viewer, service_id=service_id)
    years = list(joint_service_years(service=service))
    current = fiscal_year_of(timezone.localdate())
    chosen = int(request.GET.get("fiscal_year") or (years[0].fiscal_year if years else current))
    year = next((y for y in years if y.fiscal_year == chosen), None)
    if request.method == "POST":
        if not viewer.is_secretariat:
            raise PermissionDenied(
                "予算と参加団体を登録できるのは事務局だけです。", "not_secretariat"
            )
        fy = int(request.POST.get("fiscal_year") or chosen)

        def save() -> JointServiceYear:
            try:
                equal = Decimal(request.POST.get("equal_part") or "0")
                factor = Decimal(request.POST.get("doubling_factor") or "1.5")
                total = int(request.POST.get("total_cost_yen", "").replace(",", ""))
            except (InvalidOperation, ValueError) as exc:
                raise ApplicationError(
                    "総経費・均等割・倍率は数値で入力してください。", "invalid_number"
                ) from exc
            saved = joint_service_year_set(
                viewer=viewer,
                service_id=service.pk,
                fiscal_year=fy,
                total_cost_yen=total,
                method=request.POST.get("method", ApportionmentKind.POPULATION),
                equal_part=equal,
                doubling_factor=factor,
                population_source=request.POST.get("population_source", "census-2020"),
                prorate_by_month=bool(request.POST.get("prorate_by_month")),
            )
            codes = request.POST.getlist("participant")
            participation_set(
                viewer=viewer,
                service_year_id=saved.pk,
                participants=[
                    ParticipantInput(
                        code,
                        _month(request.POST.get(f"joined_{code}", "")),
                        _month(request.POST.get(f"left_{code}", "")),
                        int(u) if (u := request.POST.get(f"usage_{code}", "")).isdigit() else None,
                    )
                    for code in codes
                ],
            )
            return saved

        attempt(
            request,
            transaction.atomic(save),
            success=f"{fiscal_year_label(fy)}の予算と参加団体を保存しました。",
        )
        return redirect(f"{request.path}?fiscal_year={fy}")
    participants = {p.body.code: p for p in participation_list(service_year=year)} if year else {}
    members = list(membership_list(group=service.group)) if viewer.is_secretariat else []
    return render(
        request,
        "groups/joint_service.html",
        {
            "service": service,
            "years": years,
            "year": year,
            "chosen": chosen,
            "fiscal_years": [
                (fy, fiscal_year_label(fy)) for fy in known_fiscal_years(timezone.localdate())
            ],
            "participants": participants,
            "members": members,
            "viewer": viewer,
            "methods": ApportionmentKind.choices,
            "sources": PopulationSource.choices,
        },
    )


@login_required
def my_joint_services(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    return render(
        request,
        "groups/my_joint_services.html",
        {"participations": body_participations(viewer=viewer)},
    )
