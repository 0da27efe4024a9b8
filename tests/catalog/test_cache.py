"""The catalogue's cache (apps/catalog/cache.py) never shows anything stale: after a vendor
changes a listing, publishes a new fee schedule version, withdraws a listing or renames itself,
the very next request shows the change, on the public site and at a body's address."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from apps.accounts.viewer import Viewer
from apps.catalog import cache as catalog_cache
from apps.catalog.domain.fees import Band
from apps.catalog.filters import ListingFilter
from apps.catalog.services import (
    ScheduleInput,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_update,
    listing_withdraw,
)
from apps.vendors.models import Vendor
from tests.catalog.test_search import _listing
from tests.clock import FY

pytestmark = pytest.mark.django_db


def _cards(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/catalog/?q={query}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_change_shows_on_the_next_request(portal, site_client) -> None:  # type: ignore[no-untyped-def]
    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing_id = _listing(vendor, name="キャッシュ確認サービス", category="ai_ocr", pattern="B")
    public = site_client(None)
    staff = site_client("ichinomiya", "ichinomiya_staff")

    first = _cards(public, "キャッシュ確認")
    assert "キャッシュ確認サービス" in first
    assert "1件のサービス" in first
    version = catalog_cache.CATALOGUE.current()
    assert _cards(public, "キャッシュ確認") == first  # served from the cache: same bytes
    assert catalog_cache.CATALOGUE.current() == version
    assert any(k.startswith(":1:catalog:search") for k in _keys())

    # a listing renamed through the service: the next request shows the new name
    listing_update(viewer=vendor, listing_id=listing_id, data={"name": "キャッシュ確認サービス改"})
    assert catalog_cache.CATALOGUE.current() > version
    assert "キャッシュ確認サービス改" in _cards(public, "キャッシュ確認")
    assert "キャッシュ確認サービス改" in _cards(staff, "キャッシュ確認")

    # the vendor's name on the card
    v = Vendor.objects.get(pk=portal.vendors["a"].pk)
    v.name = "改名後ソフト株式会社"
    v.save()
    assert "改名後ソフト株式会社" in _cards(public, "キャッシュ確認")

    # a new fee schedule version is published with a queryset update: the quote follows it
    def annual() -> int:
        response = staff.get(f"/api/v1/listings/{listing_id}/quote/?fiscal_year={FY}")
        assert response.status_code == 200
        return json.loads(response.content)["annual_fee_yen"]

    assert annual() == 100_000
    assert annual() == 100_000  # from the cache
    draft = fee_schedule_save_draft(
        viewer=vendor,
        listing_id=listing_id,
        spec=ScheduleInput(FY, "bands", [Band(0, None, 130_000)], initial_fee_yen=0),
    )
    assert annual() == 100_000  # a draft changes nothing for bodies
    fee_schedule_publish(viewer=vendor, schedule_id=draft.pk)
    assert annual() == 130_000

    # withdrawn: gone from the results and from the facet counts
    listing_withdraw(viewer=vendor, listing_id=listing_id)
    page = _cards(public, "キャッシュ確認")
    assert "キャッシュ確認サービス改" not in page
    assert "0件のサービス" in page
    # and no longer quoted (the listing itself was cached for the quotes above)
    quote = staff.get(f"/api/v1/listings/{listing_id}/quote/?fiscal_year={FY}")
    assert quote.status_code == 404


def test_a_bad_search_is_never_kept_and_a_kept_one_needs_no_form(
    portal, site_client, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A kept result stands for a query that passed the filters (they depend on the query
    alone), so a hit builds no filter form; a refused query is refused every time."""
    from apps.catalog import views

    public = site_client(None)
    staff = site_client("ichinomiya", "ichinomiya_staff")
    for client in (public, staff, public, staff):
        response = client.get("/catalog/", {"category": "no-such-category"})
        assert response.status_code == 400
        assert "no-such-category" in response.content.decode()  # named in the error
    assert not [k for k in _keys() if k.startswith(":1:catalog:search")]

    built = []
    monkeypatch.setattr(
        views, "ListingFilter", lambda data: built.append(data) or ListingFilter(data)
    )
    _cards(staff, "窓口")
    _cards(staff, "窓口")
    assert len(built) == 1  # the second request was served from what was kept
    _cards(public, "窓口")
    assert len(built) == 1  # the results are the same for every viewer


def test_the_version_survives_a_lost_key() -> None:
    """An evicted version key restarts at a number no earlier version had (the clock in ns)."""
    before = catalog_cache.CATALOGUE.current()
    cache.delete(catalog_cache.CATALOGUE.key)
    assert catalog_cache.CATALOGUE.current() > before


def _keys() -> list[str]:
    client = cache._cache.get_client()  # type: ignore[attr-defined]
    return [k.decode().removeprefix("portal") for k in client.keys("portal:*")]


def test_no_schedule_is_cached_too(portal) -> None:  # type: ignore[no-untyped-def]
    """A listing without a published schedule for the year is looked up once per version,
    not on every quote."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.catalog.models import Listing
    from apps.catalog.selectors import fee_schedule_current

    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing = Listing.objects.get(
        pk=_listing(vendor, name="来年度未定サービス", category="ai_ocr", pattern="B")
    )
    assert fee_schedule_current(listing=listing, fiscal_year=FY + 1) is None
    with CaptureQueriesContext(connection) as queries:
        assert fee_schedule_current(listing=listing, fiscal_year=FY + 1) is None
    assert len(queries) == 0


def test_published_versions_are_read_once_drafts_every_time(portal) -> None:
    """schedules_with_domains keeps published versions in the process (they never change) and
    reads a draft afresh each time (it may be saved again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.catalog.models import FeeSchedule
    from apps.catalog.selectors import schedules_with_domains

    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing_id = _listing(vendor, name="版の確認サービス", category="ai_ocr", pattern="B")
    published = FeeSchedule.objects.get(listing_id=listing_id, status="published")

    def draft(fee: int) -> int:
        spec = ScheduleInput(FY, "bands", [Band(0, None, fee)], initial_fee_yen=0)
        return fee_schedule_save_draft(viewer=vendor, listing_id=listing_id, spec=spec).pk

    draft_id = draft(130_000)
    got = schedules_with_domains(schedule_ids=[published.pk, draft_id])
    assert got[published.pk][1].bands == (Band(0, None, 100_000),)
    assert got[draft_id][1].bands == (Band(0, None, 130_000),)

    with CaptureQueriesContext(connection) as queries:
        again = schedules_with_domains(schedule_ids=[published.pk])
    assert len(queries) == 0
    assert again[published.pk][1].bands == (Band(0, None, 100_000),)

    assert draft(150_000) == draft_id  # the same draft, saved again
    assert schedules_with_domains(schedule_ids=[draft_id])[draft_id][1].bands == (
        Band(0, None, 150_000),
    )
