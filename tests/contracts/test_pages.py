"""The HTML pages of the catalogue and contracts: the path through the pages, and other bodies,
other vendors and wrong roles refused (404/403) with nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.contracts.models import Application, Contract
from tests.clock import FY, fy_month, month_text
from tests.conftest import band_fields
from tests.contracts.test_contract_path import _json
from tests.contracts.test_sealing import _state

pytestmark = pytest.mark.django_db


def test_the_path_through_the_pages(portal, site_client, published_listing) -> None:
    vendor, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    # search with facets, then the listing with the body's quote
    page = staff.get("/catalog/", {"q": "窓口", "category": "madoguchi_dx", "flag": "lgwan"})
    assert page.status_code == 200
    assert [listing.pk for listing in page.context["page"]] == [listing_id]
    detail = staff.get(f"/catalog/{listing_id}/?fiscal_year={FY}")
    assert detail.context["quote"].quote.total_yen == 2_750_000
    assert "2,750,000円" in detail.content.decode()
    # a bad start month is a form error, nothing written
    bad = staff.post(
        f"/catalog/{listing_id}/apply/", {"plan": "標準", "start_month": f"{FY}-13", "years": 1}
    )
    assert bad.status_code == 400
    assert Application.objects.count() == 0
    applied = staff.post(
        f"/catalog/{listing_id}/apply/",
        {"plan": "標準", "start_month": month_text(fy_month(12)), "years": 1},
    )
    application = Application.objects.get()
    assert applied["Location"] == f"/applications/{application.pk}/"
    # staff cannot approve; the administrator can
    staff.post(f"/applications/{application.pk}/approve/")
    application.refresh_from_db()
    assert application.status == "submitted"
    # a comment over 2,000 characters is refused on the same page, keeping what was typed
    long_comment = "確認" * 1001
    refused = admin.post(f"/applications/{application.pk}/approve/", {"comment": long_comment})
    assert refused.status_code == 400
    assert refused.context["review_form"].errors["comment"]
    assert long_comment in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"
    admin.post(f"/applications/{application.pk}/approve/", {"comment": "OK"})
    application.refresh_from_db()
    assert application.status == "pending_vendor"
    # the vendor accepts on its page
    inbox = vendor.get("/applications/")
    assert [a.pk for a in inbox.context["page"]] == [application.pk]
    long_reason = "理由" * 1001
    refused = vendor.post(f"/applications/{application.pk}/decline/", {"reason": long_reason})
    assert refused.status_code == 400
    assert refused.context["decline_form"].errors["reason"]
    assert long_reason in refused.content.decode()
    application.refresh_from_db()
    assert application.status == "pending_vendor"
    vendor.post(f"/applications/{application.pk}/accept/")
    contract = Contract.objects.get()
    assert contract.status == "active"
    assert list(staff.get("/contracts/").context["page"]) == [contract.pk]
    assert admin.get(f"/contracts/{contract.pk}/").status_code == 200


def test_the_vendor_pages_create_and_publish(portal, site_client) -> None:
    vendor = site_client(None, "vendor_a")
    created = vendor.post(
        "/vendor/listings/",
        {
            "name": "帳票AI",
            "summary": "帳票を読む",
            "category": "ai_ocr",
            "pattern": "B",
            "cancellation_notice_months": 3,
            "plans_text": "標準\n大量",
        },
    )
    assert created.status_code == 302
    listing_id = int(created["Location"].rstrip("/").rsplit("/", 1)[1])
    overlap = vendor.post(
        f"/vendor/listings/{listing_id}/schedules/",
        {
            "fiscal_year": FY,
            "kind": "bands",
            **band_fields("0 10000 100\n5000 - 200"),
            "initial_fee_yen": 0,
            "tax_category": "standard_10",
        },
    )
    assert overlap.status_code == 400
    assert "重なっています" in overlap.content.decode()
    # a row with a lower bound but no fee is named by its row, and what was typed stays
    half = vendor.post(
        f"/vendor/listings/{listing_id}/schedules/",
        {
            "fiscal_year": FY,
            "kind": "bands",
            **band_fields("0 10000 100000"),
            "band_2_lower": "10000",
            "initial_fee_yen": 0,
            "tax_category": "standard_10",
        },
    )
    assert half.status_code == 400
    html = half.content.decode()
    assert "2行目: 下限と年額を入力してください" in html
    assert 'aria-label="2行目 下限 (人以上)"' in html
    assert 'value="10000"' in html
    saved = vendor.post(
        f"/vendor/listings/{listing_id}/schedules/",
        {
            "fiscal_year": FY,
            "kind": "bands",
            **band_fields("0 10000 100000\n10000 - 200000"),
            "initial_fee_yen": 0,
            "tax_category": "standard_10",
        },
    )
    assert saved.status_code == 302
    schedule = vendor.get(f"/vendor/listings/{listing_id}/").context["schedules"][0]
    assert [(b.lower, b.upper, b.annual_fee_yen) for b in schedule.bands.all()] == [
        (0, 10_000, 100_000),
        (10_000, None, 200_000),
    ]
    vendor.post(f"/vendor/listings/{listing_id}/schedules/{schedule.pk}/publish/")
    vendor.post(f"/vendor/listings/{listing_id}/publish/")
    listing = vendor.get(f"/vendor/listings/{listing_id}/").context["listing"]
    assert listing.status == "published"
    # the public site shows it to anyone, without a quote
    public = Client(HTTP_HOST="localhost").get(f"/catalog/{listing_id}/")
    assert public.status_code == 200
    assert "quote" not in public.context
    assert "所属団体のアドレスからログインすると" in public.content.decode()


def test_compare_up_to_four(portal, site_client, published_listing) -> None:
    _, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    page = staff.get("/catalog/compare/", {"ids": [listing_id], "fiscal_year": FY})
    assert page.status_code == 200
    assert page.context["rows"][0]["quote"].quote.total_yen == 2_750_000
    too_many = staff.get("/catalog/compare/", {"ids": ["1", "2", "3", "4", "5"]})
    assert too_many.status_code == 400
    # the list again, saying what to do: no error page, no internal code
    html = too_many.content.decode()
    assert "比較するサービスを1〜4件選んで、もう一度押してください。" in html
    assert "invalid_compare" not in html
    none = staff.get("/catalog/compare/")
    assert none.status_code == 400
    assert "比較するサービスを1〜4件選んで" in none.content.decode()


PAGE_CASES = [
    (("toyohashi", "toyohashi_staff"), "get", "/applications/{application}/", 404),
    (("toyohashi", "toyohashi_admin"), "post", "/applications/{application}/approve/", 404),
    (("toyohashi", "toyohashi_staff"), "get", "/contracts/{contract}/", 404),
    (("toyohashi", "toyohashi_admin"), "post", "/contracts/{contract}/cancel/", 404),
    ((None, "vendor_b"), "get", "/applications/{application}/", 404),
    ((None, "vendor_b"), "post", "/applications/{application}/accept/", 404),
    ((None, "vendor_b"), "post", "/applications/{application}/decline/", 404),
    ((None, "vendor_b"), "get", "/contracts/{contract}/", 404),
    ((None, "vendor_b"), "get", "/vendor/listings/{listing}/", 404),
    ((None, "vendor_b"), "post", "/vendor/listings/{listing}/save/", 404),
    ((None, "vendor_b"), "post", "/vendor/listings/{listing}/withdraw/", 404),
    ((None, "vendor_b"), "post", "/vendor/listings/{listing}/schedules/", 404),
    ((None, "aichi_secretariat"), "get", "/vendor/listings/", 403),
    ((None, "aichi_secretariat"), "get", "/contracts/{contract}/", 404),
    (("ichinomiya", "ichinomiya_staff"), "get", "/vendor/listings/", 404),
    (("ichinomiya", "ichinomiya_staff"), "get", "/catalog/{draft}/", 404),
    ((None, None), "get", "/catalog/{draft}/", 404),
    ((None, None), "get", "/applications/", 302),
]


@pytest.mark.parametrize(("who", "method", "path", "expected"), PAGE_CASES)
def test_pages_refuse_other_parties(world, site_client, who, method, path, expected) -> None:
    client = site_client(*who) if who[1] else Client(HTTP_HOST="localhost")
    before = _state()
    data = {"reason": "x", "comment": "x"} if method == "post" else None
    response = getattr(client, method)(path.format(**world), data)
    assert response.status_code == expected
    assert _state() == before


def test_joint_service_pages_are_sealed(portal, site_client) -> None:
    secretariat = site_client(None, "aichi_secretariat")
    code, service = _json(
        secretariat,
        "post",
        "/api/v1/joint-services/",
        {"group_id": portal.groups["council"].pk, "name": "電子申請"},
    )
    assert secretariat.get(f"/joint-services/{service['id']}/").status_code == 200
    assert (
        site_client(None, "hokkaido_secretariat")
        .get(f"/joint-services/{service['id']}/")
        .status_code
        == 404
    )
    before = _state()
    member = site_client("ichinomiya", "ichinomiya_admin")
    assert (
        member.post(f"/joint-services/{service['id']}/year/", {"total_cost_yen": 1}).status_code
        == 404
    )
    assert _state() == before
    saved = secretariat.post(
        f"/joint-services/{service['id']}/year/",
        {
            "fiscal_year": FY,
            "total_cost_yen": "1,000,000",
            "method": "population",
            "equal_part": "0",
            "doubling_factor": "1.5",
            "population_source": "census-2020",
            "prorate_by_month": "1",
            "participant": ["230006", "232033"],
            "joined_232033": month_text(fy_month(10)),
        },
    )
    assert saved.status_code == 302
    page = member.get("/joint-services/")
    assert [
        (p.service_year.total_cost_yen, p.joined_month.isoformat())
        for p in page.context["participations"]
    ] == [(1_000_000, fy_month(10).isoformat())]


def test_decision_pages_show_the_amount_period_and_end(portal, site_client) -> None:
    """The approver, the vendor and the contract page show what is decided: the annual fee on
    the schedule version that applies, the period and the end date."""
    from apps.core.domain.fiscal import fiscal_year_end
    from apps.core.domain.wareki import wareki_date, wareki_month
    from tests.contracts.test_contract_path import _apply
    from tests.invoicing.conftest import make_billing_data

    billing = make_billing_data(portal)
    status, application = _apply(
        site_client("ichinomiya", "ichinomiya_staff"), billing["listing"].pk
    )
    assert status == 201
    period = f"{wareki_month(fy_month(12))}〜{wareki_date(fiscal_year_end(FY))}"
    admin = site_client("ichinomiya", "ichinomiya_admin")
    html = admin.get(f"/applications/{application['id']}/").content.decode()
    assert "1,200,000円" in html  # 一宮市 (379,981人) is in the 100,000+ band
    assert "第1版" in html
    assert period in html
    contract = site_client("toyohashi", "toyohashi_admin").get(
        f"/contracts/{billing['contract'].pk}/"
    )
    fees = contract.context["fees"]
    assert [(f.fiscal_year, f.annual_yen, f.months, f.year_yen) for f in fees] == [
        (FY, 1_200_000, 4, 400_000)  # December to March: 4 months of 1,200,000円
    ]
    html = contract.content.decode()
    assert "400,000円" in html
    assert wareki_date(fiscal_year_end(FY)) in html  # ends with the fiscal year unless renewed
