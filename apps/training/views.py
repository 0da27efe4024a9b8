from __future__ import annotations

import csv
import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.models import AdviserEngagement, User
from apps.accounts.viewer import viewer_from_request
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.views import attempt
from apps.groups.selectors import group_list
from apps.training.models import Delivery, EligibleRole, ProgrammeKind, SeatStatus
from apps.training.pdf import certificate_pdf
from apps.training.selectors import programme_list, seat_get, seat_list, session_get, session_list
from apps.training.services import (
    attendance_record,
    covered_part,
    engagement_record,
    programme_create,
    seat_apply,
    seat_approve,
    seat_cancel,
    session_create,
    training_role_set,
)

ROSTER_COLUMNS = [
    "日程",
    "研修",
    "団体コード",
    "団体名",
    "受講者",
    "状態",
    "出席",
    "修了",
    "修了証番号",
]


def _dt(raw: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ApplicationError(
            f"「{raw}」は日時 (例: 2026-12-01T10:00) ではありません。", "invalid_datetime"
        ) from exc
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    """Body staff: sessions open to them; the administrator can apply for a named member of
    staff and set staff's training roles. Secretariat: its programmes, sessions and rosters."""
    viewer = viewer_from_request(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "apply":
            staff = request.POST.get("staff_id") or None
            attempt(
                request,
                lambda: seat_apply(
                    viewer=viewer,
                    session_id=int(request.POST["session_id"]),
                    staff_id=int(staff) if staff else None,
                ),
                success="申し込みました。",
            )
        elif action == "role":
            attempt(
                request,
                lambda: training_role_set(
                    viewer=viewer,
                    staff_id=int(request.POST["staff_id"]),
                    role=request.POST.get("role", ""),
                ),
                success="研修上の役割を設定しました。",
            )
        elif action == "programme":
            cap = request.POST.get("per_body_cap", "").strip()
            attempt(
                request,
                lambda: programme_create(
                    viewer=viewer,
                    group_id=int(request.POST["group_id"]),
                    fiscal_year=int(request.POST.get("fiscal_year") or 0),
                    title=request.POST.get("title", ""),
                    kind=request.POST.get("kind", ""),
                    eligible_role=request.POST.get("eligible_role", "any"),
                    delivery=request.POST.get("delivery", "in_person"),
                    per_body_cap=int(cap) if cap.isdigit() else None,
                    requires_body_approval=bool(request.POST.get("requires_body_approval")),
                ),
                success="研修を登録しました。",
            )
        elif action == "session":
            attempt(
                request,
                lambda: session_create(
                    viewer=viewer,
                    programme_id=int(request.POST["programme_id"]),
                    starts_at=_dt(request.POST.get("starts_at", "")),
                    ends_at=_dt(request.POST.get("ends_at", "")),
                    capacity=int(request.POST.get("capacity") or 0),
                    application_deadline=_dt(request.POST.get("application_deadline", "")),
                    cancellation_deadline=_dt(request.POST.get("cancellation_deadline", "")),
                    venue=request.POST.get("venue", ""),
                    online_url=request.POST.get("online_url", ""),
                ),
                success="日程を登録しました。",
            )
        return redirect("training")
    context = {
        "viewer": viewer,
        "sessions": session_list(viewer=viewer),
        "programmes": programme_list(viewer=viewer),
        "kinds": ProgrammeKind.choices,
        "roles": EligibleRole.choices,
        "deliveries": Delivery.choices,
        "fiscal_year": fiscal_year_of(timezone.localdate()),
    }
    if viewer.is_body_admin:
        context["staff"] = User.objects.filter(is_active=True).order_by("username")
    if viewer.is_secretariat:
        context["groups"] = group_list(viewer=viewer)
    return render(request, "training/home.html", context)


@login_required
def seats(request: HttpRequest) -> HttpResponse:
    """A member of staff's training history; the administrator's view of the whole body, with
    approvals."""
    viewer = viewer_from_request(request)
    if not viewer.is_body_user:
        raise PermissionDenied("受講状況は団体の職員が見る画面です。", "not_body_user")
    if request.method == "POST":
        seat_id = int(request.POST.get("seat_id", "0") or 0)
        action = request.POST.get("action")
        if action == "cancel":
            attempt(
                request,
                lambda: seat_cancel(viewer=viewer, seat_id=seat_id),
                success="取り消しました。",
            )
        elif action in ("approve", "reject"):
            attempt(
                request,
                lambda: seat_approve(viewer=viewer, seat_id=seat_id, approve=action == "approve"),
                success="承認しました。" if action == "approve" else "却下しました。",
            )
        return redirect("training-seats")
    return render(
        request,
        "training/seats.html",
        {
            "seats": seat_list(viewer=viewer),
            "viewer": viewer,
            "live": (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED, SeatStatus.PENDING_APPROVAL),
        },
    )


@login_required
def roster(request: HttpRequest, session_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    if not viewer.is_secretariat:
        raise PermissionDenied("名簿は事務局が見る画面です。", "not_secretariat")
    session = session_get(viewer=viewer, session_id=session_id)
    if request.method == "POST":
        seat_id = int(request.POST.get("seat_id", "0") or 0)
        attempt(
            request,
            lambda: attendance_record(
                viewer=viewer,
                seat_id=seat_id,
                attended=request.POST.get("attended") == "1",
                completed=request.POST.get("completed") == "1",
            ),
            success="記録しました。",
        )
        return redirect("training-roster", session_id)
    return render(
        request,
        "training/roster.html",
        {"session": session, "seats": seat_list(viewer=viewer, session_id=session_id)},
    )


@login_required
def roster_csv(request: HttpRequest) -> HttpResponse:
    """Rosters as CSV: one session (?session=) or one body (?body=code) or all."""
    viewer = viewer_from_request(request)
    if not viewer.is_secretariat:
        raise PermissionDenied("名簿は事務局が出力します。", "not_secretariat")
    session = request.GET.get("session", "")
    qs = seat_list(viewer=viewer, session_id=int(session) if session.isdigit() else None)
    if request.GET.get("body"):
        qs = qs.filter(body__code=request.GET["body"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(ROSTER_COLUMNS)
    for s in qs:
        writer.writerow(
            [
                s.session.starts_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                s.session.programme.title,
                s.body.code,
                s.body.name,
                s.participant_name,
                s.get_status_display(),
                "" if s.attended is None else ("出席" if s.attended else "欠席"),
                "修了" if s.completed else "",
                s.certificate_number,
            ]
        )
    return response


@login_required
def certificate(request: HttpRequest, seat_id: int) -> HttpResponse:
    seat = seat_get(viewer=viewer_from_request(request), seat_id=seat_id)
    if not seat.completed:
        raise ApplicationError("修了した研修だけ修了証を出力できます。", "not_completed")
    response = HttpResponse(certificate_pdf(seat), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{seat.certificate_number}.pdf"'
    return response


@login_required
def advisers(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    if not viewer.is_body_admin:
        raise PermissionDenied("外部人材の記録は団体管理者の画面です。", "not_body_admin")
    if request.method == "POST":

        def record():  # type: ignore[no-untyped-def]
            try:
                starts = dt.date.fromisoformat(request.POST.get("starts_on", ""))
                ends = dt.date.fromisoformat(request.POST.get("ends_on", ""))
                cost = int(request.POST.get("cost_yen", "").replace(",", ""))
            except ValueError as exc:
                raise ApplicationError(
                    "日付と費用 (整数) を入力してください。", "invalid_engagement"
                ) from exc
            return engagement_record(
                viewer=viewer,
                role=request.POST.get("role", ""),
                adviser_name=request.POST.get("adviser_name", ""),
                starts_on=starts,
                ends_on=ends,
                cost_yen=cost,
            )

        attempt(request, record, success="記録しました。")
        return redirect("advisers")
    rows = []
    for e in AdviserEngagement.objects.all():
        rate, covered = covered_part(e)
        rows.append(
            {
                "e": e,
                "rate": rate,
                "covered": covered,
                "own": e.cost_yen - covered if covered is not None else None,
            }
        )
    return render(request, "training/advisers.html", {"rows": rows})
