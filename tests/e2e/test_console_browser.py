"""The secretariat's console: start the fiscal-year run in a real browser and watch the
progress bar fill while a real worker does the work."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]  # committed data, removed afterwards


def test_the_console_starts_the_run_and_shows_it_finish(
    live_portal, browser, committed_billing, celery_worker_process
) -> None:
    _, expected = committed_billing
    base = f"http://localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "aichi-sec")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")
    page.goto(f"{base}/invoicing/runs/?fiscal_year=2026")
    assert page.inner_text("[data-testid=run-status]") == "まだ実行されていません。"
    page.click("#start-run")
    page.wait_for_function(
        "document.querySelector('[data-testid=run-status]').textContent.startsWith('完了')",
        timeout=60_000,
    )
    assert page.eval_on_selector("#run-bar", "el => el.style.width") == "100%"
    assert f"作成 {expected}件" in page.inner_text("#run-counts")
    page.close()
