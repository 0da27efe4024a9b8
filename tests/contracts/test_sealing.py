"""Every catalogue/contract endpoint tried by another body, another vendor or the wrong role:
a 404 or 403, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.approvals.models import ApplicationReview
from apps.catalog.models import FeeSchedule, Listing
from apps.contracts.models import Application, Contract, ContractTerm
from apps.core.models import AuditEvent
from apps.groups.models import JointService, JointServiceYear
from tests.clock import FY, fy_month
from tests.contracts.test_contract_path import BANDS, LISTING, _json

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(portal, site_client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """vendor A's published listing, 一宮市's accepted contract, and a draft listing of A."""
    vendor = site_client(None, "vendor_a")
    _, listing = _json(vendor, "post", "/api/v1/vendor/listings/", LISTING)
    _, schedule = _json(
        vendor, "put", f"/api/v1/vendor/listings/{listing['id']}/fee-schedules/", BANDS
    )
    _json(vendor, "post", f"/api/v1/vendor/fee-schedules/{schedule['id']}/publish/")
    _json(vendor, "post", f"/api/v1/vendor/listings/{listing['id']}/publish/")
    _, draft = _json(vendor, "post", "/api/v1/vendor/listings/", {**LISTING, "name": "下書き"})
    staff = site_client("ichinomiya", "ichinomiya_staff")
    _, application = _json(
        staff,
        "post",
        "/api/v1/applications/",
        {
            "listing_id": listing["id"],
            "plan": "標準",
            "start_month": fy_month(12).isoformat(),
            "fiscal_years": [FY],
        },
    )
    _json(
        site_client("ichinomiya", "ichinomiya_admin"),
        "post",
        f"/api/v1/applications/{application['id']}/reviews/",
        {"kind": "approved"},
    )
    _, contract = _json(vendor, "post", f"/api/v1/applications/{application['id']}/accept/")
    _, pending = _json(
        site_client("ichinomiya", "ichinomiya_staff"),
        "post",
        "/api/v1/applications/",
        {
            "listing_id": listing["id"],
            "plan": "標準",
            "start_month": fy_month(12).isoformat(),
            "fiscal_years": [FY],
        },
    )
    return {
        "listing": listing["id"],
        "draft": draft["id"],
        "schedule": schedule["id"],
        "application": application["id"],
        "contract": contract["id"],
    }


def _state() -> tuple:
    with schema_context("ichinomiya"):
        reviews = ApplicationReview.objects.count()
    with schema_context("toyohashi"):
        reviews_b = ApplicationReview.objects.count()
    return (
        Listing.objects.count(),
        FeeSchedule.objects.count(),
        Application.objects.count(),
        list(Application.objects.order_by("pk").values_list("status", flat=True)),
        Contract.objects.count(),
        list(Contract.objects.values_list("status", flat=True)),
        ContractTerm.objects.count(),
        reviews,
        reviews_b,
        JointService.objects.count(),
        JointServiceYear.objects.count(),
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


CASES = [
    # (who: (site, user), method, path, body, expected status)
    (("toyohashi", "toyohashi_staff"), "get", "/api/v1/applications/{application}/", None, 404),
    (
        ("toyohashi", "toyohashi_admin"),
        "post",
        "/api/v1/applications/{application}/reviews/",
        {"kind": "approved"},
        404,
    ),
    (
        ("toyohashi", "toyohashi_staff"),
        "get",
        "/api/v1/applications/{application}/reviews/",
        None,
        404,
    ),
    (
        ("toyohashi", "toyohashi_admin"),
        "post",
        "/api/v1/applications/{application}/withdraw/",
        None,
        404,
    ),
    (("toyohashi", "toyohashi_staff"), "get", "/api/v1/contracts/{contract}/", None, 404),
    (("toyohashi", "toyohashi_admin"), "post", "/api/v1/contracts/{contract}/renew/", None, 404),
    (("toyohashi", "toyohashi_admin"), "post", "/api/v1/contracts/{contract}/cancel/", None, 404),
    ((None, "vendor_b"), "get", "/api/v1/applications/{application}/", None, 404),
    ((None, "vendor_b"), "post", "/api/v1/applications/{application}/accept/", None, 404),
    (
        (None, "vendor_b"),
        "post",
        "/api/v1/applications/{application}/decline/",
        {"reason": "x"},
        404,
    ),
    ((None, "vendor_b"), "get", "/api/v1/contracts/{contract}/", None, 404),
    ((None, "vendor_b"), "patch", "/api/v1/vendor/listings/{listing}/", {"name": "乗っ取り"}, 404),
    ((None, "vendor_b"), "post", "/api/v1/vendor/listings/{listing}/withdraw/", None, 404),
    ((None, "vendor_b"), "put", "/api/v1/vendor/listings/{listing}/fee-schedules/", BANDS, 404),
    ((None, "vendor_b"), "post", "/api/v1/vendor/fee-schedules/{schedule}/publish/", None, 404),
    ((None, "vendor_b"), "get", "/api/v1/listings/{draft}/", None, 404),
    ((None, "vendor_a"), "post", "/api/v1/contracts/{contract}/cancel/", None, 403),
    (
        (None, "aichi_secretariat"),
        "post",
        "/api/v1/applications/",
        {
            "listing_id": 0,
            "plan": "標準",
            "start_month": fy_month(12).isoformat(),
            "fiscal_years": [FY],
        },
        403,
    ),
    ((None, "aichi_secretariat"), "post", "/api/v1/vendor/listings/", LISTING, 403),
    ((None, "aichi_secretariat"), "get", "/api/v1/contracts/{contract}/", None, 404),
    (("ichinomiya", "ichinomiya_staff"), "post", "/api/v1/vendor/listings/", LISTING, 404),
    (
        ("ichinomiya", "ichinomiya_staff"),
        "post",
        "/api/v1/applications/{application}/accept/",
        None,
        403,
    ),
    (("ichinomiya", "ichinomiya_staff"), "post", "/api/v1/contracts/{contract}/renew/", None, 403),
    (("ichinomiya", "ichinomiya_staff"), "get", "/api/v1/listings/{draft}/", None, 404),
    ((None, "vendor_a"), "get", "/api/v1/listings/{listing}/quote/", None, 404),
    (
        ("ichinomiya", "ichinomiya_staff"),
        "post",
        "/api/v1/joint-services/",
        {"group_id": 0, "name": "x"},
        403,
    ),
    ((None, "vendor_a"), "get", "/api/v1/groups/1/usage/", None, 403),
]


@pytest.mark.parametrize(("who", "method", "path", "body", "expected"), CASES)
def test_other_parties_are_refused_and_nothing_changes(
    world, site_client, who, method, path, body, expected
) -> None:
    client = site_client(*who)
    before = _state()
    code, payload = _json(client, method, path.format(**world), body)
    assert code == expected, payload
    assert payload["error"]["code"]
    assert _state() == before


def test_another_bodys_lists_do_not_show_ones_own(world, site_client) -> None:
    other = site_client("toyohashi", "toyohashi_staff")
    assert _json(other, "get", "/api/v1/applications/")[1]["results"] == []
    assert _json(other, "get", "/api/v1/contracts/")[1]["results"] == []
    assert _json(site_client(None, "vendor_b"), "get", "/api/v1/contracts/")[1]["results"] == []
    assert _json(site_client(None, "vendor_b"), "get", "/api/v1/vendor/listings/")[1] == []


def test_the_secretariat_sees_which_members_use_a_listing_and_others_do_not(
    world, site_client, portal
) -> None:
    council = portal.groups["council"].pk
    code, usage = _json(
        site_client(None, "aichi_secretariat"),
        "get",
        f"/api/v1/groups/{council}/usage/?listing_id={world['listing']}",
    )
    assert code == 200
    assert [(r["listing_name"], r["bodies"]) for r in usage["listings"]] == [("窓口DXクラウド", 1)]
    assert [u["code"] for u in usage["users"]] == ["232033"]
    other = _json(
        site_client(None, "hokkaido_secretariat"), "get", f"/api/v1/groups/{council}/usage/"
    )
    assert other[0] == 404
