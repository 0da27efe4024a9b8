"""Reads for training, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from apps.accounts.models import AdviserEngagement, User
from apps.accounts.viewer import Viewer
from apps.core.compiled import CompiledRows, once
from apps.core.errors import ApplicationError, NotFound
from apps.groups.models import Group, Membership
from apps.training.models import Programme, Seat, SeatStatus, Session


def _scope(viewer: Viewer) -> tuple[str, int]:
    """All that programme_list reads of the viewer (so also the key of its compiled form)."""
    if viewer.is_secretariat:
        return "secretariat", viewer.user.pk
    if viewer.is_operator:
        return "operator", 0
    if viewer.is_body_user:
        return "body", viewer.body.pk  # type: ignore[union-attr]
    return "none", 0


def programme_list(*, viewer: Viewer) -> QuerySet[Programme]:
    """A secretariat sees its groups' programmes; a body those of the groups it belongs to."""
    return _programmes_of(*_scope(viewer))


def _programmes_of(kind: str, who: int) -> QuerySet[Programme]:
    """kind "secretariat": who is the user; "body": the body; else who is 0."""
    qs = Programme.objects.select_related("group")
    if kind == "secretariat":
        return qs.filter(group__in=Group.objects.filter(staff__user_id=who))
    if kind == "operator":
        return qs
    if kind == "body":
        groups = Membership.objects.filter(body_id=who, left_on__isnull=True).values("group")
        return qs.filter(group__in=groups)
    return qs.none()


LIVE_STATUSES = (SeatStatus.CONFIRMED, SeatStatus.WAITLISTED, SeatStatus.PENDING_APPROVAL)


def _sessions_seen_by(viewer: Viewer) -> QuerySet[Session]:
    return _sessions_of(*_scope(viewer))


def _sessions_of(kind: str, who: int) -> QuerySet[Session]:
    return Session.objects.filter(programme__in=_programmes_of(kind, who))


def session_list(*, viewer: Viewer) -> QuerySet[Session]:
    """Sessions the viewer may see, with their confirmed and waiting counts; for a body's
    user, also `my_status`: the state of their own live seat ("" when they have none)."""
    qs = (
        _sessions_seen_by(viewer)
        .select_related("programme", "programme__group")
        .annotate(
            confirmed=Count("seats", filter=Q(seats__status=SeatStatus.CONFIRMED)),
            waiting=Count("seats", filter=Q(seats__status=SeatStatus.WAITLISTED)),
        )
        .order_by("starts_at", "pk")
    )
    if viewer.is_body_user:
        mine = Seat.objects.filter(
            session=OuterRef("pk"),
            body=viewer.body,
            staff_id=viewer.user.pk,
            status__in=LIVE_STATUSES,
        ).values("status")[:1]
        qs = qs.annotate(my_status=Subquery(mine))
    return qs


def session_get(*, viewer: Viewer, session_id: int, for_update: bool = False) -> Session:
    """One session the viewer may see. for_update: locked with its programme (the seat count
    and the per-body cap are decided under that lock), and nothing counted: an application
    counted every seat of the session twice."""
    if for_update:
        # every application takes this lock: its SQL is built once per scope and session
        scope = _scope(viewer)
        session = once(
            ("training:session-lock", *scope, session_id),
            lambda: CompiledRows.of(
                _sessions_of(*scope)
                .select_related("programme")
                .select_for_update()
                .filter(pk=session_id)[:1]
            ),
        ).first()
    else:
        session = session_list(viewer=viewer).filter(pk=session_id).first()
    if session is None:
        raise NotFound(
            "この研修日程は見つからないか、閲覧の権限がありません。", "session_not_found"
        )
    return session


def seat_list(
    *, viewer: Viewer, session_id: int | None = None, mine: bool = False
) -> QuerySet[Seat]:
    """The secretariat: every seat of its sessions; a body: its own seats (a member of staff,
    with mine=True, only their own)."""
    qs = Seat.objects.select_related("session", "session__programme", "body")
    if viewer.is_secretariat or viewer.is_operator:
        qs = qs.filter(session__in=session_list(viewer=viewer).values("pk"))
    elif viewer.is_body_user:
        qs = qs.filter(body=viewer.body)
        if mine or not viewer.is_body_admin:
            qs = qs.filter(staff_id=viewer.user.pk)
    else:
        return qs.none()
    if session_id is not None:
        qs = qs.filter(session_id=session_id)
    return qs.order_by("session__starts_at", "pk")


def seat_get(*, viewer: Viewer, seat_id: int) -> Seat:
    seat = seat_list(viewer=viewer).filter(pk=seat_id).first()
    if seat is None:
        raise NotFound("この受講申込は見つからないか、閲覧の権限がありません。", "seat_not_found")
    return seat


def certificate_seat(*, viewer: Viewer, seat_id: int) -> Seat:
    """A seat whose certificate may be issued: completed, and still confirmed (a cancelled
    seat has no certificate, whatever was recorded before)."""
    seat = seat_get(viewer=viewer, seat_id=seat_id)
    if seat.status != SeatStatus.CONFIRMED or not seat.completed:
        raise ApplicationError(
            "修了した受講 (取り消されていないもの) だけ修了証を出力できます。", "not_completed"
        )
    return seat


def staff_for_training(*, viewer: Viewer) -> QuerySet[User]:
    """The body's active staff, for its administrator (the query runs in the body's schema)."""
    if not viewer.is_body_admin:
        return User.objects.none()
    return User.objects.filter(is_active=True).order_by("username")


def engagement_list(*, viewer: Viewer) -> QuerySet[AdviserEngagement]:
    """Outside experts the body engages (its own schema); only its administrator reads them."""
    if not viewer.is_body_admin:
        return AdviserEngagement.objects.none()
    return AdviserEngagement.objects.order_by("-starts_on", "pk")
