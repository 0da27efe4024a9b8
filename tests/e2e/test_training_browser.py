"""Apply → confirm → cancel → promote, once through a real browser, with the notification
sent by a real Celery worker."""

from __future__ import annotations

import time

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Notice
from apps.training.models import Seat
from tests.conftest import PASSWORD
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import confirm
from tests.training.factories import session_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]  # committed data, cleaned up below


@pytest.fixture
def one_seat(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        session = session_for(
            portal.groups["council"],
            title="ブラウザ研修",
            capacity=1,
            days_ahead=20,
            venue="県庁 講堂",
        )
    yield session
    with django_db_blocker.unblock():
        Seat.objects.filter(session=session).delete()
        programme = session.programme
        session.delete()
        programme.delete()
        with schema_context("toyohashi"):
            Notice.objects.all().delete()


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


def test_apply_confirm_cancel_promote(
    live_portal,
    browser,
    one_seat,
    celery_worker_process,
) -> None:
    port = live_portal.port
    ichinomiya = f"http://ichinomiya.localhost:{port}"
    toyohashi = f"http://toyohashi.localhost:{port}"
    first = browser.new_page(locale="ja-JP")
    _login(first, ichinomiya, "tanaka")
    first.goto(f"{ichinomiya}/training/")
    first.click("tr:has-text('ブラウザ研修') button:has-text('申し込む')")
    first.wait_for_selector("text=申し込みました")
    assert_accessible(first)  # axe: no serious or critical violation
    second = browser.new_page(locale="ja-JP")
    _login(second, toyohashi, "suzuki")
    second.goto(f"{toyohashi}/training/")
    second.click("tr:has-text('ブラウザ研修') button:has-text('申し込む')")
    # the session is full: the result says so, rather than 申し込みました
    second.wait_for_selector("text=キャンセル待ちに登録しました")
    second.goto(f"{toyohashi}/training/seats/")
    assert second.inner_text("[data-testid=seat-status]") == "キャンセル待ち"
    first.goto(f"{ichinomiya}/training/seats/")
    assert first.inner_text("[data-testid=seat-status]") == "受講確定"
    asked = confirm(first, "取り消す")
    first.wait_for_selector("text=取り消しました")
    assert_accessible(first)  # axe: no serious or critical violation
    assert asked == "この申込を取り消しますか? 席はキャンセル待ちの方に移ります。"
    second.goto(f"{toyohashi}/training/seats/")
    assert second.inner_text("[data-testid=seat-status]") == "受講確定"
    # the worker writes the notice in 豊橋市's schema; it shows on suzuki's home page
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        second.goto(f"{toyohashi}/")
        if second.query_selector("[data-testid=notices]"):
            break
        time.sleep(0.5)
    assert "「ブラウザ研修」" in second.inner_text("[data-testid=notices]")
    for page in (first, second):
        page.close()
