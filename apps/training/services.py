"""Writes for training: programmes and sessions (secretariat), applications, approval,
cancellation with promotion from the waiting list, attendance and completion, and outside
advisers.

Never overbooked: every placement decision locks the session row (SELECT ... FOR UPDATE), counts
the confirmed seats and the body's confirmed seats in the programme's fiscal year, and writes
the seat in the same transaction, so concurrent applications to one session are decided one
after another, in the order they take the lock; the waiting list is in seat-id order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from apps.accounts.models import AdviserEngagement, TalentKind, TrainingRole, User
from apps.accounts.viewer import Viewer
from apps.core.domain.fiscal import fiscal_year_end, fiscal_year_of, fiscal_year_start
from apps.core.domain.wareki import wareki_date
from apps.core.errors import ApplicationError, NotFound
from apps.core.schemas import current_schema
from apps.core.services import audit_record
from apps.groups.models import Group
from apps.training.models import (
    EligibleRole,
    Programme,
    ProgrammeKind,
    Seat,
    SeatStatus,
    Session,
    SupportScheme,
)
from apps.training.selectors import LIVE_STATUSES, seat_get, session_get


def _secretariat_group(viewer: Viewer, group_id: int) -> Group:
    viewer.require_secretariat()
    group = Group.objects.filter(pk=group_id, staff__user_id=viewer.user.pk).first()
    if group is None:
        raise NotFound("この協議会・研究会は見つからないか、担当していません。", "group_not_found")
    return group


@transaction.atomic
def programme_create(
    *,
    viewer: Viewer,
    group_id: int,
    fiscal_year: int,
    title: str,
    kind: str,
    eligible_role: str = EligibleRole.ANY,
    delivery: str = "in_person",
    per_body_cap: int | None = None,
    requires_body_approval: bool = False,
    description: str = "",
) -> Programme:
    group = _secretariat_group(viewer, group_id)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["研修名を入力してください。"]
    if kind not in ProgrammeKind.values:
        errors["kind"] = ["種類を選んでください。"]
    if eligible_role not in EligibleRole.values:
        errors["eligible_role"] = ["対象を選んでください。"]
    if per_body_cap is not None and per_body_cap < 1:
        errors["per_body_cap"] = ["上限は1以上にしてください (上限なしは空欄)。"]
    if errors:
        raise ApplicationError("研修の内容に誤りがあります。", "invalid_programme", fields=errors)
    programme = Programme.objects.create(
        group=group,
        fiscal_year=fiscal_year,
        title=title.strip(),
        kind=kind,
        eligible_role=eligible_role,
        delivery=delivery,
        per_body_cap=per_body_cap,
        requires_body_approval=requires_body_approval,
        description=description,
    )
    audit_record(
        actor=viewer.user,
        action="programme.created",
        target=programme,
        data={"title": programme.title},
    )
    return programme


@transaction.atomic
def session_create(
    *,
    viewer: Viewer,
    programme_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    application_deadline: dt.datetime,
    cancellation_deadline: dt.datetime,
    venue: str = "",
    online_url: str = "",
) -> Session:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise NotFound("この研修は見つかりません。", "programme_not_found")
    _secretariat_group(viewer, programme.group_id)
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["終了は開始より後にしてください。"]
    if capacity < 1:
        errors["capacity"] = ["定員は1人以上にしてください。"]
    if application_deadline > starts_at:
        errors["application_deadline"] = ["申込締切は開始より前にしてください。"]
    if cancellation_deadline > starts_at:
        errors["cancellation_deadline"] = ["取消締切は開始より前にしてください。"]
    if not venue and not online_url:
        errors["venue"] = ["会場か配信URLを入力してください。"]
    if errors:
        raise ApplicationError("日程の内容に誤りがあります。", "invalid_session", fields=errors)
    session = Session.objects.create(
        programme=programme,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        application_deadline=application_deadline,
        cancellation_deadline=cancellation_deadline,
        venue=venue,
        online_url=online_url,
    )
    audit_record(
        actor=viewer.user, action="session.created", target=session, data={"capacity": capacity}
    )
    return session


# The seat counts in SQL written here: building the same aggregate through the ORM took
# three times as long as running it, and it runs under the session row's lock. The rows read
# are the session's, and with a per-body cap also the body's confirmed seats elsewhere in the
# programme (indexes seat_session_status and seat_body_status).
_SEAT_COUNTS = """
SELECT
    count(*) FILTER (WHERE s.session_id = %(session)s AND s.status = %(confirmed)s),
    count(*) FILTER (WHERE s.body_id = %(body)s AND s.status = %(confirmed)s
                     AND %(capped)s),
    count(*) FILTER (WHERE s.session_id = %(session)s AND s.body_id = %(body)s
                     AND s.staff_id = %(staff)s AND s.status = ANY(%(live)s))
FROM training_seat s
WHERE s.session_id = %(session)s
   OR (%(capped)s AND s.body_id = %(body)s AND s.status = %(confirmed)s
       AND s.session_id = ANY(ARRAY(
           SELECT id FROM training_session WHERE programme_id = %(programme)s)))
"""


def _seat_counts(session: Session, body_id: int, staff_id: int | None = None) -> dict[str, int]:
    """One query, under the session row lock: the session's confirmed seats (`confirmed`), the
    body's confirmed seats in the programme when it has a per-body cap (`body_used`; 0
    without a cap), and whether staff_id already holds a live seat of this session (`live`;
    0 without a staff_id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _SEAT_COUNTS,
            {
                "session": session.pk,
                "programme": session.programme_id,
                "body": body_id,
                "staff": staff_id,
                "capped": session.programme.per_body_cap is not None,
                "confirmed": SeatStatus.CONFIRMED.value,
                "live": list(LIVE_STATUSES),
            },
        )
        confirmed, body_used, live = cursor.fetchone()
    return {"confirmed": confirmed, "body_used": body_used, "live": live}


def _decide(session: Session, counts: dict[str, int]) -> str:
    """Confirmed if the session has room and the body is under its cap, else wait-listed."""
    cap = session.programme.per_body_cap
    if counts["confirmed"] < session.capacity and (cap is None or counts["body_used"] < cap):
        return SeatStatus.CONFIRMED
    return SeatStatus.WAITLISTED


def _place(seat: Seat, session: Session) -> str:
    """_decide for a seat already made (approval, promotion). The caller holds the lock."""
    return _decide(session, _seat_counts(session, seat.body_id))


def _staff_for_seat(viewer: Viewer, staff_id: int | None, programme: Programme) -> User:
    if staff_id is None or staff_id == viewer.user.pk:
        staff = viewer.user
    else:
        viewer.require_body_admin()
        staff = User.objects.filter(pk=staff_id, is_active=True).first()  # the body's schema
        if staff is None:
            raise NotFound("この職員は見つかりません。", "staff_not_found")
    if (
        programme.eligible_role != EligibleRole.ANY
        and staff.training_role != programme.eligible_role
    ):
        raise ApplicationError(
            f"この研修の対象は{programme.get_eligible_role_display()}です。"
            "団体管理者が職員の研修上の役割を設定してください。",
            "not_eligible",
        )
    return staff


@transaction.atomic
def seat_apply(*, viewer: Viewer, session_id: int, staff_id: int | None = None) -> Seat:
    """A member of staff applies (or the body's administrator applies for a named member)."""
    body = viewer.require_body_user()
    session = session_get(viewer=viewer, session_id=session_id, for_update=True)
    staff = _staff_for_seat(viewer, staff_id, session.programme)
    if timezone.now() > session.application_deadline:
        raise ApplicationError("申込締切を過ぎています。", "application_closed")
    counts = _seat_counts(session, body.pk, staff.pk)
    if counts["live"]:
        raise ApplicationError(
            f"{staff.full_name}さんはこの日程にすでに申し込んでいます。",
            "already_applied",
            status=409,
        )
    seat = Seat(session=session, body=body, staff_id=staff.pk, participant_name=staff.full_name)
    if session.programme.requires_body_approval and not viewer.is_body_admin:
        seat.status = SeatStatus.PENDING_APPROVAL
    else:
        seat.status = _decide(session, counts)
        seat.decided_at = timezone.now()
    try:
        # no savepoint: the error leaves this transaction, which is rolled back whole
        seat.save()
    except IntegrityError as exc:
        raise ApplicationError("すでに申し込んでいます。", "already_applied", status=409) from exc
    audit_record(
        actor=viewer.user,
        action="seat.applied",
        target=seat,
        data={"status": seat.status, "session": session.pk},
    )
    return seat


@transaction.atomic
def seat_approve(*, viewer: Viewer, seat_id: int, approve: bool) -> Seat:
    viewer.require_body_admin()
    seat = seat_get(viewer=viewer, seat_id=seat_id)
    session = (
        Session.objects.select_for_update().select_related("programme").get(pk=seat.session_id)
    )
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.status != SeatStatus.PENDING_APPROVAL:
        raise ApplicationError("この申込は承認待ちではありません。", "seat_not_pending", status=409)
    seat.status = _place(seat, session) if approve else SeatStatus.REJECTED
    seat.decided_at = timezone.now()
    seat.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=viewer.user,
        action="seat.approved" if approve else "seat.rejected",
        target=seat,
        data={"status": seat.status},
    )
    return seat


def _promote(session: Session) -> Seat | None:
    """Confirm the first wait-listed seat whose body is under its cap (lock held)."""
    for candidate in (
        Seat.objects.select_for_update()
        .filter(session=session, status=SeatStatus.WAITLISTED)
        .order_by("pk")
    ):
        if _place(candidate, session) == SeatStatus.CONFIRMED:
            candidate.status = SeatStatus.CONFIRMED
            candidate.decided_at = timezone.now()
            candidate.save(update_fields=["status", "decided_at"])
            return candidate
    return None


@transaction.atomic
def seat_cancel(*, viewer: Viewer, seat_id: int) -> tuple[Seat, Seat | None]:
    """Cancel a seat (its holder, or the body's administrator). A freed place goes to the first
    eligible person on the waiting list, who is told by e-mail and on their home page."""
    seat = seat_get(viewer=viewer, seat_id=seat_id)
    viewer.require_body_user()
    session = (
        Session.objects.select_for_update().select_related("programme").get(pk=seat.session_id)
    )
    if timezone.now() > session.cancellation_deadline:
        raise ApplicationError(
            "取消締切を過ぎています。事務局に連絡してください。", "cancellation_closed"
        )
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.status not in LIVE_STATUSES:
        raise ApplicationError("この申込はすでに取り消されています。", "seat_not_live", status=409)
    was_confirmed = seat.status == SeatStatus.CONFIRMED
    seat.status = SeatStatus.CANCELLED
    seat.decided_at = timezone.now()
    seat.save(update_fields=["status", "decided_at"])
    promoted = _promote(session) if was_confirmed else None
    audit_record(
        actor=viewer.user,
        action="seat.cancelled",
        target=seat,
        data={"promoted": promoted.pk if promoted else None},
    )
    if promoted is not None:
        from apps.training.tasks import notify_promoted

        schema = promoted.body.schema_name
        transaction.on_commit(lambda: notify_promoted.delay(schema, promoted.pk))
    return seat, promoted


def promoted_notify(*, seat_id: int) -> bool:
    """Tell a promoted member of staff: a notice on their home page and an e-mail, both from
    their body's schema (where their address is). Runs in that schema."""
    from django.core.mail import send_mail

    seat = Seat.objects.select_related("session__programme").get(pk=seat_id)
    user = User.objects.filter(pk=seat.staff_id).first()
    if user is None:
        return False
    text = (
        f"キャンセル待ちだった「{seat.session.programme.title}」"
        f"({seat.session.starts_at:%Y-%m-%d}) の受講が確定しました。"
    )
    from apps.accounts.models import Notice

    Notice.objects.create(user=user, text=text)
    if user.email:
        send_mail("研修の受講が確定しました", text, None, [user.email])
    return True


@transaction.atomic
def attendance_record(*, viewer: Viewer, seat_id: int, attended: bool, completed: bool) -> Seat:
    viewer.require_secretariat()
    seat = Seat.objects.select_for_update().get(pk=seat_get(viewer=viewer, seat_id=seat_id).pk)
    if seat.status != SeatStatus.CONFIRMED:
        raise ApplicationError("受講確定の申込だけに出欠を記録できます。", "seat_not_confirmed")
    if completed and not attended:
        raise ApplicationError("修了には出席が必要です。", "completion_needs_attendance")
    starts = timezone.localtime(seat.session.starts_at)
    if timezone.now() < seat.session.starts_at:
        raise ApplicationError(
            f"この研修は{wareki_date(starts.date())}に開催されます。出欠と修了は開催日から"
            "記録できます。",
            "session_not_held",
        )
    seat.attended = attended
    seat.completed = completed
    if completed and not seat.certificate_number:
        seat.certificate_number = f"C{seat.session.programme.fiscal_year}-{seat.pk:07d}"
        seat.completed_on = timezone.localdate()
    seat.save(update_fields=["attended", "completed", "certificate_number", "completed_on"])
    audit_record(
        actor=viewer.user,
        action="seat.attendance",
        target=seat,
        data={"attended": attended, "completed": completed},
    )
    return seat


@transaction.atomic
def training_role_set(*, viewer: Viewer, staff_id: int, role: str) -> User:
    viewer.require_body_admin()
    if role not in ("", *TrainingRole.values):
        raise ApplicationError("役割を選んでください。", "invalid_training_role")
    user = User.objects.filter(pk=staff_id).first()
    if user is None:
        raise NotFound("この職員は見つかりません。", "staff_not_found")
    user.training_role = role
    user.save(update_fields=["training_role"])
    audit_record(actor=viewer.user, action="staff.training_role", target=user, data={"role": role})
    return user


# --- outside experts (外部デジタル人材) -------------------------------------------------------


def covered_parts(
    engagements: list[AdviserEngagement],
) -> list[tuple[Decimal | None, int | None]]:
    """Each engagement's rate and covered part (None, None when no scheme is stored for its
    fiscal year), under the scheme it names for the fiscal year it starts in, in the order
    given. A scheme's yearly cap is used up in start-date order by all the body's engagements
    of that year (the body's schema is the current one), an unsaved one last on its date.
    Rounded down once per engagement."""
    from apps.training.domain.support import Cost, Ledger, award

    years = {fiscal_year_of(e.starts_on) for e in engagements}
    schemes: dict[tuple[str, int], Any] = {
        (s.name, s.fiscal_year): s.domain()
        for s in SupportScheme.objects.filter(fiscal_year__in=years)
    }
    found: dict[Any, tuple[Decimal | None, int | None]] = {}
    for fy in sorted(years):
        saved = AdviserEngagement.objects.filter(
            starts_on__range=(fiscal_year_start(fy), fiscal_year_end(fy))
        )
        unsaved = [e for e in engagements if e.pk is None and fiscal_year_of(e.starts_on) == fy]
        ledger = Ledger()
        for e in sorted([*saved, *unsaved], key=lambda e: (e.starts_on, e.pk is None, e.pk or 0)):
            key = e.pk if e.pk is not None else id(e)
            scheme = schemes.get((e.scheme_name, fy))
            if scheme is None:
                found[key] = (None, None)
                continue
            # claimed under the scheme the engagement names, whatever its purpose
            claimed = award([Cost(str(key), scheme.purpose, e.cost_yen)], [scheme], ledger)[0]
            found[key] = (claimed.rate, claimed.covered_yen)
    return [found.get(e.pk if e.pk is not None else id(e), (None, None)) for e in engagements]


def covered_part(engagement: AdviserEngagement) -> tuple[Decimal | None, int | None]:
    """One engagement's rate and covered part (see covered_parts)."""
    return covered_parts([engagement])[0]


@transaction.atomic
def engagement_record(
    *,
    viewer: Viewer,
    role: str,
    adviser_name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    cost_yen: int,
    scheme_name: str = "特別交付税措置",
    kind: str = "adviser",
) -> AdviserEngagement:
    viewer.require_body_admin()
    errors: dict[str, Any] = {}
    if not role.strip():
        errors["role"] = ["役割を入力してください (例: CIO補佐監)。"]
    if ends_on < starts_on:
        errors["ends_on"] = ["終了日は開始日より後にしてください。"]
    if cost_yen < 0:
        errors["cost_yen"] = ["費用は0円以上にしてください。"]
    if errors:
        raise ApplicationError("入力内容に誤りがあります。", "invalid_engagement", fields=errors)
    if kind not in TalentKind.values:
        errors["kind"] = ["種類を選んでください。"]
    if errors:
        raise ApplicationError("入力内容に誤りがあります。", "invalid_engagement", fields=errors)
    engagement = AdviserEngagement.objects.create(
        kind=kind,
        role=role.strip(),
        adviser_name=adviser_name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        cost_yen=cost_yen,
        scheme_name=scheme_name,
    )
    audit_record(
        actor=viewer.user,
        action="engagement.recorded",
        target=engagement,
        data={"schema": current_schema(), "cost_yen": cost_yen},
    )
    return engagement
