from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.backends import user_cache_keys
from apps.accounts.permissions import IsBodyUser, OnBodySite, OnPublicSite
from apps.accounts.viewer import viewer_from_request
from apps.catalog.domain.fees import SCHEDULE_TERMS, Band
from apps.catalog.filters import ListingFilter, split_commas
from apps.catalog.forms import CompareForm
from apps.catalog.models import Category, FeeSchedule, Pattern
from apps.catalog.selectors import (
    COMPLIANCE_FLAGS,
    MAX_COMPARE,
    fee_schedules_of,
    listing_get,
    own_listing_get,
    own_listing_list,
)
from apps.catalog.serializers import BandIO, FeeScheduleOutput, ListingOutput, QuoteOutput
from apps.catalog.services import (
    ScheduleInput,
    check_fiscal_year,
    fee_schedule_publish,
    fee_schedule_save_draft,
    listing_create,
    listing_publish,
    listing_update,
    listing_withdraw,
)
from apps.contracts.selectors import quote_cache_keys, quote_for_body
from apps.core.api import page_of, paginated
from apps.core.cache import read_ahead
from apps.core.domain.fiscal import fiscal_year_label, fiscal_year_of
from apps.core.errors import ApplicationError
from apps.core.filters import filtered
from apps.core.forms import YearForm
from apps.core.serializers import (
    FiscalYearSerializerField,
    TextSerializerField,
)


def _fiscal_year_param(request: Request) -> int:
    """?fiscal_year=: a fiscal year prices exist for (last year to three ahead); the current
    one when it is left out."""
    form = YearForm(request.query_params)
    if not form.is_valid():
        raise ApplicationError(
            "fiscal_year は西暦の年度 (例: 2026) で指定してください。",
            "invalid_fiscal_year",
            fields={k: [str(e) for e in v] for k, v in form.errors.items()},
        )
    fiscal_year = form.cleaned_data["fiscal_year"]
    if fiscal_year is None:
        return fiscal_year_of(timezone.localdate())
    check_fiscal_year(fiscal_year)
    return int(fiscal_year)


FISCAL_YEAR_PARAM = OpenApiParameter(
    "fiscal_year", int, description="年度 (西暦、例: 2026)。省略すると今年度。"
)


class ListingSearchApi(APIView):
    """Published listings (anyone, no log-in): free text and facets."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="キーワード (空白区切り、すべてを含む)"),
            OpenApiParameter("category", str, many=True, enum=Category.values),
            OpenApiParameter("pattern", str, many=True, enum=Pattern.values),
            OpenApiParameter("flag", str, many=True, enum=list(COMPLIANCE_FLAGS)),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(ListingOutput)},
    )
    def get(self, request: Request) -> Response:
        qs = filtered(ListingFilter(request.query_params))
        return paginated(request, self, qs, ListingOutput)


class ListingDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ListingOutput})
    def get(self, request: Request, listing_id: int) -> Response:
        listing = listing_get(viewer=viewer_from_request(request), listing_id=listing_id)
        return Response(ListingOutput(listing).data)


class ListingQuoteApi(APIView):
    """The caller's body's fee for a listing and fiscal year, with the arithmetic."""

    permission_classes = [OnBodySite, IsAuthenticated, IsBodyUser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication: the user and everything the quote reads, in one round trip
        # (only read, nothing shown, before the permission checks).
        body = getattr(request, "tenant", None)
        if body is not None:
            year = request.query_params.get("fiscal_year", "")
            keys = quote_cache_keys(
                body_id=body.pk,
                listing_id=kwargs["listing_id"],
                fiscal_year=int(year)
                if year.isascii() and year.isdigit() and len(year) == 4
                else fiscal_year_of(timezone.localdate()),
            )
            read_ahead([*user_cache_keys(request), *keys])
        super().initial(request, *args, **kwargs)

    @extend_schema(
        parameters=[FISCAL_YEAR_PARAM],
        responses={200: QuoteOutput},
    )
    def get(self, request: Request, listing_id: int) -> Response:
        viewer = viewer_from_request(request)
        listing = listing_get(viewer=viewer, listing_id=listing_id)
        fiscal_year = _fiscal_year_param(request)
        assert viewer.body is not None  # noqa: S101 (OnBodySite)
        body_quote = quote_for_body(body=viewer.body, listing=listing, fiscal_year=fiscal_year)
        if body_quote is None:
            raise ApplicationError(
                f"{fiscal_year_label(fiscal_year)}の料金表がまだ公開されていないため、見積もれません。",
                "no_fee_schedule",
                status=404,
            )
        return Response(QuoteOutput(body_quote).data)


class CompareRowOutput(serializers.Serializer):
    listing = ListingOutput()
    quote = QuoteOutput(allow_null=True)


class CompareOutput(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    listings = CompareRowOutput(many=True)


class ListingCompareApi(APIView):
    """Up to four published listings side by side; with the caller's quote at a body's site."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ids", int, many=True, explode=False, description="比較するサービスのid (1〜4件)"
            ),
            FISCAL_YEAR_PARAM,
        ],
        responses={200: CompareOutput},
    )
    def get(self, request: Request) -> Response:
        viewer = viewer_from_request(request)
        form = CompareForm(split_commas(request.query_params, ("ids",)))
        if not form.is_valid():
            raise ApplicationError(
                f"比較するサービスを1〜{MAX_COMPARE}件、ids=1,2,3 の形で指定してください。",
                "invalid_compare",
                fields={k: [str(e) for e in v] for k, v in form.errors.items()},
            )
        fiscal_year = _fiscal_year_param(request)
        rows: list[dict[str, Any]] = []
        for listing_id in form.cleaned_data["ids"]:
            listing = listing_get(viewer=viewer, listing_id=listing_id)
            row: dict[str, Any] = {"listing": ListingOutput(listing).data, "quote": None}
            if viewer.is_body_user and viewer.body is not None:
                q = quote_for_body(body=viewer.body, listing=listing, fiscal_year=fiscal_year)
                row["quote"] = QuoteOutput(q).data if q else None
            rows.append(row)
        return Response({"fiscal_year": fiscal_year, "listings": rows})


# --- Vendor side -----------------------------------------------------------------------------


class DocumentIO(serializers.Serializer):
    title = TextSerializerField(max_length=200)
    url = serializers.URLField(max_length=500)


class ListingInput(serializers.Serializer):
    name = TextSerializerField(max_length=200)
    summary = TextSerializerField(max_length=300)
    description = TextSerializerField(
        required=False, allow_blank=True, max_length=5000, multiline=True
    )
    category = serializers.ChoiceField(choices=Category.choices)
    pattern = serializers.ChoiceField(choices=Pattern.choices)
    gov_cloud = serializers.BooleanField(required=False)
    lgwan = serializers.BooleanField(required=False)
    ismap = serializers.BooleanField(required=False)
    standard_conformant = serializers.BooleanField(required=False)
    sla = TextSerializerField(required=False, allow_blank=True, max_length=200)
    data_location = TextSerializerField(required=False, allow_blank=True, max_length=100)
    documents = DocumentIO(many=True, required=False, max_length=20)
    plans = serializers.ListField(
        child=TextSerializerField(max_length=100), required=False, max_length=20
    )
    cancellation_notice_months = serializers.IntegerField(required=False, min_value=0, max_value=12)


class VendorListingsApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(responses={200: ListingOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            ListingOutput(own_listing_list(viewer=viewer_from_request(request)), many=True).data
        )

    @extend_schema(request=ListingInput, responses={201: ListingOutput})
    def post(self, request: Request) -> Response:
        data = ListingInput(data=request.data)
        data.is_valid(raise_exception=True)
        listing = listing_create(viewer=viewer_from_request(request), data=data.validated_data)
        return Response(ListingOutput(listing).data, status=status.HTTP_201_CREATED)


class VendorListingApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(responses={200: ListingOutput})
    def get(self, request: Request, listing_id: int) -> Response:
        listing = own_listing_get(viewer=viewer_from_request(request), listing_id=listing_id)
        return Response(ListingOutput(listing).data)

    @extend_schema(request=ListingInput(partial=True), responses={200: ListingOutput})
    def patch(self, request: Request, listing_id: int) -> Response:
        viewer = viewer_from_request(request)
        own_listing_get(viewer=viewer, listing_id=listing_id)
        data = ListingInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        listing = listing_update(viewer=viewer, listing_id=listing_id, data=data.validated_data)
        return Response(ListingOutput(listing).data)


class VendorListingPublishApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(request=None, responses={200: ListingOutput})
    def post(self, request: Request, listing_id: int) -> Response:
        listing = listing_publish(viewer=viewer_from_request(request), listing_id=listing_id)
        return Response(ListingOutput(listing).data)


class VendorListingWithdrawApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(request=None, responses={200: ListingOutput})
    def post(self, request: Request, listing_id: int) -> Response:
        listing = listing_withdraw(viewer=viewer_from_request(request), listing_id=listing_id)
        return Response(ListingOutput(listing).data)


class ScheduleInputSerializer(serializers.ModelSerializer):
    """A fee schedule to save: the terms' types and bounds come from the model's columns."""

    fiscal_year = FiscalYearSerializerField()
    bands = BandIO(many=True, required=False, max_length=50)

    class Meta:
        model = FeeSchedule
        fields = ["fiscal_year", *SCHEDULE_TERMS, "bands"]

    def to_spec(self) -> ScheduleInput:
        d = self.validated_data
        bands = [Band(b["lower"], b["upper"], b["annual_fee_yen"]) for b in d.get("bands", [])]
        return ScheduleInput.from_values(d, bands)


class VendorFeeSchedulesApi(APIView):
    """A listing's fee schedules: list every version; PUT saves the fiscal year's draft."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(responses={200: FeeScheduleOutput(many=True)})
    def get(self, request: Request, listing_id: int) -> Response:
        listing = own_listing_get(viewer=viewer_from_request(request), listing_id=listing_id)
        return Response(
            FeeScheduleOutput(
                fee_schedules_of(viewer=viewer_from_request(request), listing_id=listing.pk),
                many=True,
            ).data
        )

    @extend_schema(request=ScheduleInputSerializer, responses={200: FeeScheduleOutput})
    def put(self, request: Request, listing_id: int) -> Response:
        viewer = viewer_from_request(request)
        own_listing_get(viewer=viewer, listing_id=listing_id)
        data = ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = fee_schedule_save_draft(
            viewer=viewer, listing_id=listing_id, spec=data.to_spec()
        )
        return Response(
            FeeScheduleOutput(
                fee_schedules_of(viewer=viewer, listing_id=schedule.listing_id).get(pk=schedule.pk)
            ).data
        )


class VendorFeeSchedulePublishApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(request=None, responses={200: FeeScheduleOutput})
    def post(self, request: Request, schedule_id: int) -> Response:
        viewer = viewer_from_request(request)
        schedule = fee_schedule_publish(viewer=viewer, schedule_id=schedule_id)
        return Response(
            FeeScheduleOutput(
                fee_schedules_of(viewer=viewer, listing_id=schedule.listing_id).get(pk=schedule.pk)
            ).data
        )
