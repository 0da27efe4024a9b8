"""A client generated from the published schema can run the contract path and the what-if
apportionment: openapi-python-client turns /api/schema/ into a Python package at test time
(nothing generated is committed), and the test calls the live server only through it.

Like the fuzzer beside it, this writes through a live server and leaves what it wrote."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.clock import FY, fy_month
from tests.conftest import Portal
from tests.zz_fuzz.conftest import token_for

pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module")
def portal_client(live_portal: Any, tmp_path_factory: Any) -> Any:
    """The generated package, imported."""
    url = f"http://127.0.0.1:{live_portal.port}/api/schema/?format=json"
    response = requests.get(url, headers={"Host": "localhost"}, timeout=30)
    folder = tmp_path_factory.mktemp("client")
    (folder / "schema.json").write_bytes(response.content)
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(folder / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / "portal_client"),
            "--fail-on-warning",
        ],
        cwd=folder,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("portal_client")
    finally:
        sys.path.remove(str(folder))


def _call(portal_client: Any, operation: str, client: Any, **kwargs: Any) -> Any:
    """Call an operation by its operationId (the generated module of that name)."""
    api = Path(portal_client.__file__).parent / "api"
    (found,) = api.glob(f"*/{operation}.py")
    module = importlib.import_module(f"portal_client.api.{found.parent.name}.{operation}")
    response = module.sync_detailed(client=client, **kwargs)
    assert 200 <= response.status_code < 300, (operation, response.status_code, response.content)
    return response.parsed


def test_the_generated_client_runs_the_contract_path_and_the_preview(
    portal: Portal, live_portal: Any, portal_client: Any, django_db_blocker: Any
) -> None:
    from portal_client import AuthenticatedClient
    from portal_client import models as m

    base_url = f"http://127.0.0.1:{live_portal.port}"

    def client(slug: str | None, user_key: str) -> Any:
        with django_db_blocker.unblock():
            token = token_for(portal, slug, user_key)
        return AuthenticatedClient(
            base_url=base_url, token=token, prefix="Token", headers={"Host": portal.host(slug)}
        )

    vendor = client(None, "vendor_a")
    staff = client("ichinomiya", "ichinomiya_staff")
    admin = client("ichinomiya", "ichinomiya_admin")
    secretariat = client(None, "aichi_secretariat")
    # the vendor lists a service with a fee schedule and publishes both
    listing = _call(
        portal_client,
        "vendor_listings_create",
        vendor,
        body=m.ListingInput(
            name="生成クライアント窓口",
            summary="生成したクライアントで掲載",
            category=m.CategoryEnum.MADOGUCHI_DX,
            pattern=m.PatternEnum.B,
            plans=["標準"],
        ),
    )
    schedule = _call(
        portal_client,
        "vendor_listings_fee_schedules_update",
        vendor,
        listing_id=listing.id,
        body=m.ScheduleInput(
            fiscal_year=FY,
            kind=m.FeeKindEnum.BANDS,
            bands=[m.BandIO(lower=0, annual_fee_yen=1_200_000)],
        ),
    )
    _call(portal_client, "vendor_fee_schedules_publish_create", vendor, schedule_id=schedule.id)
    _call(portal_client, "vendor_listings_publish_create", vendor, listing_id=listing.id)
    # 一宮市's staff applies, its administrator approves, the vendor accepts
    application = _call(
        portal_client,
        "applications_create",
        staff,
        body=m.ApplicationsRequest(
            listing_id=listing.id,
            plan="標準",
            start_month=fy_month(12),
            fiscal_years=[FY],
        ),
    )
    assert application.status == m.ApplicationStatusEnum.SUBMITTED
    review = _call(
        portal_client,
        "applications_reviews_create",
        admin,
        application_id=application.id,
        body=m.ApplicationReviewsRequest(kind=m.ReviewKindEnum.APPROVED, comment="予算確保済み"),
    )
    assert review.kind == "approved"
    contract = _call(
        portal_client, "applications_accept_create", vendor, application_id=application.id
    )
    assert (contract.status, contract.body_code) == (m.ContractStatusEnum.ACTIVE, "232033")
    assert [t.fiscal_year for t in contract.terms] == [FY]
    # the secretariat's what-if: 1,000,000 yen by population, a fixed member
    preview = _call(
        portal_client,
        "apportionment_preview_create",
        secretariat,
        body=m.ApportionmentPreviewRequest(
            total_yen=1_000_000,
            members=[
                m.ApportionmentPreviewMember(code="232033", population=379_981),
                m.ApportionmentPreviewMember(code="232017", population=372_134),
                m.ApportionmentPreviewMember(code="230006", fixed_yen=100_000),
            ],
        ),
    )
    shares = {s.code: s.amount_yen for s in preview.shares}
    assert sum(shares.values()) == 1_000_000
    assert shares["230006"] == 100_000
    assert shares["232033"] > shares["232017"]
