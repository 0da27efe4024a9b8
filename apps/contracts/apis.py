from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsBodyUser, OnBodySite, WritesByBodyUser
from apps.accounts.viewer import viewer_from_request
from apps.approvals.models import ReviewKind
from apps.contracts.filters import ApplicationFilter, ContractFilter
from apps.contracts.forms import ListingIdForm
from apps.contracts.models import ApplicationStatus, ContractStatus
from apps.contracts.selectors import (
    application_get,
    application_list,
    application_reviews,
    contract_get,
    contract_list,
    group_listing_usage,
    group_listing_users,
)
from apps.contracts.services import (
    application_accept,
    application_decline,
    application_review,
    application_submit,
    application_withdraw,
    contract_cancel,
    contract_renew,
)
from apps.core.api import page_of, paginated
from apps.core.errors import ApplicationError
from apps.core.filters import filtered
from apps.core.serializers import FiscalYearSerializerField, IdSerializerField, TextSerializerField


class ApplicationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    body_code = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    listing_id = serializers.IntegerField()
    listing_name = serializers.CharField(source="listing.name")
    vendor_id = serializers.IntegerField()
    vendor_name = serializers.CharField(source="vendor.name")
    plan = serializers.CharField()
    start_month = serializers.DateField()
    first_fiscal_year = serializers.IntegerField()
    last_fiscal_year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    note = serializers.CharField()
    decline_reason = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class TermOutput(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    fee_schedule_id = serializers.IntegerField()
    fee_schedule_version = serializers.IntegerField(source="fee_schedule.version")


class ContractOutput(serializers.Serializer):
    id = serializers.IntegerField()
    application_id = serializers.IntegerField()
    body_code = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    listing_id = serializers.IntegerField()
    listing_name = serializers.CharField(source="listing.name")
    vendor_id = serializers.IntegerField()
    vendor_name = serializers.CharField(source="vendor.name")
    plan = serializers.CharField()
    start_month = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ContractStatus.choices)
    terms = TermOutput(many=True)


class ApplicationsApi(APIView):
    """A body's own applications (and submitting one); a vendor's applications from all bodies."""

    permission_classes = [IsAuthenticated, WritesByBodyUser]

    class InputSerializer(serializers.Serializer):
        listing_id = IdSerializerField()
        plan = TextSerializerField(max_length=100)
        start_month = serializers.DateField(help_text="利用開始月の1日 (例: 2026-12-01)")
        fiscal_years = serializers.ListField(
            child=FiscalYearSerializerField(), min_length=1, max_length=5
        )
        note = TextSerializerField(
            required=False, allow_blank=True, default="", max_length=1000, multiline=True
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ApplicationStatus.values),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(ApplicationOutput)},
    )
    def get(self, request: Request) -> Response:
        qs = filtered(
            ApplicationFilter(
                request.query_params, queryset=application_list(viewer=viewer_from_request(request))
            )
        )
        return paginated(request, self, qs, ApplicationOutput)

    @extend_schema(
        request=InputSerializer,
        responses={
            201: ApplicationOutput,
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_submit(viewer=viewer_from_request(request), **data.validated_data)
        return Response(ApplicationOutput(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ApplicationOutput})
    def get(self, request: Request, application_id: int) -> Response:
        application = application_get(
            viewer=viewer_from_request(request), application_id=application_id
        )
        return Response(ApplicationOutput(application).data)


class ApplicationReviewsApi(APIView):
    """The body's internal comments and decision (stored in the body's own schema)."""

    permission_classes = [OnBodySite, IsAuthenticated, IsBodyUser]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ReviewKind.choices)
        comment = TextSerializerField(
            required=False, allow_blank=True, default="", max_length=2000, multiline=True
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.CharField()
        comment = serializers.CharField()
        author = serializers.CharField(source="author.full_name")
        created_at = serializers.DateTimeField()

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request, application_id: int) -> Response:
        reviews = application_reviews(
            viewer=viewer_from_request(request), application_id=application_id
        )
        return Response(self.OutputSerializer(reviews, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request, application_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = application_review(
            viewer=viewer_from_request(request),
            application_id=application_id,
            **data.validated_data,
        )
        return Response(self.OutputSerializer(review).data, status=status.HTTP_201_CREATED)


class ApplicationAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: ContractOutput})
    def post(self, request: Request, application_id: int) -> Response:
        viewer = viewer_from_request(request)
        contract = application_accept(viewer=viewer, application_id=application_id)
        return Response(
            ContractOutput(contract_get(viewer=viewer, contract_id=contract.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ApplicationDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = TextSerializerField(max_length=2000, multiline=True)

    @extend_schema(request=InputSerializer, responses={200: ApplicationOutput})
    def post(self, request: Request, application_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_decline(
            viewer=viewer_from_request(request),
            application_id=application_id,
            reason=data.validated_data["reason"],
        )
        return Response(ApplicationOutput(application).data)


class ApplicationWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ApplicationOutput})
    def post(self, request: Request, application_id: int) -> Response:
        application = application_withdraw(
            viewer=viewer_from_request(request), application_id=application_id
        )
        return Response(ApplicationOutput(application).data)


class ContractsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ContractStatus.values),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(ContractOutput)},
    )
    def get(self, request: Request) -> Response:
        qs = filtered(
            ContractFilter(
                request.query_params, queryset=contract_list(viewer=viewer_from_request(request))
            )
        )
        return paginated(request, self, qs, ContractOutput)


class ContractDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ContractOutput})
    def get(self, request: Request, contract_id: int) -> Response:
        return Response(
            ContractOutput(
                contract_get(viewer=viewer_from_request(request), contract_id=contract_id)
            ).data
        )


class ContractRenewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ContractOutput})
    def post(self, request: Request, contract_id: int) -> Response:
        viewer = viewer_from_request(request)
        contract_renew(viewer=viewer, contract_id=contract_id)
        return Response(ContractOutput(contract_get(viewer=viewer, contract_id=contract_id)).data)


class ContractCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ContractOutput})
    def post(self, request: Request, contract_id: int) -> Response:
        viewer = viewer_from_request(request)
        contract_cancel(viewer=viewer, contract_id=contract_id)
        return Response(ContractOutput(contract_get(viewer=viewer, contract_id=contract_id)).data)


class GroupUsageListing(serializers.Serializer):
    listing_id = serializers.IntegerField()
    listing_name = serializers.CharField()
    category = serializers.CharField()
    vendor_name = serializers.CharField()
    bodies = serializers.IntegerField(help_text="利用している構成団体の数")


class GroupUsageUser(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    since = serializers.DateField()


class GroupUsageApi(APIView):
    """For a group's secretariat: which listings its members use, and which members."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        group_id = serializers.IntegerField()
        listings = GroupUsageListing(many=True)
        users = GroupUsageUser(many=True, required=False, help_text="listing_id を指定したとき")

    @extend_schema(
        parameters=[OpenApiParameter("listing_id", int, description="利用団体を見るサービス")],
        responses={200: OutputSerializer},
    )
    def get(self, request: Request, group_id: int) -> Response:
        viewer = viewer_from_request(request)  # the selectors refuse anyone but its secretariat
        rows = [
            {
                "listing_id": r["listing_id"],
                "listing_name": r["listing__name"],
                "category": r["listing__category"],
                "vendor_name": r["vendor__name"],
                "bodies": r["bodies"],
            }
            for r in group_listing_usage(viewer=viewer, group_id=group_id)
        ]
        data: dict = {"group_id": group_id, "listings": rows}
        form = ListingIdForm(request.query_params)
        if not form.is_valid():
            raise ApplicationError(
                "listing_id はサービスの番号で指定してください。",
                "invalid_filter",
                fields={k: [str(e) for e in v] for k, v in form.errors.items()},
            )
        if form.cleaned_data["listing_id"]:
            data["users"] = [
                {"code": c.body.code, "name": c.body.name, "since": c.start_month}
                for c in group_listing_users(
                    viewer=viewer, group_id=group_id, listing_id=form.cleaned_data["listing_id"]
                )
            ]
        return Response(data)
