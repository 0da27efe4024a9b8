"""A body's groups, which every quote's joint-use count reads, come from Redis (apps/groups/
cache.py) and are never stale: a membership added or ended counts on the next quote."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.viewer import system_viewer
from apps.contracts.selectors import _groups_of
from apps.groups.models import Membership
from apps.groups.services import membership_add, membership_end
from apps.tenants.models import Body

pytestmark = pytest.mark.django_db


def _read(body_ids: set[int]) -> tuple[dict[int, frozenset[int]], int]:
    with CaptureQueriesContext(connection) as queries:
        groups = _groups_of(body_ids)
    return groups, sum("groups_membership" in q["sql"] for q in queries.captured_queries)


def test_one_body_s_groups_are_read_once_and_a_change_counts_at_once(portal) -> None:
    sapporo, hokkaido = portal.bodies["sapporo"], portal.groups["hokkaido"]
    council = portal.groups["council"]
    assert _read({sapporo.pk}) == ({sapporo.pk: frozenset({hokkaido.pk})}, 1)
    assert _read({sapporo.pk}) == ({sapporo.pk: frozenset({hokkaido.pk})}, 0)
    joined = membership_add(
        viewer=system_viewer(),
        group_id=council.pk,
        body_code=sapporo.code,
        joined_on=timezone.localdate(),
    )
    assert _read({sapporo.pk}) == ({sapporo.pk: frozenset({hokkaido.pk, council.pk})}, 1)
    membership_end(viewer=system_viewer(), membership_id=joined.pk, left_on=timezone.localdate())
    assert _read({sapporo.pk}) == ({sapporo.pk: frozenset({hokkaido.pk})}, 1)


def test_a_body_in_no_group_is_cached_as_none_until_it_joins(portal) -> None:
    nagoya = Body.objects.get(code="231002")
    assert _read({nagoya.pk}) == ({}, 1)
    assert _read({nagoya.pk}) == ({}, 0)
    membership_add(
        viewer=system_viewer(),
        group_id=portal.groups["council"].pk,
        body_code=nagoya.code,
        joined_on=timezone.localdate(),
    )
    assert _read({nagoya.pk}) == ({nagoya.pk: frozenset({portal.groups["council"].pk})}, 1)
    Membership.objects.filter(body=nagoya).delete()
    assert _read({nagoya.pk}) == ({}, 1)


def test_many_bodies_are_read_in_one_query_every_time(portal) -> None:
    ids = {portal.bodies["ichinomiya"].pk, portal.bodies["sapporo"].pk}
    expected = {
        portal.bodies["ichinomiya"].pk: frozenset({portal.groups["council"].pk}),
        portal.bodies["sapporo"].pk: frozenset({portal.groups["hokkaido"].pk}),
    }
    assert _read(ids) == (expected, 1)
    assert _read(ids) == (expected, 1)  # the run's invoices: never from the cache
