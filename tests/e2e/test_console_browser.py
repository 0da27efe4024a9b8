"""The console of the fiscal-year run: the operator starts the national run (every council and
every vendor) in a real browser and watches the progress bar fill while a real worker does the
work."""

from __future__ import annotations

import pytest

from tests.clock import FY
from tests.conftest import PASSWORD
from tests.e2e.axe import assert_accessible

OPERATOR = "operator"

pytestmark = [pytest.mark.browser, pytest.mark.worker]  # committed data, removed afterwards


def test_the_console_starts_the_run_and_shows_it_finish(
    live_portal, browser, committed_billing, celery_worker_process
) -> None:
    _, expected = committed_billing
    base = f"http://localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", OPERATOR)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")
    page.goto(f"{base}/invoicing/runs/?fiscal_year={FY}&group=0")
    assert page.inner_text("[data-testid=run-status]") == "まだ実行されていません。"
    page.click("#start-run")
    # (a selector, not a script: the portal's Content-Security-Policy forbids eval, for tests too)
    page.wait_for_selector("[data-testid=run-status]:text-matches('^完了')", timeout=60_000)
    assert_accessible(page)  # axe: no serious or critical violation
    assert page.get_attribute("#run-bar", "style") == "width: 100%;"
    assert f"作成 {expected}件" in page.inner_text("#run-counts")
    page.close()
