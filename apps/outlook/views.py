"""The outlook pages: a body's next fiscal year (its own site), as a page, a CSV and a PDF laid
out as a 予算要求資料; and a secretariat's view over the members of one of its groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.viewer import Viewer, viewer_from_request
from apps.core.csv_export import csv_response
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.views import page_number, submit
from apps.outlook import selectors
from apps.outlook.forms import FinanceRoleForm, OutlookForm


def _request(request: HttpRequest) -> tuple[Viewer, int, OutlookForm]:
    viewer = viewer_from_request(request)
    form = OutlookForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    fiscal_year = data.get("fiscal_year") or fiscal_year_of(timezone.localdate()) + 1
    return viewer, fiscal_year, form


def outlook_for_request(request: HttpRequest) -> Any:
    """The viewer's body's outlook for ?fiscal_year=, with ?add_listing= / ?add_option= added
    (nothing saved): the page, the CSV and the PDF."""
    viewer, fiscal_year, form = _request(request)
    data = form.cleaned_data if form.is_valid() else {}
    return (
        selectors.outlook_with(
            viewer=viewer,
            fiscal_year=fiscal_year,
            add_listing=data.get("add_listing"),
            add_option=data.get("add_option"),
        ),
        form,
    )


def _staff(viewer: Viewer) -> list[Any]:
    return list(selectors.finance_staff(viewer=viewer)) if viewer.is_body_admin else []


def _outlook_page(
    request: HttpRequest, *, role_form: FinanceRoleForm | None = None, status: int = 200
) -> HttpResponse:
    viewer = viewer_from_request(request)
    result, form = outlook_for_request(request)
    staff = _staff(viewer)
    return render(
        request,
        "outlook/body.html",
        {
            "o": result,
            "form": form,
            "viewer": viewer,
            "staff": staff,
            "role_form": role_form or FinanceRoleForm(staff=[(u.pk, u.full_name) for u in staff]),
        },
        status=status,
    )


@login_required
def outlook(request: HttpRequest) -> HttpResponse:
    return _outlook_page(request)


@login_required
@require_POST
def finance_role(request: HttpRequest) -> HttpResponse:
    """The administrator names who else may see the outlook (financial staff)."""
    from apps.accounts.services import finance_role_set

    viewer = viewer_from_request(request)
    viewer.require_body_admin()
    staff = [(u.pk, u.full_name) for u in _staff(viewer)]
    form = FinanceRoleForm(request.POST, staff=staff)
    done = submit(
        request,
        form,
        lambda d: finance_role_set(viewer=viewer, staff_id=d["staff_id"], on=d["on"]),
        success="財政・予算担当を設定しました。",
    )
    if done is None:
        return _outlook_page(request, role_form=form, status=400)
    return redirect("outlook")


@login_required
def outlook_csv(request: HttpRequest) -> StreamingHttpResponse:
    o, _form = outlook_for_request(request)
    rows = [
        [
            line.flow,
            line.pattern,
            line.label,
            line.state_label,
            line.gross_yen,
            line.scheme,
            line.rate if line.rate is not None else "",
            line.covered_yen,
            line.net_yen,
            line.note,
        ]
        for line in o.lines
    ]
    rows.append(
        ["合計", "", "", "", o.total.gross_yen, "", "", o.total.covered_yen, o.total.net_yen, ""]
    )
    return csv_response(
        f"outlook-{o.body.code}-{o.fiscal_year}.csv",
        [
            "区分",
            "方式",
            "内容",
            "状態",
            "見込額 (円)",
            "支援制度",
            "率",
            "支援額 (円)",
            "実質負担 (円)",
            "備考",
        ],
        rows,
    )


@login_required
def outlook_pdf(request: HttpRequest) -> HttpResponse:
    from apps.outlook.pdf import budget_request_pdf

    o, _form = outlook_for_request(request)
    response = HttpResponse(budget_request_pdf(o), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="outlook-{o.body.code}-{o.fiscal_year}.pdf"'
    )
    return response


@login_required
def group_outlook(request: HttpRequest, group_id: int) -> HttpResponse:
    viewer, fiscal_year, form = _request(request)
    group, rows = selectors.group_outlook(viewer=viewer, group_id=group_id, fiscal_year=fiscal_year)
    totals = {
        "burden_yen": sum(r.burden_yen for r in rows),
        "usage_yen": sum(r.usage_yen for r in rows),
        "covered_yen": sum(r.covered_yen for r in rows),
        "net_yen": sum(r.net_yen for r in rows),
    }
    return render(
        request,
        "outlook/group.html",
        {
            "group": group,
            "fiscal_year": fiscal_year,
            "page": Paginator(rows, 50).get_page(page_number(request)),
            "totals": totals,
            "near": [r for r in rows if r.near_caps],
            "form": form,
        },
    )


@login_required
def group_outlooks(request: HttpRequest) -> HttpResponse:
    viewer, fiscal_year, form = _request(request)
    return render(
        request,
        "outlook/groups.html",
        {"groups": selectors.secretariat_groups(viewer=viewer), "fiscal_year": fiscal_year},
    )
