"""From a vendor's draft listing to an active usage contract, through the API, with the
refusals along the way (each leaves the data unchanged)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.approvals.models import ApplicationReview
from apps.catalog.models import FeeSchedule
from apps.contracts.models import Application, Contract, ContractTerm
from apps.core.domain.fiscal import fiscal_year_of
from tests.clock import FY, TODAY, end_of_month, fy_month, months_later, this_month

pytestmark = pytest.mark.django_db

LISTING = {
    "name": "窓口DXクラウド",
    "summary": "書かない窓口を実現するSaaS",
    "description": "申請書の自動作成、マイナンバーカード読取",
    "category": "madoguchi_dx",
    "pattern": "B",
    "gov_cloud": True,
    "lgwan": True,
    "plans": ["標準", "プレミアム"],
    "cancellation_notice_months": 3,
}
DECEMBER = fy_month(12).isoformat()  # a month of the current fiscal year
BANDS = {
    "fiscal_year": FY,
    "kind": "bands",
    "tax_category": "standard_10",
    "initial_fee_yen": 100_000,
    "bands": [
        {"lower": 0, "upper": 100_000, "annual_fee_yen": 600_000},
        {"lower": 100_000, "upper": 300_000, "annual_fee_yen": 1_200_000},
        {"lower": 300_000, "upper": None, "annual_fee_yen": 2_400_000},
    ],
}


def _json(client: Client, method: str, path: str, data: Any = None) -> Any:
    response = getattr(client, method)(path, data, content_type="application/json")
    return response.status_code, (response.json() if response.content else None)


def _apply(
    client: Client,
    listing_id: int,
    *,
    plan: str = "標準",
    start_month: str = DECEMBER,
    fiscal_years: list[int] | None = None,
) -> Any:
    """POST an application for a listing; returns (status, json)."""
    return _json(
        client,
        "post",
        "/api/v1/applications/",
        {
            "listing_id": listing_id,
            "plan": plan,
            "start_month": start_month,
            "fiscal_years": fiscal_years or [FY],
        },
    )


@pytest.fixture
def published_listing(site_client) -> tuple[Client, int, int]:  # type: ignore[no-untyped-def]
    vendor = site_client(None, "vendor_a")
    code, listing = _json(vendor, "post", "/api/v1/vendor/listings/", LISTING)
    assert code == 201, listing
    code, schedule = _json(
        vendor, "put", f"/api/v1/vendor/listings/{listing['id']}/fee-schedules/", BANDS
    )
    assert code == 200, schedule
    assert (
        _json(vendor, "post", f"/api/v1/vendor/fee-schedules/{schedule['id']}/publish/")[0] == 200
    )
    assert _json(vendor, "post", f"/api/v1/vendor/listings/{listing['id']}/publish/")[0] == 200
    return vendor, listing["id"], schedule["id"]


def test_the_whole_path_from_draft_listing_to_active_contract(portal, site_client) -> None:
    vendor = site_client(None, "vendor_a")
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    # a draft is invisible to bodies
    code, listing = _json(vendor, "post", "/api/v1/vendor/listings/", LISTING)
    assert code == 201
    assert listing["status"] == "draft"
    assert _json(staff, "get", "/api/v1/listings/?q=窓口")[1]["count"] == 0
    assert _json(staff, "get", f"/api/v1/listings/{listing['id']}/")[0] == 404
    # fee schedule and publication
    code, schedule = _json(
        vendor, "put", f"/api/v1/vendor/listings/{listing['id']}/fee-schedules/", BANDS
    )
    assert (code, schedule["version"], schedule["status"]) == (200, 1, "draft")
    assert (
        _json(vendor, "post", f"/api/v1/vendor/fee-schedules/{schedule['id']}/publish/")[0] == 200
    )
    assert _json(vendor, "post", f"/api/v1/vendor/listings/{listing['id']}/publish/")[0] == 200
    found = _json(staff, "get", "/api/v1/listings/?q=ｶﾞﾀﾞ 窓口&category=madoguchi_dx&flag=lgwan")
    assert found[1]["count"] == 0  # every term must match
    found = _json(
        staff, "get", "/api/v1/listings/?q=書かない　窓口&category=madoguchi_dx&flag=lgwan"
    )
    assert [r["id"] for r in found[1]["results"]] == [listing["id"]]
    # the quote for 一宮市 (379,981 in the 2020 census): the top band
    code, quote = _json(staff, "get", f"/api/v1/listings/{listing['id']}/quote/?fiscal_year={FY}")
    assert code == 200
    assert (
        quote["population"],
        quote["annual_fee_yen"],
        quote["initial_fee_yen"],
        quote["tax_yen"],
        quote["total_yen"],
    ) == (379_981, 2_400_000, 100_000, 250_000, 2_750_000)
    assert quote["population_source"] == "census-2020"
    # apply, approve inside the body, accept
    code, application = _apply(staff, listing["id"])
    assert (code, application["status"]) == (201, "submitted")
    assert _json(vendor, "get", "/api/v1/applications/")[1]["results"] == []  # not sent on yet
    code, review = _json(
        admin,
        "post",
        f"/api/v1/applications/{application['id']}/reviews/",
        {"kind": "approved", "comment": "予算確保済み"},
    )
    assert code == 201
    with schema_context("ichinomiya"):
        assert list(ApplicationReview.objects.values_list("kind", "comment")) == [
            ("approved", "予算確保済み")
        ]
    assert [a["status"] for a in _json(vendor, "get", "/api/v1/applications/")[1]["results"]] == [
        "pending_vendor"
    ]
    code, contract = _json(vendor, "post", f"/api/v1/applications/{application['id']}/accept/")
    assert code == 201
    assert (contract["status"], contract["body_code"], contract["start_month"]) == (
        "active",
        "232033",
        DECEMBER,
    )
    assert contract["terms"] == [
        {"fiscal_year": FY, "fee_schedule_id": schedule["id"], "fee_schedule_version": 1}
    ]
    # the body and the vendor both see it
    assert [c["id"] for c in _json(staff, "get", "/api/v1/contracts/")[1]["results"]] == [
        contract["id"]
    ]
    assert [c["id"] for c in _json(vendor, "get", "/api/v1/contracts/")[1]["results"]] == [
        contract["id"]
    ]
    # accepting twice is refused and writes nothing
    code, error = _json(vendor, "post", f"/api/v1/applications/{application['id']}/accept/")
    assert (code, error["error"]["code"]) == (409, "application_state_changed")
    assert Contract.objects.count() == 1
    # a second application for a listing under contract is refused
    code, error = _apply(staff, listing["id"])
    assert (code, error["error"]["code"]) == (400, "contract_exists")
    assert Application.objects.count() == 1


def test_renewal_needs_next_years_schedule_and_cancellation_keeps_the_notice(
    portal, site_client, published_listing
) -> None:
    vendor, listing_id, _ = published_listing
    staff = site_client("toyohashi", "toyohashi_staff")
    admin = site_client("toyohashi", "toyohashi_admin")
    # a contract already running: it started this month
    _, application = _apply(
        staff, listing_id, plan="プレミアム", start_month=this_month().isoformat()
    )
    _json(admin, "post", f"/api/v1/applications/{application['id']}/reviews/", {"kind": "approved"})
    _, contract = _json(vendor, "post", f"/api/v1/applications/{application['id']}/accept/")
    # no schedule for next fiscal year yet
    code, error = _json(admin, "post", f"/api/v1/contracts/{contract['id']}/renew/")
    assert (code, error["error"]["code"]) == (400, "no_fee_schedule")
    assert ContractTerm.objects.filter(contract_id=contract["id"]).count() == 1
    _, next_year = _json(
        vendor,
        "put",
        f"/api/v1/vendor/listings/{listing_id}/fee-schedules/",
        {**BANDS, "fiscal_year": FY + 1},
    )
    _json(vendor, "post", f"/api/v1/vendor/fee-schedules/{next_year['id']}/publish/")
    code, renewed = _json(admin, "post", f"/api/v1/contracts/{contract['id']}/renew/")
    assert code == 200
    assert [t["fiscal_year"] for t in renewed["terms"]] == [FY, FY + 1]
    # staff may not cancel; the administrator gives notice: 3 months, to the end of the month
    ends_on = end_of_month(months_later(TODAY, 3))
    assert _json(staff, "post", f"/api/v1/contracts/{contract['id']}/cancel/")[0] == 403
    code, cancelled = _json(admin, "post", f"/api/v1/contracts/{contract['id']}/cancel/")
    assert code == 200
    assert (cancelled["status"], cancelled["ends_on"]) == ("ending", ends_on.isoformat())
    assert [t["fiscal_year"] for t in cancelled["terms"]] == [
        fy for fy in (FY, FY + 1) if fy <= fiscal_year_of(ends_on)
    ]
    assert _json(admin, "post", f"/api/v1/contracts/{contract['id']}/cancel/")[0] == 409


def test_a_published_schedule_is_frozen_and_a_change_is_a_new_version(
    portal, published_listing
) -> None:
    vendor, listing_id, schedule_id = published_listing
    code, v2 = _json(
        vendor,
        "put",
        f"/api/v1/vendor/listings/{listing_id}/fee-schedules/",
        {**BANDS, "initial_fee_yen": 0},
    )
    assert (code, v2["version"], v2["status"]) == (200, 2, "draft")
    v1 = FeeSchedule.objects.get(pk=schedule_id)
    assert (v1.status, v1.initial_fee_yen) == ("published", 100_000)
    code, error = _json(vendor, "post", f"/api/v1/vendor/fee-schedules/{schedule_id}/publish/")
    assert (code, error["error"]["code"]) == (400, "fee_schedule_frozen")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {
                "bands": [
                    {"lower": 0, "upper": 100_000, "annual_fee_yen": 1},
                    {"lower": 90_000, "upper": None, "annual_fee_yen": 2},
                ]
            },
            "fee_bands_overlap",
        ),
        (
            {
                "bands": [
                    {"lower": 0, "upper": 100_000, "annual_fee_yen": 1},
                    {"lower": 110_000, "upper": None, "annual_fee_yen": 2},
                ]
            },
            "fee_bands_gap",
        ),
        ({"fiscal_year": 2019}, "unknown_fiscal_year"),
        (
            {
                "kind": "weighted",
                "base_fee_yen": 1,
                "reference_population": 10,
                "doubling_factor": "1.0",
            },
            "invalid_doubling_factor",
        ),
    ],
)
def test_bad_fee_schedules_are_refused_and_nothing_is_written(
    portal, site_client, change: dict, code: str
) -> None:
    vendor = site_client(None, "vendor_a")
    _, listing = _json(vendor, "post", "/api/v1/vendor/listings/", LISTING)
    status, error = _json(
        vendor,
        "put",
        f"/api/v1/vendor/listings/{listing['id']}/fee-schedules/",
        {**BANDS, **change},
    )
    assert (status, error["error"]["code"]) == (400, code)
    assert FeeSchedule.objects.filter(listing_id=listing["id"]).count() == 0


def test_an_application_for_a_withdrawn_listing_is_refused(
    portal, site_client, published_listing
) -> None:
    vendor, listing_id, _ = published_listing
    assert _json(vendor, "post", f"/api/v1/vendor/listings/{listing_id}/withdraw/")[0] == 200
    staff = site_client("ichinomiya", "ichinomiya_staff")
    code, error = _apply(staff, listing_id)
    assert (code, error["error"]["code"]) == (400, "listing_withdrawn")
    assert Application.objects.count() == 0


def test_an_application_outside_the_known_years_or_with_a_wrong_plan(
    portal, site_client, published_listing
) -> None:
    _, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    code, error = _apply(staff, listing_id, plan="松")
    assert (code, error["error"]["code"], list(error["error"]["fields"])) == (
        400,
        "invalid_application",
        ["plan"],
    )
    code, error = _apply(staff, listing_id, start_month="2031-04-01", fiscal_years=[2031])
    assert (code, error["error"]["code"]) == (400, "unknown_fiscal_year")
    assert Application.objects.count() == 0


def test_a_rejection_inside_the_body_never_reaches_the_vendor(
    portal, site_client, published_listing
) -> None:
    vendor, listing_id, _ = published_listing
    staff = site_client("ichinomiya", "ichinomiya_staff")
    admin = site_client("ichinomiya", "ichinomiya_admin")
    _, application = _apply(staff, listing_id)
    assert (
        _json(
            admin,
            "post",
            f"/api/v1/applications/{application['id']}/reviews/",
            {"kind": "rejected"},
        )[1]["error"]["code"]
        == "comment_required"
    )
    code, _ = _json(
        admin,
        "post",
        f"/api/v1/applications/{application['id']}/reviews/",
        {"kind": "rejected", "comment": "今年度は見送り"},
    )
    assert code == 201
    assert Application.objects.get(pk=application["id"]).status == "rejected_by_body"
    assert _json(vendor, "get", "/api/v1/applications/")[1]["results"] == []
    assert _json(vendor, "get", f"/api/v1/applications/{application['id']}/")[0] == 404
