"""Reads for the catalogue, scoped to the viewer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from apps.accounts.viewer import Viewer
from apps.catalog.cache import cached, keys
from apps.catalog.domain.fees import SCHEDULE_TERMS, Band, Schedule
from apps.catalog.domain.text import normalise
from apps.catalog.models import FeeBand, FeeSchedule, Listing, ListingStatus, ScheduleStatus
from apps.core.errors import NotFound

COMPLIANCE_FLAGS = ("gov_cloud", "lgwan", "ismap", "standard_conformant")
MAX_COMPARE = 4


def listing_search(
    *,
    q: str = "",
    categories: list[str] | None = None,
    patterns: list[str] | None = None,
    flags: list[str] | None = None,
) -> QuerySet[Listing]:
    """Published listings matching every free-text term and every chosen facet."""
    qs = Listing.objects.filter(status=ListingStatus.PUBLISHED).select_related("vendor")
    terms = normalise(q).split()
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    if categories:
        qs = qs.filter(category__in=categories)
    if patterns:
        qs = qs.filter(pattern__in=patterns)
    for flag in flags or []:
        if flag in COMPLIANCE_FLAGS:
            qs = qs.filter(**{flag: True})
    if terms:  # ranked: a listing whose name carries more of the words comes first
        in_name = [Case(When(name__icontains=t, then=Value(1)), default=Value(0)) for t in terms]
        relevance = sum(in_name[1:], in_name[0])
        return qs.annotate(relevance=relevance).order_by("-relevance", "name", "pk")
    return qs.order_by("name", "pk")


def no_listings() -> QuerySet[Listing]:
    """An empty queryset of listings, ordered (for a paginator), built without a search."""
    return Listing.objects.order_by("pk").none()


def facet_counts(qs: QuerySet[Listing], field: str) -> dict[str, int]:
    return dict(qs.order_by().values_list(field).annotate(n=Count("pk")))


def listing_get(*, viewer: Viewer, listing_id: int) -> Listing:
    """A published listing for anyone; a vendor also sees its own drafts and withdrawn ones."""
    visible = Q(status=ListingStatus.PUBLISHED)
    listings = Listing.objects.select_related("vendor")
    if viewer.is_vendor:
        visible |= Q(vendor__staff__user_id=viewer.user.pk)
        listing = listings.filter(visible, pk=listing_id).first()
    else:  # the same for every viewer: read once per catalogue version
        listing = cached(
            "listing", str(listing_id), lambda: listings.filter(visible, pk=listing_id).first()
        )
    if listing is None:
        raise NotFound("このサービスは見つからないか、公開されていません。", "listing_not_found")
    return listing


def listing_cache_keys(listing_id: int) -> list[str]:
    """What listing_get reads from the cache for anyone but a vendor."""
    return keys("listing", str(listing_id))


def own_listing_list(*, viewer: Viewer) -> QuerySet[Listing]:
    if not viewer.is_vendor:
        return Listing.objects.none()
    return (
        Listing.objects.filter(vendor__staff__user_id=viewer.user.pk)
        .select_related("vendor")
        .order_by("status", "name")
    )


def own_listing_get(*, viewer: Viewer, listing_id: int, for_update: bool = False) -> Listing:
    if not viewer.is_vendor:
        raise NotFound("この掲載は見つからないか、編集の権限がありません。", "listing_not_found")
    qs = Listing.objects.filter(pk=listing_id, vendor__staff__user_id=viewer.user.pk)
    if for_update:
        qs = Listing.objects.select_for_update().filter(pk__in=qs.values("pk"))
    listing = qs.select_related("vendor").first()
    if listing is None:
        raise NotFound("この掲載は見つからないか、編集の権限がありません。", "listing_not_found")
    return listing


def fee_schedules_of(
    *, viewer: Viewer, listing_id: int, published_only: bool = False
) -> QuerySet[FeeSchedule]:
    """A listing's fee schedules: every version, drafts included, for its vendor; the
    published ones for everyone else who may see the listing (and on the buyers' page)."""
    listing = listing_get(viewer=viewer, listing_id=listing_id)
    qs = FeeSchedule.objects.filter(listing=listing)
    owner = viewer.is_vendor and listing.vendor.staff.filter(user_id=viewer.user.pk).exists()
    if published_only or not owner:
        qs = qs.filter(status=ScheduleStatus.PUBLISHED)
    return qs.prefetch_related(
        Prefetch("bands", queryset=FeeBand.objects.order_by("lower"))
    ).order_by("-fiscal_year", "-version")


def fee_schedule_current(*, listing: Listing, fiscal_year: int) -> FeeSchedule | None:
    """The latest published version for the fiscal year, with its bands (cached per catalogue
    version, apps/catalog/cache.py)."""
    return cached(
        "schedule",
        f"{listing.pk}:{fiscal_year}",
        lambda: (
            FeeSchedule.objects.filter(
                listing_id=listing.pk, fiscal_year=fiscal_year, status=ScheduleStatus.PUBLISHED
            )
            .prefetch_related(Prefetch("bands", queryset=FeeBand.objects.order_by("lower")))
            .order_by("-version")
            .first()
        ),
    )


def fee_schedule_cache_keys(listing_id: int, fiscal_year: int) -> list[str]:
    """What fee_schedule_current reads from the cache."""
    return keys("schedule", f"{listing_id}:{fiscal_year}")


def schedule_domain(schedule: FeeSchedule, bands: Iterable[Band] | None = None) -> Schedule:
    """The pure domain object of a schedule version (its bands read from it unless given)."""
    if bands is None:
        bands = [Band(b.lower, b.upper, b.annual_fee_yen) for b in schedule.bands.all()]
    return Schedule(
        bands=tuple(bands), **{name: getattr(schedule, name) for name in SCHEDULE_TERMS}
    )


# Published schedule versions read by this process: a published version never changes (the
# publish is a conditional UPDATE from draft, the admin is read-only; a change is version N+1),
# so the run's units, one after another in a worker process, read each version once.
_PUBLISHED: dict[int, tuple[Any, Schedule]] = {}
_PUBLISHED_MAX = 20_000


def schedules_with_domains(*, schedule_ids: Iterable[int]) -> dict[int, tuple[Any, Schedule]]:
    """Many schedule versions, each as a plain row (pk, version, status and the terms) with its
    domain object, in two queries for those this process has not read yet: the run prices
    thousands of contracts on a few hundred versions, and prefetching their bands built a
    queryset per version."""
    wanted = set(schedule_ids)
    found = {pk: _PUBLISHED[pk] for pk in wanted & _PUBLISHED.keys()}
    missing = wanted - found.keys()
    if not missing:
        return found
    schedules = {
        s.pk: s
        for s in FeeSchedule.objects.filter(pk__in=list(missing)).values_list(
            "pk", "version", "status", *SCHEDULE_TERMS, named=True
        )
    }
    bands: dict[int, list[Band]] = defaultdict(list)
    rows = (
        FeeBand.objects.filter(schedule_id__in=list(schedules))
        .order_by("schedule_id", "lower")
        .values_list("schedule_id", "lower", "upper", "annual_fee_yen")
    )
    for schedule_id, lower, upper, fee in rows:
        bands[schedule_id].append(Band(lower, upper, fee))
    if len(_PUBLISHED) > _PUBLISHED_MAX:
        _PUBLISHED.clear()
    for pk, row in schedules.items():
        found[pk] = (row, schedule_domain(row, bands[pk]))
        if row.status == ScheduleStatus.PUBLISHED:
            _PUBLISHED[pk] = found[pk]
    return found
