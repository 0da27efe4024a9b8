from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from apps.accounts.viewer import Viewer, system_viewer
from apps.catalog.domain.fees import Band
from apps.catalog.services import (
    ScheduleInput,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
)
from apps.contracts.services import contract_record_existing
from apps.groups.services import (
    ParticipantInput,
    joint_service_create,
    joint_service_year_save,
)
from tests.clock import FY, fy_month


def make_billing_data(portal: Any, *, service_name: str = "電子申請") -> dict[str, Any]:
    """A council service (aichi-pref, 一宮市 from October, 豊橋市), and a usage contract of
    豊橋市 with vendor A starting in December (月割: 4 months) with an initial fee."""
    secretariat = Viewer(user=portal.users["aichi_secretariat"], body=None)
    council = portal.groups["council"]
    service = joint_service_create(viewer=secretariat, group_id=council.pk, name=service_name)
    year = joint_service_year_save(
        viewer=secretariat,
        service_id=service.pk,
        fiscal_year=FY,
        values={
            "total_cost_yen": 12_000_000,
            "equal_part": Decimal("0.2"),
            "doubling_factor": Decimal("1.5"),
        },
        participants=[
            ParticipantInput("230006"),
            ParticipantInput("232033", joined_month=fy_month(10)),
            ParticipantInput("232017"),
        ],
    )
    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing = listing_create(
        viewer=vendor,
        data={"name": "AI-OCR", "summary": "帳票読取", "category": "ai_ocr", "pattern": "B"},
    )
    draft = fee_schedule_save_draft(
        viewer=vendor,
        listing_id=listing.pk,
        spec=ScheduleInput(
            FY,
            "bands",
            [Band(0, 100_000, 300_000), Band(100_000, None, 1_200_000)],
            initial_fee_yen=50_000,
        ),
    )
    fee_schedule_publish(viewer=vendor, schedule_id=draft.pk)
    listing_publish(viewer=vendor, listing_id=listing.pk)
    contract = contract_record_existing(
        viewer=system_viewer(),
        listing_id=listing.pk,
        body_code=portal.bodies["toyohashi"].code,
        plan="標準",
        start_month=fy_month(12),
        fiscal_years=[FY],
        note="test",
    )
    return {
        "service": service,
        "year": year,
        "listing": listing,
        "contract": contract,
        "secretariat": secretariat,
        "vendor": vendor,
    }


@pytest.fixture
def billing(portal):  # type: ignore[no-untyped-def]
    return make_billing_data(portal)
