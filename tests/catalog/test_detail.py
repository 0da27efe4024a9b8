"""A listing's page says which fee schedule applies when a second version is published for the
same fiscal year."""

from __future__ import annotations

import pytest

from apps.accounts.viewer import Viewer
from apps.catalog.domain.fees import Band
from apps.catalog.services import ScheduleInput, fee_schedule_publish, fee_schedule_save_draft
from tests.catalog.test_search import _listing
from tests.clock import FY

pytestmark = pytest.mark.django_db


def test_the_version_that_applies_is_marked(portal, site_client) -> None:
    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing_id = _listing(vendor, name="窓口支援", category="madoguchi_dx", pattern="B")
    second = fee_schedule_save_draft(
        viewer=vendor,
        listing_id=listing_id,
        spec=ScheduleInput(FY, "bands", [Band(0, None, 90_000)], initial_fee_yen=0),
    )
    fee_schedule_publish(viewer=vendor, schedule_id=second.pk)
    page = site_client("ichinomiya", "ichinomiya_staff").get(f"/catalog/{listing_id}/")
    html = page.content.decode()
    applies = html.index('data-testid="schedule-applies"')
    superseded = html.index('data-testid="schedule-superseded"')
    assert html.count('data-testid="schedule-applies"') == 1
    assert html.index("第2版") < applies < html.index("第1版") < superseded
    assert page.context["quote"].schedule.version == 2  # and the quote uses it


def test_the_start_month_is_filled_in_as_a_month(portal, site_client) -> None:
    """利用開始月 comes pre-filled with this month, in the form the field reads (2026-11)."""
    from tests.clock import TODAY

    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing_id = _listing(vendor, name="窓口支援", category="madoguchi_dx", pattern="B")
    html = site_client("ichinomiya", "ichinomiya_staff").get(f"/catalog/{listing_id}/")
    text = html.content.decode()
    start = text.index('id="id_start_month"')
    tag = text[text.rindex("<input", 0, start) : text.index(">", start)]
    assert f'value="{TODAY:%Y-%m}"' in tag
