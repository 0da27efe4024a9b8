"""The whole path once through a real browser: a vendor lists a service and publishes its fees,
a member of staff finds it, sees the quote and applies, the body's administrator approves, the
vendor accepts, and the contract is active on the body's contract page."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from apps.approvals.models import ApplicationReview
from apps.catalog.models import FeeBand, FeeSchedule, Listing
from apps.contracts.models import Application, Contract, ContractTerm
from tests.clock import FY, fy_month, month_text
from tests.conftest import PASSWORD
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import confirm

# Not marked django_db: the live server commits, and the clean-up must commit too.
pytestmark = [pytest.mark.browser]
NAME = "E2E窓口サービス"


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


@pytest.fixture
def cleanup(django_db_blocker):  # type: ignore[no-untyped-def]
    """What the live server commits here is deleted afterwards, so later tests start clean."""
    yield
    with django_db_blocker.unblock():
        apps = list(Application.objects.filter(listing__name=NAME).values_list("pk", flat=True))
        with schema_context("ichinomiya"):
            ApplicationReview.objects.filter(application_id__in=apps).delete()
        ContractTerm.objects.filter(contract__listing__name=NAME).delete()
        Contract.objects.filter(listing__name=NAME).delete()
        Application.objects.filter(pk__in=apps).delete()
        FeeBand.objects.filter(schedule__listing__name=NAME).delete()
        FeeSchedule.objects.filter(listing__name=NAME).delete()
        Listing.objects.filter(name=NAME).delete()


def test_from_listing_to_active_contract_in_the_browser(live_portal, browser, cleanup) -> None:
    public = f"http://localhost:{live_portal.port}"
    body = f"http://ichinomiya.localhost:{live_portal.port}"
    # the vendor lists the service and publishes its fees
    vendor = browser.new_page(locale="ja-JP")
    _login(vendor, public, "vendor-a")
    vendor.goto(f"{public}/vendor/listings/")
    vendor.fill("#id_name", NAME)
    vendor.fill("#id_summary", "書かない窓口")
    vendor.select_option("#id_category", "madoguchi_dx")
    vendor.select_option("#id_pattern", "B")
    vendor.check("#id_lgwan")
    vendor.click("form.stack button[type=submit]")
    vendor.wait_for_selector("[data-testid=listing-status]")
    assert_accessible(vendor)  # axe: no serious or critical violation
    vendor.fill("#id_fiscal_year", str(FY))
    vendor.select_option("#id_kind", "bands")
    # the bands as a table of rows, as buyers will see them
    vendor.fill("#id_band_1_lower", "0")
    vendor.fill("#id_band_1_upper", "100000")
    vendor.fill("#id_band_1_fee", "600000")
    vendor.fill("#id_band_2_lower", "100000")
    vendor.fill("#id_band_2_fee", "1200000")
    vendor.click("button:has-text('下書きを保存')")
    asked = confirm(vendor, "公開 (確定)")
    vendor.click("button:has-text('公開する')")
    assert vendor.inner_text("[data-testid=listing-status]") == "公開中"
    assert asked == "公開した料金表は変更できません。公開しますか?"
    # a member of staff finds it and sees the quote for 一宮市 (379,981: 1,200,000 + 10%)
    staff = browser.new_page(locale="ja-JP")
    _login(staff, body, "tanaka")
    staff.goto(f"{body}/catalog/")
    staff.fill("#id_q", "書かない")
    staff.check("input[name=flag][value=lgwan]")
    staff.click("button:has-text('検索')")
    staff.click(f"text={NAME}")
    staff.select_option("select[name=fiscal_year]", str(FY))
    staff.wait_for_selector("[data-testid=total]")
    assert_accessible(staff)  # axe: no serious or critical violation
    assert staff.inner_text("[data-testid=total]") == "1,320,000円"
    staff.fill("#id_start_month", month_text(fy_month(12)))
    staff.click("button:has-text('申し込む')")
    staff.wait_for_selector("[data-testid=application-status]")
    assert_accessible(staff)  # axe: no serious or critical violation
    assert staff.inner_text("[data-testid=application-status]") == "団体内の承認待ち"
    application_url = staff.url
    # the body's administrator approves
    admin = browser.new_page(locale="ja-JP")
    _login(admin, body, "admin")
    admin.goto(application_url)
    admin.fill("#id_comment", "予算確保済み")
    asked = confirm(admin, "承認して事業者へ送る")
    admin.wait_for_selector("text=承認しました")
    assert_accessible(admin)  # axe: no serious or critical violation
    assert asked == "承認すると申込が事業者へ送られます。承認しますか?"
    # the vendor accepts
    vendor.goto(f"{public}/applications/")
    vendor.click("text=" + NAME)
    asked = confirm(vendor, "承諾する (契約成立)")
    vendor.wait_for_selector("text=利用契約が成立しました")
    assert_accessible(vendor)  # axe: no serious or critical violation
    assert asked == "承諾すると利用契約が成立します。承諾しますか?"
    # the body sees an active contract
    staff.goto(f"{body}/contracts/")
    row = staff.locator("tr", has_text=NAME)
    assert row.locator("[data-testid=contract-status]").inner_text() == "契約中"
    for page in (vendor, staff, admin):
        page.close()
