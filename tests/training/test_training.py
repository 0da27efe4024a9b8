"""Training in-process: caps, eligibility, approval, cancellation and promotion, attendance,
certificates, rosters, outside experts, and sealing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import AdviserEngagement, Notice, User
from apps.accounts.viewer import Viewer
from apps.core.domain.fiscal import fiscal_year_end, fiscal_year_start
from apps.core.domain.wareki import wareki_date
from apps.core.errors import ApplicationError
from apps.training.models import Programme, Seat, Session, SupportScheme
from apps.training.selectors import seat_list
from apps.training.services import (
    attendance_record,
    covered_part,
    promoted_notify,
    seat_apply,
    seat_approve,
    seat_cancel,
)
from tests.clock import FY, fy_month
from tests.contracts.test_contract_path import _json
from tests.invoicing.test_official_invoice import pdf_text

pytestmark = pytest.mark.django_db
# A session a month from now, at 10:00 (its deadlines are days before it, so still open).
SOON = (timezone.now() + dt.timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)


def _session(portal, *, capacity=10, cap=None, approval=False, role="any", group="council"):  # type: ignore[no-untyped-def]
    programme = Programme.objects.create(
        group=portal.groups[group],
        fiscal_year=FY,
        title="DX研修",
        kind="ict_leader_dx",
        eligible_role=role,
        per_body_cap=cap,
        requires_body_approval=approval,
    )
    return Session.objects.create(
        programme=programme,
        starts_at=SOON,
        ends_at=SOON + dt.timedelta(hours=2),
        capacity=capacity,
        application_deadline=SOON - dt.timedelta(days=5),
        cancellation_deadline=SOON - dt.timedelta(days=2),
        venue="県庁",
    )


def _viewer(portal, key: str, slug: str | None):  # type: ignore[no-untyped-def]
    return Viewer(user=portal.users[key], body=portal.bodies[slug] if slug else None)


def _staff(portal, slug: str, username: str, **extra):  # type: ignore[no-untyped-def]
    with schema_context(portal.bodies[slug].schema_name):
        return User.objects.create_user(
            username, "pw-pw-2026-x", full_name=username, role="body_staff", **extra
        )


def test_the_body_cap_waitlists_beyond_it(portal) -> None:
    session = _session(portal, cap=1)
    with schema_context("ichinomiya"):
        first = seat_apply(
            viewer=_viewer(portal, "ichinomiya_admin", "ichinomiya"), session_id=session.pk
        )
        other = _staff(portal, "ichinomiya", "yamada")
        second = seat_apply(
            viewer=Viewer(user=other, body=portal.bodies["ichinomiya"]), session_id=session.pk
        )
    with schema_context("toyohashi"):
        third = seat_apply(
            viewer=_viewer(portal, "toyohashi_staff", "toyohashi"), session_id=session.pk
        )
    assert (first.status, second.status, third.status) == ("confirmed", "waitlisted", "confirmed")


def test_one_live_seat_each_and_the_cap_counts_the_whole_programme(portal) -> None:
    first = _session(portal, cap=1)
    second = Session.objects.create(
        programme=first.programme,
        starts_at=SOON + dt.timedelta(days=7),
        ends_at=SOON + dt.timedelta(days=7, hours=2),
        capacity=10,
        application_deadline=SOON,
        cancellation_deadline=SOON,
        venue="県庁",
    )
    staff = _viewer(portal, "ichinomiya_staff", "ichinomiya")
    with schema_context("ichinomiya"):
        with CaptureQueriesContext(connection) as sql:
            held = seat_apply(viewer=staff, session_id=first.pk)
        # the session locked, its seats counted in one query, the seat and its audit event
        # written; around them, the schema and the test transaction's savepoint
        assert [q["sql"].split()[0] for q in sql.captured_queries] == [
            "SET",
            "SAVEPOINT",
            "SELECT",
            "SELECT",
            "INSERT",
            "INSERT",
            "RELEASE",
        ]
        assert sql.captured_queries[2]["sql"].endswith("FOR UPDATE")
        with pytest.raises(ApplicationError) as err:
            seat_apply(viewer=staff, session_id=first.pk)
        assert (err.value.code, err.value.status) == ("already_applied", 409)
        assert Seat.objects.filter(session=first).count() == 1
        # 一宮市's one confirmed seat of the programme is in the first session: it waits here
        admin = _viewer(portal, "ichinomiya_admin", "ichinomiya")
        assert seat_apply(viewer=admin, session_id=second.pk).status == "waitlisted"
        seat_cancel(viewer=staff, seat_id=held.pk)
        again = seat_apply(viewer=staff, session_id=first.pk)  # a cancelled seat is not live
    with schema_context("toyohashi"):
        other = seat_apply(
            viewer=_viewer(portal, "toyohashi_staff", "toyohashi"), session_id=second.pk
        )
    assert (again.status, other.status) == ("confirmed", "confirmed")
    assert Seat.objects.filter(session=first).count() == 2


def test_eligibility_by_the_role_the_body_assigns(portal) -> None:
    session = _session(portal, role="ict_leader")
    with schema_context("ichinomiya"):
        staff = _viewer(portal, "ichinomiya_staff", "ichinomiya")
        with pytest.raises(ApplicationError) as err:
            seat_apply(viewer=staff, session_id=session.pk)
        assert err.value.code == "not_eligible"
        User.objects.filter(pk=staff.user.pk).update(training_role="ict_leader")
        staff.user.refresh_from_db()
        assert seat_apply(viewer=staff, session_id=session.pk).status == "confirmed"


def test_approval_first_when_the_programme_says_so(portal) -> None:
    session = _session(portal, approval=True)
    with schema_context("ichinomiya"):
        seat = seat_apply(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), session_id=session.pk
        )
        assert seat.status == "pending_approval"
        with pytest.raises(ApplicationError) as err:
            seat_approve(
                viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"),
                seat_id=seat.pk,
                approve=True,
            )
        assert err.value.code == "not_body_admin"
        approved = seat_approve(
            viewer=_viewer(portal, "ichinomiya_admin", "ichinomiya"), seat_id=seat.pk, approve=True
        )
        assert approved.status == "confirmed"
        # the administrator applies for a named member of staff directly
        named = _staff(portal, "ichinomiya", "sato")
        seat = seat_apply(
            viewer=_viewer(portal, "ichinomiya_admin", "ichinomiya"),
            session_id=session.pk,
            staff_id=named.pk,
        )
        assert (seat.status, seat.participant_name, seat.staff_id) == (
            "confirmed",
            "sato",
            named.pk,
        )


def test_cancellation_promotes_the_first_eligible_and_tells_them(
    portal, django_capture_on_commit_callbacks
) -> None:
    session = _session(portal, capacity=1, cap=1)
    with schema_context("ichinomiya"):
        holder = seat_apply(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), session_id=session.pk
        )
        # 一宮市 is at its cap: its second applicant waits but cannot be promoted
        blocked_user = _staff(portal, "ichinomiya", "kato", email="kato@example.jp")
        blocked = seat_apply(
            viewer=Viewer(user=blocked_user, body=portal.bodies["ichinomiya"]),
            session_id=session.pk,
        )
    with schema_context("toyohashi"):
        User.objects.filter(pk=portal.users["toyohashi_staff"].pk).update(email="suzuki@example.jp")
        waiting = seat_apply(
            viewer=_viewer(portal, "toyohashi_staff", "toyohashi"), session_id=session.pk
        )
    assert (holder.status, blocked.status, waiting.status) == (
        "confirmed",
        "waitlisted",
        "waitlisted",
    )
    assert blocked.pk < waiting.pk
    with schema_context("ichinomiya"), django_capture_on_commit_callbacks() as callbacks:
        cancelled, promoted = seat_cancel(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), seat_id=holder.pk
        )
    # kato (一宮市) is first in line; with the holder gone 一宮市 is under its cap again
    assert promoted.pk == blocked.pk
    assert len(callbacks) == 1  # the notification task is sent after commit
    with schema_context("ichinomiya"):
        assert promoted_notify(seat_id=promoted.pk) is True
        assert list(Notice.objects.filter(user=blocked_user).values_list("text", flat=True))[
            0
        ].startswith("キャンセル待ちだった「DX研修」")
    assert [m.to for m in mail.outbox] == [["kato@example.jp"]]
    assert Seat.objects.get(pk=waiting.pk).status == "waitlisted"


def test_the_cap_skips_a_waiting_body_already_at_its_cap(portal) -> None:
    session = _session(portal, capacity=2, cap=1)
    with schema_context("ichinomiya"):
        a = seat_apply(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), session_id=session.pk
        )
        b = seat_apply(
            viewer=_viewer(portal, "ichinomiya_admin", "ichinomiya"), session_id=session.pk
        )
    with schema_context("toyohashi"):
        c = seat_apply(
            viewer=_viewer(portal, "toyohashi_staff", "toyohashi"), session_id=session.pk
        )
        d = seat_apply(
            viewer=_viewer(portal, "toyohashi_admin", "toyohashi"), session_id=session.pk
        )
    assert [s.status for s in (a, b, c, d)] == [
        "confirmed",
        "waitlisted",
        "confirmed",
        "waitlisted",
    ]
    with schema_context("toyohashi"):
        _, promoted = seat_cancel(
            viewer=_viewer(portal, "toyohashi_staff", "toyohashi"), seat_id=c.pk
        )
    # b (一宮市) is first in line but 一宮市 is at its cap of 1: d (豊橋市) gets the place
    assert promoted.pk == d.pk


def test_attendance_completion_certificate_and_roster(portal, site_client) -> None:
    session = _session(portal)
    with schema_context("ichinomiya"):
        seat = seat_apply(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), session_id=session.pk
        )
    secretariat = _viewer(portal, "aichi_secretariat", None)
    # before the session has happened nothing can be recorded
    with pytest.raises(ApplicationError) as err:
        attendance_record(viewer=secretariat, seat_id=seat.pk, attended=True, completed=True)
    assert err.value.code == "session_not_held"
    held = SOON + dt.timedelta(hours=3)
    with time_machine.travel(held, tick=False):
        with pytest.raises(ApplicationError) as err:
            attendance_record(viewer=secretariat, seat_id=seat.pk, attended=False, completed=True)
        assert err.value.code == "completion_needs_attendance"
        done = attendance_record(viewer=secretariat, seat_id=seat.pk, attended=True, completed=True)
        pdf = site_client("ichinomiya", "ichinomiya_staff").get(
            f"/training/seats/{seat.pk}/certificate/"
        )
    assert done.certificate_number == f"C{FY}-{seat.pk:07d}"
    assert done.completed_on == timezone.localtime(held).date()
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    # the person as addressee, the body once, the day it was held and the day of issue (和暦)
    text = " ".join(pdf_text(pdf.content).split())
    assert "ichinomiya body_staff 様" in text
    assert "所属 一宮市" in text
    assert text.count("一宮市") == 1
    assert wareki_date(timezone.localtime(SOON).date()) in text
    assert wareki_date(done.completed_on) in text
    history = site_client("ichinomiya", "ichinomiya_staff").get("/training/seats/")
    assert [s.pk for s in history.context["seats"]] == [seat.pk]
    csv_text = b"".join(
        site_client(None, "aichi_secretariat")
        .get(f"/training/roster.csv?session={session.pk}")
        .streaming_content
    ).decode()
    assert csv_text.splitlines()[1].split(",")[2:8] == [
        "232033",
        "一宮市",
        "ichinomiya body_staff",
        "受講確定",
        "出席",
        "修了",
    ]
    # a seat cancelled afterwards has no certificate any more
    Seat.objects.filter(pk=seat.pk).update(status="cancelled")
    refused = site_client("ichinomiya", "ichinomiya_staff").get(
        f"/training/seats/{seat.pk}/certificate/"
    )
    assert refused.status_code == 400
    assert "取り消されていないもの" in refused.content.decode()


def test_outside_experts_and_the_scheme_rate_per_year(portal, site_client) -> None:
    SupportScheme.objects.create(name="特別交付税措置", fiscal_year=FY, rate=Decimal("0.7"))
    client = site_client("ichinomiya", "ichinomiya_admin")
    code, body = _json(
        client,
        "post",
        "/api/v1/advisers/",
        {
            "role": "CIO補佐監",
            "adviser_name": "名古屋大学 准教授",
            "starts_on": fiscal_year_start(FY).isoformat(),
            "ends_on": fiscal_year_end(FY).isoformat(),
            "cost_yen": 1_234_567,
        },
    )
    assert code == 201
    assert (body["rate"], body["covered_yen"], body["body_pays_yen"]) == (
        "0.7000",
        864_196,
        370_371,
    )  # 1,234,567 × 0.7 = 864,196.9 -> rounded down once
    code, body = _json(
        client,
        "post",
        "/api/v1/advisers/",
        {
            "role": "CIO補佐監",
            "starts_on": fiscal_year_start(FY - 1).isoformat(),
            "ends_on": fiscal_year_end(FY - 1).isoformat(),
            "cost_yen": 1_000_000,
        },
    )
    assert (body["rate"], body["covered_yen"]) == (
        None,
        None,
    )  # no rate stored for last fiscal year
    with schema_context("ichinomiya"):
        assert AdviserEngagement.objects.count() == 2
    with schema_context("toyohashi"):
        assert AdviserEngagement.objects.count() == 0
    assert (
        _json(site_client("ichinomiya", "ichinomiya_staff"), "get", "/api/v1/advisers/")[0] == 403
    )
    e = AdviserEngagement(cost_yen=10, starts_on=fy_month(5), scheme_name="特別交付税措置")
    assert covered_part(e) == (Decimal("0.7000"), 7)


def test_training_is_sealed(portal, site_client) -> None:
    ours = _session(portal)
    theirs = _session(portal, group="hokkaido")
    with schema_context("ichinomiya"):
        seat = seat_apply(
            viewer=_viewer(portal, "ichinomiya_staff", "ichinomiya"), session_id=ours.pk
        )
    before = list(Seat.objects.order_by("pk").values_list("status", "attended"))
    cases = [
        (
            ("toyohashi", "toyohashi_staff"),
            "post",
            f"/api/v1/training/sessions/{theirs.pk}/apply/",
            {},
            404,
        ),  # 豊橋市 is not in the Hokkaido group
        (
            ("toyohashi", "toyohashi_admin"),
            "post",
            f"/api/v1/training/seats/{seat.pk}/cancel/",
            None,
            404,
        ),
        (
            ("toyohashi", "toyohashi_admin"),
            "post",
            f"/api/v1/training/seats/{seat.pk}/approve/",
            {"approve": True},
            404,
        ),
        (
            (None, "hokkaido_secretariat"),
            "post",
            f"/api/v1/training/seats/{seat.pk}/attendance/",
            {"attended": True},
            404,
        ),
        ((None, "hokkaido_secretariat"), "get", f"/training/sessions/{ours.pk}/roster/", None, 404),
        ((None, "vendor_a"), "get", "/api/v1/training/seats/", None, 200),
        ((None, "vendor_a"), "get", "/training/roster.csv", None, 403),
        (
            ("ichinomiya", "ichinomiya_staff"),
            "post",
            f"/api/v1/training/seats/{seat.pk}/attendance/",
            {"attended": True},
            403,
        ),
        (("ichinomiya", "ichinomiya_staff"), "get", "/advisers/", None, 403),
        (
            (None, "aichi_secretariat"),
            "post",
            f"/api/v1/training/sessions/{ours.pk}/apply/",
            {},
            404,
        ),
        (
            (None, "hokkaido_secretariat"),
            "post",
            "/api/v1/training/programmes/",
            {
                "group_id": portal.groups["council"].pk,
                "fiscal_year": FY,
                "title": "x",
                "kind": "other",
            },
            404,
        ),
    ]
    for who, method, path, body, expected in cases:
        response = getattr(site_client(*who), method)(path, body, content_type="application/json")
        assert response.status_code == expected, (who, path, response.content[:200])
    assert _json(site_client(None, "vendor_a"), "get", "/api/v1/training/seats/")[1] == []
    assert list(Seat.objects.order_by("pk").values_list("status", "attended")) == before
    assert Programme.objects.count() == 2
    # another member of 一宮市's staff sees only their own seats
    other = _staff(portal, "ichinomiya", "ito")
    client = Client(HTTP_HOST="ichinomiya.localhost")
    with schema_context("ichinomiya"):
        client.force_login(other)
    assert _json(client, "get", "/api/v1/training/seats/")[1] == []
    assert seat_list(viewer=_viewer(portal, "ichinomiya_admin", "ichinomiya")).count() == 1


def test_the_session_list_says_what_the_viewer_can_do(portal, site_client) -> None:
    """After applying the button gives way to the seat's state; a session for another role
    says so instead of offering a button that would refuse; a full session's application says
    it went onto the waiting list."""
    open_session = _session(portal, capacity=1)
    leaders_only = _session(portal, role="ict_leader")
    staff = site_client("ichinomiya", "ichinomiya_staff")
    page = staff.get("/training/").content.decode()
    assert "対象外 (対象: " in page
    assert page.count('action="/training/apply/"') == 1  # only the session open to them
    applied = staff.post("/training/apply/", {"session_id": open_session.pk}, follow=True)
    assert "申し込みました。受講が確定しています。" in applied.content.decode()
    rows = {s.pk: s for s in applied.context["sessions"]}
    assert rows[open_session.pk].my_status == "confirmed"
    assert rows[leaders_only.pk].my_status is None
    html = applied.content.decode()
    assert "申込済み: 受講確定" in html
    assert 'action="/training/apply/"' not in html
    # the session is full now: 豊橋市's staff go onto the waiting list, and are told so
    other = site_client("toyohashi", "toyohashi_staff")
    waiting = other.post("/training/apply/", {"session_id": open_session.pk}, follow=True)
    html = waiting.content.decode()
    assert "キャンセル待ちに登録しました" in html
    assert "申込済み: キャンセル待ち" in html
