"""Free-text search finds what people type: the listing's words and the names of its facets
(LGWAN, ISMAP, 共通化B, the category), every word required, listings named by more of the words
first; and the search box's own example finds something."""

from __future__ import annotations

import re

import pytest

from apps.accounts.viewer import Viewer
from apps.catalog.domain.fees import Band
from apps.catalog.selectors import listing_search
from apps.catalog.services import (
    ScheduleInput,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
    listing_update,
)
from tests.clock import FY

pytestmark = pytest.mark.django_db


def _listing(vendor: Viewer, **data: object) -> int:
    listing = listing_create(viewer=vendor, data={"summary": "共同利用", **data})
    draft = fee_schedule_save_draft(
        viewer=vendor,
        listing_id=listing.pk,
        spec=ScheduleInput(FY, "bands", [Band(0, None, 100_000)], initial_fee_yen=0),
    )
    fee_schedule_publish(viewer=vendor, schedule_id=draft.pk)
    listing_publish(viewer=vendor, listing_id=listing.pk)
    return listing.pk


@pytest.fixture
def listings(portal):  # type: ignore[no-untyped-def]
    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    return {
        "apply": _listing(
            vendor, name="かんたん電子申請", category="e_application", pattern="B", lgwan=True
        ),
        "booking": _listing(
            vendor,
            name="施設予約クラウド",
            category="facility_booking",
            pattern="B",
            lgwan=True,
            ismap=True,
            description="電子申請とも連携",
        ),
        "ocr": _listing(vendor, name="帳票AI-OCR", category="ai_ocr", pattern="A"),
        "vendor": vendor,
    }


def _names(q: str) -> list[str]:
    return [listing.name for listing in listing_search(q=q)]


def test_facet_names_in_the_query_find_the_listings_that_carry_them(listings) -> None:
    assert _names("ISMAP") == ["施設予約クラウド"]
    assert sorted(_names("lgwan")) == ["かんたん電子申請", "施設予約クラウド"]
    assert _names("電子申請 LGWAN") == ["かんたん電子申請", "施設予約クラウド"]  # the name first
    assert sorted(_names("共通化B")) == ["かんたん電子申請", "施設予約クラウド"]
    assert _names("共通化A OCR") == ["帳票AI-OCR"]
    assert _names("ＩＳＭＡＰ　施設予約") == ["施設予約クラウド"]  # full-width, as an IME types
    assert _names("ISMAP OCR") == []  # every word is required


def test_a_change_of_marks_is_searchable_at_once(listings) -> None:
    listing_update(viewer=listings["vendor"], listing_id=listings["ocr"], data={"ismap": True})
    assert sorted(_names("ISMAP")) == ["帳票AI-OCR", "施設予約クラウド"]


def test_the_search_box_example_finds_listings(listings, site_client) -> None:
    page = site_client("ichinomiya", "ichinomiya_staff").get("/catalog/").content.decode()
    example = re.search(r'placeholder="例: ([^"]+)"', page)
    assert example is not None
    found = site_client("ichinomiya", "ichinomiya_staff").get("/catalog/", {"q": example[1]})
    assert found.status_code == 200
    assert "かんたん電子申請" in found.content.decode()
