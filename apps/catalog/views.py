from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.viewer import viewer_from_request
from apps.catalog.forms import FLAG_LABELS, ApplyForm, ListingForm, ScheduleForm, SearchForm
from apps.catalog.models import Category, Pattern
from apps.catalog.selectors import (
    MAX_COMPARE,
    facet_counts,
    fee_schedules_of,
    listing_get,
    listing_search,
    own_listing_get,
    own_listing_list,
    quote_for_body,
)
from apps.catalog.services import (
    ScheduleInput,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
    listing_update,
    listing_withdraw,
)
from apps.contracts.services import application_submit
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of, known_fiscal_years
from apps.core.errors import ApplicationError, PermissionDenied
from apps.core.views import attempt, page_number


def _fiscal_years() -> list[tuple[int, str]]:
    return [(fy, fiscal_year_label(fy)) for fy in known_fiscal_years(timezone.localdate())]


def _chosen_year(request: HttpRequest) -> int:
    raw = request.GET.get("fiscal_year", "")
    years = dict(_fiscal_years())
    return int(raw) if raw.isdigit() and int(raw) in years else fiscal_year_of(timezone.localdate())


def catalog_search(request: HttpRequest) -> HttpResponse:
    """Published listings for everyone (the public site needs no log-in)."""
    viewer = viewer_from_request(request)
    if viewer.body is not None and not viewer.is_body_user:
        return redirect("accounts:login")
    form = SearchForm(request.GET or None)
    form.is_valid()
    data = form.cleaned_data if form.is_bound else {}
    qs = listing_search(
        q=data.get("q", ""),
        categories=data.get("category"),
        patterns=data.get("pattern"),
        flags=data.get("flag"),
    )
    base = listing_search(q=data.get("q", ""))
    by_category = facet_counts(base, "category")
    by_pattern = facet_counts(base, "pattern")
    page = Paginator(qs, 20).get_page(page_number(request))
    return render(
        request,
        "catalog/search.html",
        {
            "form": form,
            "page": page,
            "count": page.paginator.count,
            "category_counts": [
                (v, label, by_category[v]) for v, label in Category.choices if v in by_category
            ],
            "pattern_counts": [(v, label, by_pattern.get(v, 0)) for v, label in Pattern.choices],
            "flag_labels": FLAG_LABELS,
            "max_compare": MAX_COMPARE,
            "query_string": request.GET.urlencode(),
        },
    )


def listing_detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    if viewer.body is not None and not viewer.is_body_user:
        return redirect("accounts:login")
    listing = listing_get(viewer=viewer, listing_id=listing_id)
    fiscal_year = _chosen_year(request)
    context = {
        "listing": listing,
        "fiscal_year": fiscal_year,
        "fiscal_years": _fiscal_years(),
        "schedules": [s for s in fee_schedules_of(listing=listing) if s.status == "published"],
    }
    if viewer.is_body_user and viewer.body is not None:
        context["quote"] = quote_for_body(
            body=viewer.body, listing=listing, fiscal_year=fiscal_year
        )
        form = ApplyForm(
            request.POST or None,
            plans=listing.plans,
            initial={"start_month": timezone.localdate().replace(day=1)},
        )
        if request.method == "POST" and form.is_valid():
            start = form.cleaned_data["start_month"].replace(day=1)
            first = fiscal_year_of(start)
            application = attempt(
                request,
                lambda: application_submit(
                    viewer=viewer,
                    listing_id=listing.pk,
                    plan=form.cleaned_data["plan"],
                    start_month=start,
                    fiscal_years=list(range(first, first + form.cleaned_data["years"])),
                    note=form.cleaned_data["note"],
                ),
                success="申し込みました。団体管理者の承認を待っています。",
                form=form,
            )
            if application is not None:
                return redirect("application-detail", application.pk)
        context["apply_form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/detail.html", context, status=status)


def catalog_compare(request: HttpRequest) -> HttpResponse:
    viewer = viewer_from_request(request)
    if viewer.body is not None and not viewer.is_body_user:
        return redirect("accounts:login")
    ids = [int(v) for v in request.GET.getlist("ids") if v.isdigit()]
    ids = list(dict.fromkeys(ids))
    if not 1 <= len(ids) <= MAX_COMPARE:
        raise ApplicationError(
            f"比較するサービスを1〜{MAX_COMPARE}件選んでください。", "invalid_compare"
        )
    fiscal_year = _chosen_year(request)
    rows = []
    for listing_id in ids:
        listing = listing_get(viewer=viewer, listing_id=listing_id)
        q = (
            quote_for_body(body=viewer.body, listing=listing, fiscal_year=fiscal_year)
            if viewer.is_body_user and viewer.body is not None
            else None
        )
        rows.append({"listing": listing, "quote": q})
    return render(
        request,
        "catalog/compare.html",
        {"rows": rows, "fiscal_year": fiscal_year, "flag_labels": FLAG_LABELS},
    )


# --- vendor pages ----------------------------------------------------------------------------


def _vendor_only(request: HttpRequest):  # type: ignore[no-untyped-def]
    viewer = viewer_from_request(request)
    if not viewer.is_vendor:
        raise PermissionDenied("事業者の担当者だけが使える画面です。", "not_vendor_user")
    return viewer


@login_required
def vendor_listings(request: HttpRequest) -> HttpResponse:
    viewer = _vendor_only(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        listing = attempt(
            request,
            lambda: listing_create(viewer=viewer, data=form.service_data()),
            success="下書きを作成しました。料金表を登録して公開してください。",
            form=form,
        )
        if listing is not None:
            return redirect("vendor-listing", listing.pk)
    return render(
        request,
        "catalog/vendor_listings.html",
        {"listings": own_listing_list(viewer=viewer), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def vendor_listing(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = _vendor_only(request)
    listing = own_listing_get(viewer=viewer, listing_id=listing_id)
    form = ListingForm(instance=listing)
    schedule_form = ScheduleForm(
        initial={
            "fiscal_year": fiscal_year_of(timezone.localdate()),
            "doubling_factor": "1.5",
            "initial_fee_yen": 0,
        }
    )
    failed = False
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "save":
            form = ListingForm(
                request.POST, instance=own_listing_get(viewer=viewer, listing_id=listing_id)
            )
            failed = (
                not form.is_valid()
                or attempt(
                    request,
                    lambda: listing_update(
                        viewer=viewer, listing_id=listing_id, data=form.service_data()
                    ),
                    success="掲載内容を保存しました。",
                    form=form,
                )
                is None
            )
        elif action in {"publish", "withdraw"}:
            fn = listing_publish if action == "publish" else listing_withdraw
            failed = (
                attempt(
                    request,
                    lambda: fn(viewer=viewer, listing_id=listing_id),
                    success="公開しました。" if action == "publish" else "公開を終了しました。",
                )
                is None
            )
        elif action == "save_schedule":
            schedule_form = ScheduleForm(request.POST)
            if schedule_form.is_valid():
                d = schedule_form.cleaned_data
                spec = ScheduleInput(
                    fiscal_year=d["fiscal_year"],
                    kind=d["kind"],
                    bands=d["bands_text"],
                    base_fee_yen=d["base_fee_yen"] or 0,
                    reference_population=d["reference_population"] or 0,
                    doubling_factor=d["doubling_factor"] or Decimal("1.5"),
                    initial_fee_yen=d["initial_fee_yen"],
                    tax_category=d["tax_category"],
                    joint_discount_percent=d["joint_discount_percent"],
                    joint_discount_min_bodies=d["joint_discount_min_bodies"],
                )
                failed = (
                    attempt(
                        request,
                        lambda: fee_schedule_save_draft(
                            viewer=viewer, listing_id=listing_id, spec=spec
                        ),
                        success="料金表の下書きを保存しました。",
                        form=schedule_form,
                    )
                    is None
                )
            else:
                failed = True
        elif action == "publish_schedule":
            schedule_id = int(request.POST.get("schedule_id", "0") or 0)
            failed = (
                attempt(
                    request,
                    lambda: fee_schedule_publish(viewer=viewer, schedule_id=schedule_id),
                    success="料金表を公開しました。以後この版は変更できません。",
                )
                is None
            )
        if not failed:
            return redirect("vendor-listing", listing_id)
    listing = own_listing_get(viewer=viewer, listing_id=listing_id)
    return render(
        request,
        "catalog/vendor_listing.html",
        {
            "listing": listing,
            "form": form,
            "schedule_form": schedule_form,
            "schedules": fee_schedules_of(listing=listing),
        },
        status=400 if failed else 200,
    )
