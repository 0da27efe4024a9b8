from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.pages import post_action
from apps.accounts.viewer import (
    Viewer,
    viewer_from_request,
)
from apps.core.csv_export import csv_response
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.errors import ApplicationError
from apps.core.views import attempt, submit
from apps.groups.selectors import group_list
from apps.training.forms import (
    AttendanceForm,
    EngagementForm,
    ProgrammeForm,
    RosterFilterForm,
    SeatApplyForm,
    SessionForm,
    TrainingRoleForm,
)
from apps.training.models import SeatStatus
from apps.training.pdf import certificate_pdf
from apps.training.selectors import (
    certificate_seat,
    engagement_list,
    programme_list,
    seat_list,
    session_get,
    session_list,
    staff_for_training,
)
from apps.training.services import (
    attendance_record,
    covered_parts,
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


APPLIED: dict[str, str] = {
    SeatStatus.CONFIRMED: "申し込みました。受講が確定しています。",
    SeatStatus.WAITLISTED: "定員に達しているため、キャンセル待ちに登録しました。"
    "空きが出れば順番に確定し、お知らせします。",
    SeatStatus.PENDING_APPROVAL: "申し込みました。団体管理者の承認を待っています。",
}


def _staff_choices(viewer: Viewer) -> list[tuple[int, str]]:
    return [(u.pk, u.full_name) for u in staff_for_training(viewer=viewer)]


def _home(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    """The training page; a refused form comes back bound, with its messages and values."""
    viewer = viewer_from_request(request)
    context: dict[str, Any] = {
        "viewer": viewer,
        "sessions": session_list(viewer=viewer),
        "programmes": programme_list(viewer=viewer),
        "seat_states": dict(SeatStatus.choices),
    }
    if viewer.is_body_admin:
        staff = _staff_choices(viewer)
        context["staff"] = staff
        context["role_form"] = forms.get("role_form") or TrainingRoleForm(staff=staff)
    if viewer.is_secretariat:
        groups = [(g.pk, g.name) for g in group_list(viewer=viewer)]
        programmes = [(p.pk, f"{p.title} ({p.fiscal_year})") for p in context["programmes"]]
        context["programme_form"] = forms.get("programme_form") or ProgrammeForm(
            groups=groups, initial={"fiscal_year": fiscal_year_of(timezone.localdate())}
        )
        context["session_form"] = forms.get("session_form") or SessionForm(programmes=programmes)
    return render(request, "training/home.html", context, status=status)


@login_required
def training_home(request: HttpRequest) -> HttpResponse:
    """Body staff: sessions open to them; the administrator can apply for a named member of
    staff and set staff's training roles. Secretariat: its programmes, sessions and rosters."""
    return _home(request)


@login_required
@require_POST
def seat_apply_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    form = SeatApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "申し込む日程を選び直してください。")
        return redirect("training")
    seat = attempt(
        request,
        lambda: seat_apply(
            viewer=viewer,
            session_id=form.cleaned_data["session_id"],
            staff_id=form.cleaned_data["staff_id"],
        ),
        success="",
    )
    if seat is not None:
        messages.success(request, APPLIED[seat.status])
    return redirect("training")


@login_required
@require_POST
def training_role_view(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_body_admin()
    form = TrainingRoleForm(request.POST, staff=_staff_choices(viewer))
    done = submit(
        request,
        form,
        lambda d: training_role_set(viewer=viewer, staff_id=d["staff_id"], role=d["role"]),
        success="研修上の役割を設定しました。",
    )
    return redirect("training") if done else _home(request, status=400, role_form=form)


@login_required
@require_POST
def programme_add(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_secretariat()
    form = ProgrammeForm(request.POST, groups=[(g.pk, g.name) for g in group_list(viewer=viewer)])
    done = submit(
        request,
        form,
        lambda d: programme_create(viewer=viewer, **d),
        success="研修を登録しました。",
    )
    return redirect("training") if done else _home(request, status=400, programme_form=form)


@login_required
@require_POST
def session_add(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_secretariat()
    programmes = [(p.pk, p.title) for p in programme_list(viewer=viewer)]
    form = SessionForm(request.POST, programmes=programmes)
    done = submit(
        request,
        form,
        lambda d: session_create(viewer=viewer, **d),
        success="日程を登録しました。",
    )
    return redirect("training") if done else _home(request, status=400, session_form=form)


@login_required
def seats(request: HttpRequest) -> HttpResponse:
    """A member of staff's training history; the administrator's view of the whole body, with
    approvals."""
    viewer = viewer_from_request(request)
    viewer.require_body_user()
    return render(
        request,
        "training/seats.html",
        {
            "seats": seat_list(viewer=viewer),
            "viewer": viewer,
            "live": (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED, SeatStatus.PENDING_APPROVAL),
        },
    )


def _seat_decision(approve: bool):  # type: ignore[no-untyped-def]
    def decide(*, viewer: Viewer, seat_id: int):  # type: ignore[no-untyped-def]
        return seat_approve(viewer=viewer, seat_id=seat_id, approve=approve)

    decide.__name__ = "seat_approve" if approve else "seat_reject"
    return decide


seat_cancel_view = post_action(
    seat_cancel,
    success="取り消しました。",
    redirect_to="training-seats",
    id_name="seat_id",
    back_with_id=False,
)
seat_approve_view = post_action(
    _seat_decision(True),
    success="承認しました。",
    redirect_to="training-seats",
    id_name="seat_id",
    back_with_id=False,
)
seat_reject_view = post_action(
    _seat_decision(False),
    success="却下しました。",
    redirect_to="training-seats",
    id_name="seat_id",
    back_with_id=False,
)


def _secretariat_only(request: HttpRequest) -> Viewer:
    viewer = viewer_from_request(request)
    viewer.require_secretariat()
    return viewer


@login_required
def roster(request: HttpRequest, session_id: int) -> HttpResponse:
    viewer = _secretariat_only(request)
    session = session_get(viewer=viewer, session_id=session_id)
    return render(
        request,
        "training/roster.html",
        {"session": session, "seats": seat_list(viewer=viewer, session_id=session_id)},
    )


@login_required
@require_POST
def attendance(request: HttpRequest, session_id: int, seat_id: int) -> HttpResponse:
    viewer = _secretariat_only(request)
    session_get(viewer=viewer, session_id=session_id)
    form = AttendanceForm(request.POST)
    submit(
        request,
        form,
        lambda d: attendance_record(
            viewer=viewer, seat_id=seat_id, attended=d["attended"], completed=d["completed"]
        ),
        success="記録しました。",
    )
    return redirect("training-roster", session_id)


@login_required
def roster_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Rosters as CSV: one session (?session=) or one body (?body=code) or all."""
    viewer = _secretariat_only(request)
    form = RosterFilterForm(request.GET)
    if not form.is_valid():
        raise ApplicationError(
            "日程は番号、団体は6桁の団体コードで指定してください。",
            "invalid_filter",
            fields={k: [str(e) for e in v] for k, v in form.errors.items()},
        )
    qs = seat_list(viewer=viewer, session_id=form.cleaned_data["session"])
    if form.cleaned_data["body"]:
        qs = qs.filter(body__code=form.cleaned_data["body"])
    rows = (
        [
            timezone.localtime(s.session.starts_at).strftime("%Y-%m-%d %H:%M"),
            s.session.programme.title,
            s.body.code,
            s.body.name,
            s.participant_name,
            s.get_status_display(),
            "" if s.attended is None else ("出席" if s.attended else "欠席"),
            "修了" if s.completed else "",
            s.certificate_number,
        ]
        for s in qs.iterator(chunk_size=2000)
    )
    return csv_response("roster.csv", ROSTER_COLUMNS, rows)


@login_required
def certificate(request: HttpRequest, seat_id: int) -> HttpResponse:
    seat = certificate_seat(viewer=viewer_from_request(request), seat_id=seat_id)
    response = HttpResponse(certificate_pdf(seat), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{seat.certificate_number}.pdf"'
    return response


@login_required
def advisers(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    viewer.require_body_admin()
    form = EngagementForm(request.POST or None)
    if request.method == "POST":
        done = submit(
            request,
            form,
            lambda d: engagement_record(viewer=viewer, **d),
            success="記録しました。",
        )
        if done is not None:
            return redirect("advisers")
    rows = []
    engagements = list(engagement_list(viewer=viewer))
    parts = covered_parts(engagements)
    for e, (rate, covered) in zip(engagements, parts, strict=True):
        rows.append(
            {
                "e": e,
                "rate": rate,
                "covered": covered,
                "own": e.cost_yen - covered if covered is not None else None,
            }
        )
    return render(
        request,
        "training/advisers.html",
        {"rows": rows, "form": form},
        status=400 if request.method == "POST" else 200,
    )
