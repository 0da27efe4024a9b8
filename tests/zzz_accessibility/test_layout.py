"""What axe cannot judge alone, in a real browser: a skip link, the current page marked in the
menu, a visible focus ring, a menu on one line at 1366 px; and on a phone (390×844) a menu
button, no sideways scrolling, and tables that reflow into labelled cards."""

from __future__ import annotations

import pytest

from apps.invoicing.models import Invoice
from tests.conftest import PASSWORD
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser]
PHONE = {"width": 390, "height": 844}


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")
    page.wait_for_load_state("load")


def test_skip_link_current_page_and_focus_ring(live_portal, browser, data) -> None:
    base = f"http://localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP", viewport={"width": 1366, "height": 900})
    _login(page, base, "aichi-sec")
    page.goto(f"{base}/invoices/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "本文へ移動"
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert ring == "4px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    current = page.eval_on_selector_all(
        "nav a[aria-current=page]", "els => els.map(e => e.textContent)"
    )
    assert current == ["請求書"]
    page.goto(f"{base}/invoices/?payment=overdue")
    current = page.eval_on_selector_all(
        "nav a[aria-current=page]", "els => els.map(e => e.textContent)"
    )
    assert current == ["未収金"]
    # at 1366 px every menu entry stays on one line (no ホー/ム)
    heights = page.eval_on_selector_all(
        "nav a", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert max(heights) < 40, heights
    page.close()


def _phone(browser, base: str, username: str | None):  # type: ignore[no-untyped-def]
    page = browser.new_page(locale="ja-JP", viewport=PHONE, is_mobile=True, has_touch=True)
    if username:
        _login(page, base, username)
    return page


def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"
    assert_accessible(page)


def test_on_a_phone_the_menu_is_a_button_and_nothing_scrolls_sideways(
    live_portal, browser, data
) -> None:
    body = f"http://ichinomiya.localhost:{live_portal.port}"
    page = _phone(browser, body, "admin")
    page.wait_for_load_state("load")
    button = page.locator(".menu-button")
    button.wait_for(state="visible", timeout=5000)
    assert not page.locator("#main-menu").is_visible()
    button.click()
    assert page.locator("#main-menu").is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    _fits(page)  # home
    page.goto(f"{body}/catalog/")
    _fits(page)
    page.goto(f"{body}/catalog/{data['listing'].pk}/")
    _fits(page)
    invoice = Invoice.objects.filter(recipient__code="232033", status="issued").first()
    assert invoice is not None
    page.goto(f"{body}/invoices/{invoice.pk}/")
    _fits(page)
    page.goto(f"{body}/invoices/")
    _fits(page)
    # the invoice list became cards: each cell a full-width row with its column's name
    cells = page.eval_on_selector_all(
        "table.reflow tbody td",
        "els => els.map(e => [e.dataset.label, Math.round(e.getBoundingClientRect().width),"
        " getComputedStyle(e, '::before').content])",
    )
    assert cells
    assert all(width > 300 for _, width, _ in cells), cells
    assert any(label == "請求書番号" and before == '"請求書番号"' for label, _, before in cells)
    page.close()


def test_an_irreversible_action_asks_first_without_javascript(live_portal, browser) -> None:
    """With JavaScript off, the button opens a panel that says what will happen; only the
    panel's own button acts."""
    base = f"http://localhost:{live_portal.port}"
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    _login(page, base, "vendor-b")
    page.goto(f"{base}/accounts/tokens/")
    page.fill("#id_name", "会計連携")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("[data-testid=new-key]")
    page.goto(f"{base}/accounts/tokens/")
    assert page.locator("tr:has-text('会計連携')").count() == 1
    panel = page.locator("tr:has-text('会計連携') .confirm-panel")
    assert not panel.is_visible()
    page.click("tr:has-text('会計連携') summary:has-text('失効させる')")
    assert panel.is_visible()
    assert "使っている連携は動かなくなります" in panel.inner_text()
    assert page.locator("tr:has-text('会計連携')").count() == 1  # nothing done yet
    panel.locator("[data-testid=confirm]").click()
    page.wait_for_load_state("load")
    assert page.locator("tr:has-text('会計連携')").count() == 0
    context.close()


def test_a_fifth_tick_to_compare_is_refused_in_words_not_an_alert(
    live_portal, browser, portal, django_db_blocker
) -> None:
    from apps.accounts.models import Role
    from apps.accounts.services import user_create
    from apps.accounts.viewer import Viewer, system_viewer
    from apps.vendors.services import vendor_create, vendor_staff_add
    from tests.catalog.test_search import _listing

    with django_db_blocker.unblock():
        # a vendor of its own: the suite before this (fuzzing included) may have changed
        # the shared ones
        system = system_viewer()
        company = vendor_create(
            viewer=system,
            name="比較テスト株式会社",
            corporate_number="9010001234562",
            invoice_registration_number="T9010001234562",
            contact_email="compare@example.jp",
        )
        staff = user_create(
            viewer=system,
            username="compare-vendor",
            full_name="比較 担当",
            role=Role.VENDOR,
            password=PASSWORD,
        )
        vendor_staff_add(viewer=system, vendor_id=company.pk, user_id=staff.pk)
        vendor = Viewer(user=staff, body=None)
        for n in range(5):
            _listing(vendor, name=f"比較用サービス{n}", category="rpa", pattern="B")
    base = f"http://ichinomiya.localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, base, "tanaka")
    page.goto(f"{base}/catalog/?q=比較用サービス")
    boxes = page.locator("[data-compare]")
    assert boxes.count() == 5
    for n in range(4):
        boxes.nth(n).check()
    boxes.nth(4).click()  # the fifth: refused by the page, in words
    assert [boxes.nth(n).is_checked() for n in range(5)] == [True, True, True, True, False]
    assert page.inner_text("#compare-note") == "比較できるのは4件までです。"
    assert dialogs == []
    page.close()


def test_detail_pages_say_where_they_sit(live_portal, browser, data) -> None:
    base = f"http://localhost:{live_portal.port}"
    page = browser.new_page(locale="ja-JP")
    _login(page, base, "aichi-sec")
    invoice = Invoice.objects.filter(kind="burden", status="issued").first()
    assert invoice is not None
    page.goto(f"{base}/invoices/{invoice.pk}/")
    crumbs = page.eval_on_selector_all(
        "nav.breadcrumbs li", "els => els.map(e => e.textContent.trim())"
    )
    assert crumbs == ["ホーム", "請求書"]
    page.click("nav.breadcrumbs a:has-text('請求書')")
    page.wait_for_load_state("load")
    assert page.url == f"{base}/invoices/"
    page.close()
