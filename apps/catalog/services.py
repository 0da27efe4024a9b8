"""Writes for the catalogue: listings and their fee schedules, by the vendor's staff only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.viewer import Viewer, refusal
from apps.catalog import cache as catalog_cache
from apps.catalog.domain.fees import SCHEDULE_TERMS, Band, Schedule, validate_schedule
from apps.catalog.domain.text import listing_search_text
from apps.catalog.models import (
    Category,
    FeeBand,
    FeeKind,
    FeeSchedule,
    Listing,
    ListingStatus,
    Pattern,
    ScheduleStatus,
)
from apps.catalog.selectors import COMPLIANCE_FLAGS, own_listing_get
from apps.core.domain.fiscal import fiscal_year_label, known_fiscal_years
from apps.core.errors import ApplicationError
from apps.core.services import audit_record
from apps.vendors.selectors import vendor_of

EDITABLE_FIELDS = (
    "name", "summary", "description", "category", "pattern", "gov_cloud", "lgwan", "ismap",
    "standard_conformant", "sla", "data_location", "documents", "plans",
    "cancellation_notice_months",
)  # fmt: skip
REQUIRED = {
    "name": "サービス名",
    "summary": "概要",
    "category": "分類",
    "pattern": "共通化パターン",
}


def _search_text(listing: Listing) -> str:
    return listing_search_text(
        name=listing.name,
        summary=listing.summary,
        description=listing.description,
        vendor=listing.vendor.name,
        labels=search_labels(listing),
    )


def search_labels(listing: Listing) -> list[str]:
    """The facet names a listing answers to: category, pattern, each compliance mark it has."""
    fields = {f.name: f for f in listing._meta.concrete_fields}
    marks = [str(fields[f].verbose_name) for f in COMPLIANCE_FLAGS if getattr(listing, f)]
    return [listing.get_category_display(), listing.get_pattern_display(), *marks]


def _validate(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            "変更できない項目が含まれています。",
            "field_not_editable",
            fields={k: ["変更できません。"] for k in sorted(unknown)},
        )
    errors: dict[str, list[str]] = {}
    for name, label in REQUIRED.items():
        if (name in data or not partial) and not str(data.get(name, "")).strip():
            errors[name] = [f"{label}を入力してください。"]
    if "category" in data and data["category"] and data["category"] not in Category.values:
        errors["category"] = ["分類を一覧から選んでください。"]
    if "pattern" in data and data["pattern"] and data["pattern"] not in Pattern.values:
        errors["pattern"] = ["共通化パターンを一覧から選んでください。"]
    plans = data.get("plans")
    if plans is not None and (
        not isinstance(plans, list) or not all(isinstance(p, str) and p.strip() for p in plans)
    ):
        errors["plans"] = ["プランは名称の一覧で入力してください。"]
    docs = data.get("documents")
    if docs is not None and (
        not isinstance(docs, list)
        or not all(
            isinstance(d, dict)
            and d.get("title")
            and str(d.get("url", "")).startswith(("https://", "http://"))
            for d in docs
        )
    ):
        errors["documents"] = ["資料は title と http(s) の url の組で入力してください。"]
    months = data.get("cancellation_notice_months")
    if months is not None and not (isinstance(months, int) and 0 <= months <= 12):
        errors["cancellation_notice_months"] = ["解約予告期間は0〜12か月で入力してください。"]
    if errors:
        raise ApplicationError(
            "掲載内容に誤りがあります。各項目のメッセージを確認してください。",
            "invalid_listing",
            fields=errors,
        )
    return data


def _vendor_of(viewer: Viewer):  # type: ignore[no-untyped-def]
    vendor = vendor_of(viewer=viewer)
    if vendor is None:
        raise refusal("vendor")
    return vendor


@transaction.atomic
def listing_create(*, viewer: Viewer, data: dict[str, Any]) -> Listing:
    vendor = _vendor_of(viewer)
    data = _validate(data, partial=False)
    listing = Listing(vendor=vendor, **data)
    if not listing.plans:
        listing.plans = ["標準"]
    listing.search_text = _search_text(listing)
    listing.save()
    audit_record(
        actor=viewer.user, action="listing.created", target=listing, data={"name": listing.name}
    )
    return listing


@transaction.atomic
def listing_update(*, viewer: Viewer, listing_id: int, data: dict[str, Any]) -> Listing:
    listing = own_listing_get(viewer=viewer, listing_id=listing_id, for_update=True)
    if listing.status == ListingStatus.WITHDRAWN:
        raise ApplicationError("公開を終了した掲載は編集できません。", "listing_withdrawn")
    data = _validate(data, partial=True)
    changes = {k: [getattr(listing, k), v] for k, v in data.items() if getattr(listing, k) != v}
    for k, (_, new) in changes.items():
        setattr(listing, k, new)
    if changes:
        listing.search_text = _search_text(listing)
        listing.save(update_fields=[*changes, "search_text", "updated_at"])
        audit_record(
            actor=viewer.user,
            action="listing.updated",
            target=listing,
            data={"changes": {k: [str(a), str(b)] for k, (a, b) in changes.items()}},
        )
    return listing


def _set_status(
    viewer: Viewer, listing_id: int, frm: tuple[str, ...], to: str, action: str
) -> Listing:
    with transaction.atomic():
        listing = own_listing_get(viewer=viewer, listing_id=listing_id, for_update=True)
        if listing.status not in frm:
            raise ApplicationError(
                f"この掲載は「{listing.get_status_display()}」のため、この操作はできません。",
                "invalid_listing_state",
            )
        listing.status = to
        fields = ["status", "updated_at"]
        if to == ListingStatus.PUBLISHED:
            listing.published_at = timezone.now()
            fields.append("published_at")
        listing.save(update_fields=fields)
        audit_record(actor=viewer.user, action=action, target=listing, data={"status": to})
        return listing


def listing_publish(*, viewer: Viewer, listing_id: int) -> Listing:
    return _set_status(
        viewer, listing_id, (ListingStatus.DRAFT,), ListingStatus.PUBLISHED, "listing.published"
    )


def listing_withdraw(*, viewer: Viewer, listing_id: int) -> Listing:
    return _set_status(
        viewer,
        listing_id,
        (ListingStatus.DRAFT, ListingStatus.PUBLISHED),
        ListingStatus.WITHDRAWN,
        "listing.withdrawn",
    )


class ScheduleInput:
    """A fee schedule to save: its fiscal year and its terms, a domain Schedule (where the
    terms are defined, once): ScheduleInput(2026, "bands", [Band(...)], initial_fee_yen=0)."""

    def __init__(
        self, fiscal_year: int, kind: str, bands: Iterable[Band] = (), **terms: Any
    ) -> None:
        self.fiscal_year = fiscal_year
        self.terms = Schedule(kind=kind, bands=tuple(bands), **terms)

    @classmethod
    def from_values(cls, values: Mapping[str, Any], bands: Iterable[Band]) -> ScheduleInput:
        """From a form's or a serializer's cleaned values (fiscal_year and the terms)."""
        terms = {name: values[name] for name in SCHEDULE_TERMS if name in values}
        return cls(values["fiscal_year"], bands=bands, **terms)

    def for_year(self, fiscal_year: int) -> ScheduleInput:
        terms = {name: getattr(self.terms, name) for name in SCHEDULE_TERMS}
        return ScheduleInput(fiscal_year, bands=self.terms.bands, **terms)


def check_fiscal_year(fiscal_year: int, field: str = "fiscal_year") -> None:
    years = known_fiscal_years(timezone.localdate())
    if fiscal_year not in years:
        raise ApplicationError(
            f"{fiscal_year}年度は受け付けていません。{fiscal_year_label(years[0])}から"
            f"{fiscal_year_label(years[-1])}までの年度を指定してください。",
            "unknown_fiscal_year",
            fields={field: ["unknown fiscal year"]},
        )


def _apply(schedule: FeeSchedule, spec: ScheduleInput) -> None:
    validate_schedule(spec.terms)  # a FeeError is the usual 400 naming the field
    for name in SCHEDULE_TERMS:
        setattr(schedule, name, getattr(spec.terms, name))
    schedule.save()
    schedule.bands.all().delete()
    if spec.terms.kind == FeeKind.BANDS:
        FeeBand.objects.bulk_create(
            [
                FeeBand(
                    schedule=schedule, lower=b.lower, upper=b.upper, annual_fee_yen=b.annual_fee_yen
                )
                for b in sorted(spec.terms.bands, key=lambda b: b.lower)
            ]
        )


@transaction.atomic
def fee_schedule_save_draft(*, viewer: Viewer, listing_id: int, spec: ScheduleInput) -> FeeSchedule:
    """Create or replace the draft fee schedule of a listing for a fiscal year. Its version is one
    more than the last published one."""
    listing = own_listing_get(viewer=viewer, listing_id=listing_id, for_update=True)
    check_fiscal_year(spec.fiscal_year)
    draft = FeeSchedule.objects.filter(
        listing=listing, fiscal_year=spec.fiscal_year, status=ScheduleStatus.DRAFT
    ).first()
    if draft is None:
        last = (
            FeeSchedule.objects.filter(listing=listing, fiscal_year=spec.fiscal_year).aggregate(
                v=Max("version")
            )["v"]
            or 0
        )
        draft = FeeSchedule(listing=listing, fiscal_year=spec.fiscal_year, version=last + 1)
    _apply(draft, spec)
    audit_record(
        actor=viewer.user,
        action="fee_schedule.draft_saved",
        target=draft,
        data={"fiscal_year": spec.fiscal_year, "version": draft.version, "kind": spec.terms.kind},
    )
    return draft


@transaction.atomic
def fee_schedule_publish(*, viewer: Viewer, schedule_id: int) -> FeeSchedule:
    schedule = (
        FeeSchedule.objects.select_for_update()
        .filter(pk=schedule_id, listing__vendor__staff__user_id=viewer.user.pk)
        .first()
    )
    if schedule is None or not viewer.is_vendor:
        raise ApplicationError(
            "この料金表は見つからないか、編集の権限がありません。",
            "fee_schedule_not_found",
            status=404,
        )
    updated = FeeSchedule.objects.filter(pk=schedule.pk, status=ScheduleStatus.DRAFT).update(
        status=ScheduleStatus.PUBLISHED, published_at=timezone.now()
    )
    if updated != 1:
        raise ApplicationError(
            "公開済みの料金表は変更できません。新しい版を作成してください。", "fee_schedule_frozen"
        )
    catalog_cache.changed()  # a queryset update sends no signal
    schedule.refresh_from_db()
    audit_record(
        actor=viewer.user,
        action="fee_schedule.published",
        target=schedule,
        data={"fiscal_year": schedule.fiscal_year, "version": schedule.version},
    )
    return schedule


def published_schedule_required(listing: Listing, fiscal_year: int) -> FeeSchedule:
    from apps.catalog.selectors import fee_schedule_current

    schedule = fee_schedule_current(listing=listing, fiscal_year=fiscal_year)
    if schedule is None:
        raise ApplicationError(
            f"「{listing.name}」の{fiscal_year_label(fiscal_year)}の料金表がまだ公開されていません。",
            "no_fee_schedule",
            fields={"fiscal_years": [str(fiscal_year)]},
        )
    return schedule
