from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.viewer import Viewer, viewer_from_request
from apps.catalog.models import Category
from apps.contracts.selectors import group_listing_usage
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.forms import YearForm
from apps.core.views import submit
from apps.groups.forms import JointServiceForm, JointServiceYearForm
from apps.groups.models import GroupKind
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
from apps.groups.services import joint_service_create, joint_service_year_save


def _group_page(
    request: HttpRequest,
    group_id: int,
    *,
    service_form: JointServiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = viewer_from_request(request)
    group = group_get(viewer=viewer, group_id=group_id)
    members = list(membership_list(viewer=viewer, group_id=group.pk))
    largest = max((m.population or 0 for m in members), default=0)
    for m in members:
        m.bar_percent = round(100 * (m.population or 0) / largest, 1) if largest else 0
    runs_it = viewer.is_secretariat or viewer.is_operator
    usage = list(group_listing_usage(viewer=viewer, group_id=group.pk)) if runs_it else []
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
            "summary": group_member_summary(viewer=viewer, group_id=group.pk),
            "usage": usage,
            "runs_it": runs_it,
            "service_form": service_form or JointServiceForm(),
            "joint_services": joint_service_list(viewer=viewer).filter(group=group)
            if group.kind == GroupKind.COUNCIL
            else [],
        },
        status=status,
    )


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    return _group_page(request, group_id)


@login_required
@require_POST
def joint_service_add(request: HttpRequest, group_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    group = group_get(viewer=viewer, group_id=group_id)
    form = JointServiceForm(request.POST)
    service = submit(
        request,
        form,
        lambda d: joint_service_create(viewer=viewer, group_id=group.pk, **d),
        success="登録しました。",
    )
    if service is None:
        return _group_page(request, group_id, service_form=form, status=400)
    return redirect("joint-service", service.pk)


def _year_form(
    viewer: Viewer, service: Any, year: Any, chosen: int, data: Any = None
) -> JointServiceYearForm | None:
    if not viewer.is_secretariat:
        return None
    members = [
        (m.body.code, m.body.name)
        for m in membership_list(viewer=viewer, group_id=service.group_id)
    ]
    if data is not None:
        return JointServiceYearForm(data, members=members)
    participants = (
        {
            p.body.code: p
            for p in participation_list(
                viewer=viewer, service_id=service.pk, fiscal_year=year.fiscal_year
            )
        }
        if year
        else {}
    )
    initial: dict[str, Any] = {
        "fiscal_year": chosen,
        "participant": list(participants) if year else [c for c, _ in members],
    }
    if year is not None:
        initial |= {
            "total_cost_yen": year.total_cost_yen,
            "method": year.method,
            "equal_part": year.equal_part,
            "doubling_factor": year.doubling_factor,
            "population_source": year.population_source,
            "prorate_by_month": year.prorate_by_month,
        }
    for code, p in participants.items():
        initial[f"joined_{code}"] = p.joined_month
        initial[f"left_{code}"] = p.left_month
        initial[f"usage_{code}"] = p.usage_count
    return JointServiceYearForm(members=members, initial=initial)


def _service_page(
    request: HttpRequest,
    service_id: int,
    *,
    chosen: int | None = None,
    data: Any = None,
    status: int = 200,
) -> HttpResponse:
    viewer = viewer_from_request(request)
    service = joint_service_get(viewer=viewer, service_id=service_id)
    years = list(joint_service_years(viewer=viewer, service_id=service.pk))
    if chosen is None:
        form = YearForm(request.GET)
        asked = form.cleaned_data.get("fiscal_year") if form.is_valid() else None
        current = fiscal_year_of(timezone.localdate())
        chosen = asked or (years[0].fiscal_year if years else current)
    year = next((y for y in years if y.fiscal_year == chosen), None)
    return render(
        request,
        "groups/joint_service.html",
        {
            "service": service,
            "years": years,
            "year": year,
            "chosen": chosen,
            "viewer": viewer,
            "form": _year_form(viewer, service, year, chosen, data),
        },
        status=status,
    )


@login_required
def joint_service(request: HttpRequest, service_id: int) -> HttpResponse:
    return _service_page(request, service_id)


@login_required
@require_POST
def joint_service_year(request: HttpRequest, service_id: int) -> HttpResponse:
    """The year's budget and participants, saved in one service call (all or nothing)."""
    viewer = viewer_from_request(request)
    service = joint_service_get(viewer=viewer, service_id=service_id)
    viewer.require_secretariat()
    form = _year_form(viewer, service, None, 0, request.POST)
    assert form is not None  # noqa: S101 (a secretariat always gets the form)
    saved = submit(
        request,
        form,
        lambda d: joint_service_year_save(
            viewer=viewer,
            service_id=service.pk,
            fiscal_year=d["fiscal_year"],
            values=form.values(),
            participants=form.participants(),
        ),
        success="予算と参加団体を保存しました。",  # the page then shows the year saved
    )
    if saved is None:
        chosen = form.cleaned_data.get("fiscal_year") if hasattr(form, "cleaned_data") else None
        return _service_page(
            request,
            service_id,
            chosen=chosen or fiscal_year_of(timezone.localdate()),
            data=request.POST,
            status=400,
        )
    return redirect(
        f"{reverse('joint-service', args=[service_id])}?fiscal_year={saved.fiscal_year}"
    )


@login_required
def my_joint_services(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    return render(
        request,
        "groups/my_joint_services.html",
        {"participations": body_participations(viewer=viewer)},
    )
