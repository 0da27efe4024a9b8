from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from apps.accounts.backends import user_cache_keys
from apps.accounts.pages import post_action
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.catalog.cache import cached, keys
from apps.catalog.filters import ListingFilter
from apps.catalog.forms import (
    FLAG_LABELS,
    ApplyForm,
    CompareForm,
    ListingForm,
    ScheduleForm,
)
from apps.catalog.models import Category, Pattern
from apps.catalog.selectors import (
    MAX_COMPARE,
    facet_counts,
    fee_schedules_of,
    listing_get,
    own_listing_get,
)
from apps.catalog.services import (
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
    listing_update,
    listing_withdraw,
)
from apps.contracts.selectors import own_listings_in_use, quote_for_body
from apps.contracts.services import application_submit
from apps.core.cache import read_ahead
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of, known_fiscal_years
from apps.core.filters import InvalidFilters
from apps.core.forms import YearForm
from apps.core.views import attempt, page_number, submit


def _fiscal_years() -> list[tuple[int, str]]:
    return [(fy, fiscal_year_label(fy)) for fy in known_fiscal_years(timezone.localdate())]


def _chosen_year(request: HttpRequest) -> int:
    """The fiscal year asked for (?fiscal_year=), when it is one prices exist for; otherwise
    the current one."""
    form = YearForm(request.GET)
    chosen = form.cleaned_data.get("fiscal_year") if form.is_valid() else None
    return chosen if chosen in dict(_fiscal_years()) else fiscal_year_of(timezone.localdate())


def _browsing_viewer(request: HttpRequest) -> Viewer | None:
    """Body staff at their body's site, or anyone on the public site; None at a body's site for
    someone who has not logged in (they are sent to log in)."""
    viewer = viewer_from_request(request)
    if viewer.body is not None and not viewer.is_body_user:
        return None
    return viewer


def catalog_search(request: HttpRequest) -> HttpResponse:
    """Published listings for everyone (the public site needs no log-in). The results and
    facets are the same for every viewer: rendered once per catalogue version and query
    (apps/catalog/cache.py); the layout around them is the viewer's own, except for a visitor
    who has not logged in and has no message waiting, for whom the whole page is the same."""
    query = repr(sorted((k, v) for k in request.GET for v in request.GET.getlist(k)))
    # the user and the results in one round trip (apps/core/redis_cache.py)
    read_ahead([*user_cache_keys(request), *keys("search", query), *keys("public-page", query)])
    viewer = _browsing_viewer(request)
    if viewer is None:
        return redirect("accounts:login")

    def results() -> str:
        # Only on a miss: results are kept for valid queries only, and the filters' checks
        # depend on the query alone (StaticFilterSet), so a kept entry needs no new form.
        filterset = ListingFilter(request.GET)
        if not filterset.is_valid():
            raise InvalidFilters(filterset)
        return _search_results(request, filterset)

    def page() -> str:
        return _search_page(request, cached("search", query, results))

    try:
        if not viewer.user.is_authenticated and not len(messages.get_messages(request)):
            return HttpResponse(cached("public-page", query, page))
        return HttpResponse(page())
    except InvalidFilters as invalid:  # nothing was kept (cached() keeps no exception)
        return HttpResponse(
            _search_page(request, _search_results(request, invalid.filterset)), status=400
        )


def _search_page(request: HttpRequest, results: str) -> str:
    """The viewer's layout around the rendered results."""
    return render_to_string(
        "catalog/search.html",
        {"results": mark_safe(results)},  # noqa: S308 (the portal's own template)
        request=request,
    )


def _search_results(request: HttpRequest, filterset: ListingFilter) -> str:
    valid = filterset.is_valid()
    qs = filterset.qs if valid else filterset.queryset
    base = filterset.facet_base() if valid else filterset.queryset
    by_category = facet_counts(base, "category")
    by_pattern = facet_counts(base, "pattern")
    page = Paginator(qs, 20).get_page(page_number(request))
    return render_to_string(
        "catalog/_results.html",
        {
            "form": filterset.form,
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


def _detail_page(
    request: HttpRequest,
    viewer: Viewer,
    listing_id: int,
    *,
    apply_form: ApplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    listing = listing_get(viewer=viewer, listing_id=listing_id)
    fiscal_year = _chosen_year(request)
    context = {
        "listing": listing,
        "fiscal_year": fiscal_year,
        "fiscal_years": _fiscal_years(),
        "schedules": fee_schedules_of(viewer=viewer, listing_id=listing.pk, published_only=True),
    }
    if viewer.is_body_user and viewer.body is not None:
        context["quote"] = quote_for_body(
            body=viewer.body, listing=listing, fiscal_year=fiscal_year
        )
        context["apply_form"] = apply_form or ApplyForm(
            plans=listing.plans, initial={"start_month": timezone.localdate().replace(day=1)}
        )
    return render(request, "catalog/detail.html", context, status=status)


def listing_detail(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = _browsing_viewer(request)
    if viewer is None:
        return redirect("accounts:login")
    return _detail_page(request, viewer, listing_id)


@login_required
@require_POST
def listing_apply(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    listing = listing_get(viewer=viewer, listing_id=listing_id)
    viewer.require_body_user()
    form = ApplyForm(request.POST, plans=listing.plans)

    def apply(d: dict[str, Any]) -> Any:
        first = fiscal_year_of(d["start_month"])
        return application_submit(
            viewer=viewer,
            listing_id=listing.pk,
            plan=d["plan"],
            start_month=d["start_month"],
            fiscal_years=list(range(first, first + d["years"])),
            note=d["note"],
        )

    application = submit(
        request, form, apply, success="申し込みました。団体管理者の承認を待っています。"
    )
    if application is None:
        return _detail_page(request, viewer, listing_id, apply_form=form, status=400)
    return redirect("application-detail", application.pk)


def catalog_compare(request: HttpRequest) -> HttpResponse:
    viewer = _browsing_viewer(request)
    if viewer is None:
        return redirect("accounts:login")
    form = CompareForm(request.GET)
    if not form.is_valid():
        # back to the list, saying what to do (not an error page)
        messages.error(
            request, f"比較するサービスを1〜{MAX_COMPARE}件選んで、もう一度押してください。"
        )
        response = catalog_search(request)
        response.status_code = 400
        return response
    fiscal_year = _chosen_year(request)
    rows = []
    for listing_id in form.cleaned_data["ids"]:
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


def _vendor_only(request: HttpRequest) -> Viewer:
    viewer = viewer_from_request(request)
    viewer.require_vendor()
    return viewer


@login_required
def vendor_listings(request: HttpRequest) -> HttpResponse:
    viewer = _vendor_only(request)
    form = ListingForm(request.POST or None)
    if request.method == "POST":
        listing = submit(
            request,
            form,
            lambda _: listing_create(viewer=viewer, data=form.service_data()),
            success="下書きを作成しました。料金表を登録して公開してください。",
        )
        if listing is not None:
            return redirect("vendor-listing", listing.pk)
    return render(
        request,
        "catalog/vendor_listings.html",
        {"listings": own_listings_in_use(viewer=viewer), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _vendor_listing_page(
    request: HttpRequest,
    viewer: Viewer,
    listing_id: int,
    *,
    form: ListingForm | None = None,
    schedule_form: ScheduleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    listing = own_listing_get(viewer=viewer, listing_id=listing_id)
    return render(
        request,
        "catalog/vendor_listing.html",
        {
            "listing": listing,
            "form": form or ListingForm(instance=listing),
            "schedule_form": schedule_form
            or ScheduleForm(
                initial={
                    "fiscal_year": fiscal_year_of(timezone.localdate()),
                    "doubling_factor": "1.5",
                    "initial_fee_yen": 0,
                }
            ),
            "schedules": fee_schedules_of(viewer=viewer, listing_id=listing.pk),
        },
        status=status,
    )


@login_required
def vendor_listing(request: HttpRequest, listing_id: int) -> HttpResponse:
    return _vendor_listing_page(request, _vendor_only(request), listing_id)


@login_required
@require_POST
def vendor_listing_save(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = _vendor_only(request)
    form = ListingForm(request.POST, instance=own_listing_get(viewer=viewer, listing_id=listing_id))
    done = submit(
        request,
        form,
        lambda _: listing_update(viewer=viewer, listing_id=listing_id, data=form.service_data()),
        success="掲載内容を保存しました。",
    )
    if done is None:
        return _vendor_listing_page(request, viewer, listing_id, form=form, status=400)
    return redirect("vendor-listing", listing_id)


vendor_listing_publish = post_action(
    listing_publish, success="公開しました。", redirect_to="vendor-listing", id_name="listing_id"
)
vendor_listing_withdraw = post_action(
    listing_withdraw,
    success="公開を終了しました。",
    redirect_to="vendor-listing",
    id_name="listing_id",
)


@login_required
@require_POST
def vendor_schedule_save(request: HttpRequest, listing_id: int) -> HttpResponse:
    viewer = _vendor_only(request)
    own_listing_get(viewer=viewer, listing_id=listing_id)
    form = ScheduleForm(request.POST)
    done = submit(
        request,
        form,
        lambda _: fee_schedule_save_draft(
            viewer=viewer, listing_id=listing_id, spec=form.schedule_input()
        ),
        success="料金表の下書きを保存しました。",
    )
    if done is None:
        return _vendor_listing_page(request, viewer, listing_id, schedule_form=form, status=400)
    return redirect("vendor-listing", listing_id)


@login_required
@require_POST
def vendor_schedule_publish(
    request: HttpRequest, listing_id: int, schedule_id: int
) -> HttpResponse:
    viewer = _vendor_only(request)
    own_listing_get(viewer=viewer, listing_id=listing_id)
    attempt(
        request,
        lambda: fee_schedule_publish(viewer=viewer, schedule_id=schedule_id),
        success="料金表を公開しました。以後この版は変更できません。",
    )
    return redirect("vendor-listing", listing_id)
