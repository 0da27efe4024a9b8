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


def test_a_refused_form_keeps_what_was_typed_and_focuses_the_summary(live_portal, browser) -> None:
    base = f"http://localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "aichi-sec")
    page.fill("#id_password", "correct-horse-battery-9")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")
    page.goto(f"{base}/training/")
    page.fill("#id_fiscal_year", "99999")
    page.fill("#id_title", "セキュリティ研修")
    page.fill("#id_per_body_cap", "70000")
    page.click("form[action='/training/programmes/'] button[type=submit]")
    # the summary is at the top, has the focus (a screen reader reads it first), and links to
    # each field; the message stands beside the field and what was typed is still there
    summary = page.wait_for_selector("[data-error-summary]:focus")
    links = [a.get_attribute("href") for a in summary.query_selector_all("a")]
    assert links == ["#id_fiscal_year", "#id_per_body_cap"]
    assert page.input_value("#id_title") == "セキュリティ研修"
    assert page.input_value("#id_fiscal_year") == "99999"
    assert "年度は" in page.inner_text("#id_fiscal_year_error")
    page.close()
