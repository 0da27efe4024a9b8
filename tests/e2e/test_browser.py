"""Through a real Chromium (Playwright) against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_municipal_staff_log_in_at_their_body_and_see_its_home(live_portal, browser) -> None:
    base = f"http://ichinomiya.localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    page.goto(f"{base}/")
    # the anonymous visitor is sent to the body's log-in page
    assert page.url == f"{base}/accounts/login/?next=/"
    assert "一宮市の職員用ログインです。" in page.content()
    page.fill("#id_username", "tanaka")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=body-home]")
    assert page.url == f"{base}/"
    assert page.inner_text("[data-testid=body-home]") == "一宮市 ホーム"
    assert "テスト電子自治体協議会" in page.inner_text("main")
    assert page.inner_text("[data-testid=whoami]") == "ichinomiya body_staff（職員）"
    page.close()


def test_a_wrong_password_shows_a_japanese_error_in_the_browser(live_portal, browser) -> None:
    page = browser.new_page(locale="ja-JP")
    page.goto(f"http://toyohashi.localhost:{live_portal.port}/accounts/login/")
    page.fill("#id_username", "tanaka")  # 一宮市's user at 豊橋市
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("button[type=submit]")
    alert = page.wait_for_selector("[role=alert]")
    assert "ログインIDまたはパスワードが正しくありません" in alert.inner_text()
    page.close()
