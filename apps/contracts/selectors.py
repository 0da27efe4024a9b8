"""Reads for applications and contracts, scoped to the viewer: a body sees its own, a vendor
its own, a secretariat its members' use of listings; nobody else anything."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from apps.accounts.viewer import Viewer
from apps.approvals.models import ApplicationReview
from apps.catalog.domain.fees import Quote, quote
from apps.catalog.models import FeeSchedule, Listing
from apps.catalog.selectors import (
    fee_schedule_cache_keys,
    fee_schedule_current,
    listing_cache_keys,
    own_listing_list,
    schedule_domain,
)
from apps.contracts.models import (
    LIVE_CONTRACT_STATUSES,
    Application,
    ApplicationStatus,
    Contract,
    ContractTerm,
)
from apps.core.errors import NotFound
from apps.groups.cache import body_groups, body_groups_keys
from apps.groups.models import Group, Membership
from apps.tenants.models import Body, PopulationFigure
from apps.tenants.selectors import body_population, body_population_cache_keys
from apps.vendors.models import VendorStaff


def application_list(*, viewer: Viewer, status: str | None = None) -> QuerySet[Application]:
    """A body sees all its applications; a vendor only those the body has approved and sent on
    (an application still in, or refused by, the body's internal approval is the body's own)."""
    qs = Application.objects.select_related("body", "listing", "vendor")
    if viewer.is_body_user:
        qs = qs.filter(body=viewer.body)
    elif viewer.is_vendor:
        qs = qs.filter(
            vendor__staff__user_id=viewer.user.pk, body_decided_at__isnull=False
        ).exclude(status=ApplicationStatus.REJECTED_BY_BODY)
    else:
        return qs.none()
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def application_get(
    *, viewer: Viewer, application_id: int, for_update: bool = False
) -> Application:
    qs = application_list(viewer=viewer).filter(pk=application_id)
    if for_update:
        qs = Application.objects.select_for_update().filter(pk__in=qs.values("pk"))
    application = qs.select_related("body", "listing", "vendor").first()
    if application is None:
        raise NotFound(
            "この申込は見つからないか、閲覧の権限がありません。", "application_not_found"
        )
    return application


def contract_ids(*, viewer: Viewer) -> QuerySet[Any, Any]:
    """The viewer's contracts, newest first, as ids: the list counts and pages these, from
    the contracts table alone, and shows one page's rows through contract_rows."""
    return (
        _visible(Contract.objects.all(), viewer)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    )


def contract_rows(*, ids: Iterable[int] | QuerySet[Any, Any]) -> list[Any]:
    """The rows of one page of the contract list (ids: a page of contract_ids) as plain
    values, only what a row shows (the listing's long texts stay in the database), with the
    terms' fiscal years aggregated in the same query. Joining the names to every contract
    before the page was cut, and building four models and a prefetch per row, were most of
    the page's time."""
    years = (
        ContractTerm.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(years=ArrayAgg("fiscal_year", order_by="fiscal_year"))
        .values("years")
    )
    return list(
        Contract.objects.filter(pk__in=ids)
        .values("pk", "start_month", "status", "body__name", "listing__name", "vendor__name")
        .annotate(term_years=Subquery(years))
        .order_by("-created_at", "-pk")
    )


def contracts_version(*, viewer: Viewer) -> str:
    """A value that changes whenever anything the viewer's contract list shows changes: any
    of the viewer's contracts or their terms added, changed or removed, or a service or vendor
    of theirs renamed, however it was written (ListVersion, kept by triggers). It names the
    list's scope too, so two lists never share a value. One row read by its key. A body's name
    is under the bodies' version, which the kept list is read with."""
    if viewer.is_body_user:
        sql = "SELECT %s, (SELECT version FROM contracts_listversion WHERE scope = %s)"
        scope = f"body:{viewer.body.pk}"  # type: ignore[union-attr]
        params: list[Any] = [scope, scope]
    elif viewer.is_vendor:  # one vendor per user (VendorStaff.user is one-to-one)
        sql = (
            "SELECT 'vendor:' || s.vendor_id, v.version FROM vendors_vendorstaff s"
            " LEFT JOIN contracts_listversion v ON v.scope = 'vendor:' || s.vendor_id"
            " WHERE s.user_id = %s"
        )
        params = [viewer.user.pk]
    else:
        return "none"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    # No row: no vendor for the user, or nothing written to the scope yet (an empty list).
    return "none" if row is None else f"{row[0]}:{row[1] or 0}"


def _visible(qs: QuerySet[Contract], viewer: Viewer) -> QuerySet[Contract]:
    """A body's own contracts, a vendor's own; nobody else's."""
    if viewer.is_body_user:
        return qs.filter(body=viewer.body)
    if viewer.is_vendor:  # one vendor per user (VendorStaff.user is one-to-one)
        vendor = VendorStaff.objects.filter(user_id=viewer.user.pk).values("vendor_id")
        return qs.filter(vendor_id=Subquery(vendor))
    return qs.none()


def contract_list(*, viewer: Viewer, status: str | None = None) -> QuerySet[Contract]:
    terms = ContractTerm.objects.select_related("fee_schedule").order_by("fiscal_year")
    qs = Contract.objects.select_related("body", "listing", "vendor").prefetch_related(
        Prefetch("terms", queryset=terms)
    )
    qs = _visible(qs, viewer)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def contract_get(*, viewer: Viewer, contract_id: int) -> Contract:
    contract = contract_list(viewer=viewer).filter(pk=contract_id).first()
    if contract is None:
        raise NotFound("この契約は見つからないか、閲覧の権限がありません。", "contract_not_found")
    return contract


def _usage_group(viewer: Viewer, group_id: int) -> Group:
    """The group whose usage the viewer may see: its secretariat's (or the operator's)."""
    from apps.groups.selectors import group_get

    viewer.require_secretariat_or_operator()
    return group_get(viewer=viewer, group_id=group_id)


def group_listing_usage(*, viewer: Viewer, group_id: int) -> QuerySet:
    """For a group's secretariat: each listing its current members use, with how many of them
    (the brief's "33 bodies use the AI chatbot")."""
    group = _usage_group(viewer, group_id)
    members = Membership.objects.filter(group=group, left_on__isnull=True).values("body")
    return (
        Contract.objects.filter(body__in=members, status__in=LIVE_CONTRACT_STATUSES)
        .values("listing_id", "listing__name", "listing__category", "vendor__name")
        .annotate(bodies=Count("body", distinct=True))
        .order_by("-bodies", "listing__name")
    )


def group_listing_users(*, viewer: Viewer, group_id: int, listing_id: int) -> QuerySet:
    group = _usage_group(viewer, group_id)
    members = Membership.objects.filter(group=group, left_on__isnull=True).values("body")
    return (
        Contract.objects.filter(
            body__in=members, listing_id=listing_id, status__in=LIVE_CONTRACT_STATUSES
        )
        .select_related("body")
        .order_by("body__code")
    )


def application_reviews(*, viewer: Viewer, application_id: int) -> QuerySet[ApplicationReview]:
    """The body's internal approval and comments (its own schema): its staff read them; a
    vendor never does (an empty list)."""
    application = application_get(viewer=viewer, application_id=application_id)
    if not viewer.is_body_user:
        return ApplicationReview.objects.none()
    return (
        ApplicationReview.objects.filter(application=application)
        .select_related("author")
        .order_by("created_at", "pk")
    )


# --- the joint-use discount and a body's quote ------------------------------------------------


def joint_use_counts(*, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(body id, listing id) -> the joint-use discount's count: the most members of any one
    group of the body (current members) that use the listing under a live contract, the body
    itself always counted. For a quote and for an invoice alike, for many pairs in three
    queries."""
    pairs = list(pairs)
    body_ids = {b for b, _ in pairs}
    listing_ids = {lst for _, lst in pairs}
    groups_of = _groups_of(body_ids)
    if not groups_of:  # bodies in no group count only themselves
        return dict.fromkeys(pairs, 1)
    all_groups = set().union(*groups_of.values())
    users: dict[tuple[int, int], int] = {}
    for row in (
        Membership.objects.filter(
            group_id__any=all_groups,
            left_on__isnull=True,
            body__contracts__listing_id__any=listing_ids,
            body__contracts__status__in=LIVE_CONTRACT_STATUSES,
        )
        .order_by()
        .values("group_id", "body__contracts__listing_id")
        .annotate(n=Count("body", distinct=True))
    ):
        users[(row["group_id"], row["body__contracts__listing_id"])] = row["n"]
    live = set(
        Contract.objects.filter(
            body_id__any=body_ids,
            listing_id__any=listing_ids,
            status__in=LIVE_CONTRACT_STATUSES,
        )
        .order_by()
        .values_list("body_id", "listing_id")
    )
    result: dict[tuple[int, int], int] = {}
    for body_id, listing_id in pairs:
        itself = 1 if (body_id, listing_id) in live else 0
        others = [users.get((g, listing_id), 0) - itself for g in groups_of.get(body_id, ())]
        result[(body_id, listing_id)] = max([0, *others]) + 1
    return result


def _groups_of(body_ids: set[int]) -> dict[int, frozenset[int]]:
    """Each body's current groups (bodies in none left out). One body (a quote): through the
    cache (apps/groups/cache.py); many (the run's invoices): one query."""

    def read(ids: set[int]) -> dict[int, frozenset[int]]:
        found: dict[int, set[int]] = defaultdict(set)
        for body_id, group_id in (
            Membership.objects.filter(body_id__any=ids, left_on__isnull=True)
            .order_by()  # unordered: the model's ordering would join the group and the body
            .values_list("body_id", "group_id")
        ):
            found[body_id].add(group_id)
        return {b: frozenset(g) for b, g in found.items()}

    if len(body_ids) != 1:
        return read(body_ids)
    (body_id,) = body_ids
    groups = body_groups(body_id, lambda: read(body_ids).get(body_id, frozenset()))
    return {body_id: groups} if groups else {}


@dataclass(frozen=True)
class BodyQuote:
    schedule: FeeSchedule
    figure: PopulationFigure
    quote: Quote
    bodies_using: int


def quote_cache_keys(*, body_id: int, listing_id: int, fiscal_year: int) -> list[str]:
    """Every cache key a quote reads (the listing, its schedule, the body's population and
    groups), to read them ahead in one round trip (apps/core/redis_cache.py)."""
    return [
        *listing_cache_keys(listing_id),
        *fee_schedule_cache_keys(listing_id, fiscal_year),
        *body_population_cache_keys(body_id, settings.DEFAULT_POPULATION_SOURCE),
        *body_groups_keys(body_id),
    ]


def quote_for_body(*, body: Body, listing: Listing, fiscal_year: int) -> BodyQuote | None:
    """What the body would pay for the listing in a fiscal year: the schedule version that
    applies, the body's population (settings.DEFAULT_POPULATION_SOURCE) and the joint-use
    discount as its groups use the listing today."""
    schedule = fee_schedule_current(listing=listing, fiscal_year=fiscal_year)
    figure = body_population(body=body, source=settings.DEFAULT_POPULATION_SOURCE)
    if schedule is None or figure is None:
        return None
    users = joint_use_counts(pairs=[(body.pk, listing.pk)])[(body.pk, listing.pk)]
    return BodyQuote(
        schedule, figure, quote(schedule_domain(schedule), figure.population, users), users
    )


def own_listings_in_use(*, viewer: Viewer) -> QuerySet[Listing]:
    """The vendor's listings, each with how many bodies have a live contract for it."""
    return own_listing_list(viewer=viewer).annotate(
        live_contracts=Count("contracts", filter=Q(contracts__status__in=LIVE_CONTRACT_STATUSES))
    )
