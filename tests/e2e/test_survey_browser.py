"""Survey → draft → submission → savings option → decision → confirmation, once through a real
browser, with the members' notice sent by a real Celery worker."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Notice
from apps.approvals.models import SurveyDraft
from apps.groups.models import JointService
from apps.surveys.models import Decision, Survey, SurveyAnswer
from tests.clock import FY, TODAY
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import confirm
from tests.e2e.test_training_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.worker]  # committed data, cleaned up below

TITLE = "ブラウザで回す施設予約のニーズ調査"


@pytest.fixture
def cleanup(portal, django_db_blocker):  # type: ignore[no-untyped-def]
    yield
    with django_db_blocker.unblock():
        for survey in Survey.objects.filter(title=TITLE):
            services = [d.joint_service for d in Decision.objects.filter(survey=survey)]
            Decision.objects.filter(survey=survey).delete()
            SurveyAnswer.objects.filter(survey=survey).delete()
            for schema in ("ichinomiya", "toyohashi"):
                with schema_context(schema):
                    SurveyDraft.objects.filter(survey_id=survey.pk).delete()
                    Notice.objects.all().delete()
            survey.delete()
            for service in services:
                if service is not None:
                    JointService.objects.filter(pk=service.pk).delete()


def test_a_survey_from_opening_to_a_confirmed_joint_service(
    live_portal, browser, cleanup, celery_worker_process, django_db_blocker
) -> None:
    port = live_portal.port
    public = f"http://localhost:{port}"
    ichinomiya = f"http://ichinomiya.localhost:{port}"
    sec = browser.new_page(locale="ja-JP")
    _login(sec, public, "aichi-sec")
    sec.goto(f"{public}/surveys/")
    sec.fill("#id_title", TITLE)
    sec.fill("#id_area", "施設予約 (ブラウザ)")
    sec.check("input[name=audience_kind][value=group]")
    sec.fill("#id_deadline", (TODAY + dt.timedelta(days=10)).isoformat())
    sec.fill("#id_features", "スマートフォン対応\n抽選機能")
    sec.click("button:has-text('調査を開始する')")
    sec.wait_for_selector("text=調査を開始しました")
    assert "0 / 3団体 (0.0%)" in sec.inner_text("[data-testid=rate]")
    assert_accessible(sec)
    survey_url = sec.url

    # a member of staff drafts; the administrator reads it and submits
    staff = browser.new_page(locale="ja-JP")
    _login(staff, ichinomiya, "tanaka")
    staff.goto(f"{ichinomiya}/")
    assert "回答を待っているニーズ調査" in staff.inner_text("[data-testid=tasks]")
    staff.goto(f"{ichinomiya}/surveys/")
    staff.click(f"a:has-text('{TITLE}')")
    staff.fill("#id_current_system", "施設予約くん")
    staff.fill("#id_annual_cost_yen", "4,800,000")
    staff.check("input[name=interest][value=considering]")
    staff.check("input[name=features][value='0']")
    staff.click("button:has-text('下書きを保存する')")
    staff.wait_for_selector("text=下書きを保存しました")
    assert staff.query_selector("summary:has-text('提出する')") is None  # only the administrator
    admin = browser.new_page(locale="ja-JP")
    _login(admin, ichinomiya, "admin")
    admin.goto(staff.url)
    assert admin.input_value("#id_current_system") == "施設予約くん"
    question = confirm(admin, "提出する")
    assert question.startswith("この内容で事務局に提出します。")
    admin.wait_for_selector("text=回答を提出しました")
    assert admin.inner_text("[data-testid=answer-state]") == "提出済み (第1版)"
    assert_accessible(admin)

    # the secretariat: the live rate, an option and its savings
    sec.goto(survey_url)
    assert "1 / 3団体 (33.3%)" in sec.inner_text("[data-testid=rate]")
    sec.fill("#id_label", "均等割2割")
    sec.fill("#id_total_cost_yen", "3,000,000")
    sec.click("button:has-text('試算案を追加する')")
    sec.wait_for_selector("text=試算案を追加しました")
    assert "1,800,000円" in sec.inner_text("[data-testid=lines]")
    assert_accessible(sec)

    # the deadline passes (moved back here: the browser and the worker share no clock)
    with django_db_blocker.unblock():
        Survey.objects.filter(title=TITLE).update(deadline=TODAY - dt.timedelta(days=1))
    sec.goto(survey_url)
    sec.check("input[name=pattern][value=common_b]")
    sec.check("input[name=go][value=yes]")
    sec.check("input[name=outcome][value=joint_service]")
    sec.select_option("#id_option_id", label="均等割2割")
    sec.fill("#id_fiscal_year", str(FY + 1))
    sec.fill("#id_reasons", "一宮市で年180万円の削減が見込まれるため")
    confirm(sec, "決定を記録する")
    sec.wait_for_selector("text=決定を記録しました")
    assert "協議会の共同運営システムとして開始" in sec.inner_text("[data-testid=decisions]")

    # the worker tells the member; its administrator confirms taking part
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        admin.goto(f"{ichinomiya}/")
        if admin.query_selector("[data-testid=notices]"):
            break
        time.sleep(0.5)
    assert "参加を確認してください" in admin.inner_text("[data-testid=notices]")
    admin.goto(staff.url)
    admin.click("button:has-text('参加する')")
    admin.wait_for_selector("text=回答しました")
    assert "参加を確認" in admin.inner_text("[data-testid=invitation]")
    sec.goto(survey_url)
    assert "参加を確認" in sec.inner_text("[data-testid=invitations]")
    for page in (sec, staff, admin):
        page.close()
