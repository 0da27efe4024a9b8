"""Reading the cache ahead (apps/core/redis_cache.py): within a request, keys read ahead are
answered from one round trip, a key Redis did not have included; a write drops the key, so the
request reads its own writes; outside a request nothing is read ahead. A quote at a body, with
everything cached, takes two round trips to Redis: the host and the session, then the user
with the quote's listing, schedule, population and groups; a search page two as well."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.core.cache import read_ahead
from apps.core.redis_cache import request_scope
from tests.clock import FY


def test_keys_read_ahead_cost_one_round_trip_and_a_missing_key_is_known_missing(commands) -> None:
    cache.set("ahead:a", 1)
    commands.clear()
    with request_scope():
        read_ahead(["ahead:a", "ahead:b"])
        assert cache.get("ahead:a") == 1
        assert cache.get("ahead:b", "none") == "none"
        assert cache.get_many(["ahead:a", "ahead:b"]) == {"ahead:a": 1}
    assert commands == ["MGET"]


def test_a_write_in_the_request_is_read_back(commands) -> None:
    cache.set("ahead:a", 1)
    with request_scope():
        read_ahead(["ahead:a", "ahead:b", "ahead:c"])
        cache.set("ahead:a", 2)
        cache.add("ahead:b", 3)
        cache.delete("ahead:c")
        cache.set("ahead:c", 4)
        cache.incr("ahead:c")
        assert (cache.get("ahead:a"), cache.get("ahead:b"), cache.get("ahead:c")) == (2, 3, 5)
        cache.clear()
        assert cache.get("ahead:a") is None


def test_outside_a_request_nothing_is_read_ahead(commands) -> None:
    cache.set("ahead:a", 1)
    commands.clear()
    read_ahead(["ahead:a"])
    assert commands == []
    with request_scope():
        read_ahead(["ahead:a"])
    cache.set("ahead:a", 2)  # the scope is over: what it read is gone
    assert cache.get("ahead:a") == 2


@pytest.mark.django_db
def test_a_cached_quote_takes_two_round_trips(portal, site_client, commands) -> None:
    from apps.accounts.viewer import Viewer
    from tests.catalog.test_search import _listing

    vendor = Viewer(user=portal.users["vendor_a"], body=None)
    listing_id = _listing(vendor, name="見積もりテスト", category="e_application", pattern="B")
    client = site_client("ichinomiya", "ichinomiya_staff")
    path = f"/api/v1/listings/{listing_id}/quote/?fiscal_year={FY}"
    first = client.get(path)
    assert first.status_code == 200
    commands.clear()
    again = client.get(path)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert commands == ["MGET", "MGET"]  # the host and the session; the user and the quote


@pytest.mark.django_db
def test_a_cached_search_page_takes_two_round_trips(site_client, commands) -> None:
    client = site_client("ichinomiya", "ichinomiya_staff")
    first = client.get("/catalog/?q=AI")
    assert first.status_code == 200
    commands.clear()
    again = client.get("/catalog/?q=AI")
    assert again.status_code == 200
    assert commands == ["MGET", "MGET"]  # the host and the session; the user and the results
