"""API of council joint services (the secretariat defines them; members read theirs)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.viewer import viewer_from_request
from apps.groups.models import ApportionmentKind, JointServiceYear
from apps.groups.selectors import (
    joint_service_get,
    joint_service_list,
    joint_service_years,
    participation_list,
)
from apps.groups.services import (
    ParticipantInput,
    joint_service_create,
    joint_service_year_set,
    participation_set,
)
from apps.tenants.models import PopulationSource


class JointServiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    group_name = serializers.CharField(source="group.name")
    name = serializers.CharField()
    description = serializers.CharField()


class YearOutput(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    total_cost_yen = serializers.IntegerField()
    method = serializers.ChoiceField(choices=ApportionmentKind.choices)
    equal_part = serializers.DecimalField(max_digits=5, decimal_places=4)
    doubling_factor = serializers.DecimalField(max_digits=6, decimal_places=4)
    population_source = serializers.ChoiceField(choices=PopulationSource.choices)
    prorate_by_month = serializers.BooleanField()
    participants = serializers.IntegerField(required=False)


class ParticipantIO(serializers.Serializer):
    body_code = serializers.CharField(max_length=6)
    joined_month = serializers.DateField(required=False, allow_null=True, default=None)
    left_month = serializers.DateField(required=False, allow_null=True, default=None)
    usage_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, default=None
    )


class JointServicesApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        group_id = serializers.IntegerField()
        name = serializers.CharField(max_length=100)
        description = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(responses={200: JointServiceOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            JointServiceOutput(
                joint_service_list(viewer=viewer_from_request(request)), many=True
            ).data
        )

    @extend_schema(request=InputSerializer, responses={201: JointServiceOutput})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = joint_service_create(viewer=viewer_from_request(request), **data.validated_data)
        return Response(JointServiceOutput(service).data, status=status.HTTP_201_CREATED)


class JointServiceDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: JointServiceOutput})
    def get(self, request: Request, service_id: int) -> Response:
        service = joint_service_get(viewer=viewer_from_request(request), service_id=service_id)
        data = JointServiceOutput(service).data
        data["years"] = YearOutput(joint_service_years(service=service), many=True).data
        return Response(data)


class JointServiceYearApi(APIView):
    """PUT: set the fiscal year's budget, apportionment method and participants."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        total_cost_yen = serializers.IntegerField(min_value=0)
        method = serializers.ChoiceField(
            choices=ApportionmentKind.choices, default=ApportionmentKind.POPULATION
        )
        equal_part = serializers.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
        doubling_factor = serializers.DecimalField(
            max_digits=6, decimal_places=4, default=Decimal("1.5")
        )
        population_source = serializers.ChoiceField(
            choices=PopulationSource.choices, default=PopulationSource.CENSUS_2020
        )
        prorate_by_month = serializers.BooleanField(default=True)
        participants = ParticipantIO(many=True, required=False)

    @extend_schema(responses={200: YearOutput})
    def get(self, request: Request, service_id: int, fiscal_year: int) -> Response:
        service = joint_service_get(viewer=viewer_from_request(request), service_id=service_id)
        year = JointServiceYear.objects.filter(service=service, fiscal_year=fiscal_year).first()
        if year is None:
            return Response(
                {
                    "error": {
                        "code": "joint_service_year_not_found",
                        "message": "この年度の予算はまだ登録されていません。",
                        "fields": {},
                    }
                },
                status=404,
            )
        data = YearOutput(year).data
        data["participants"] = ParticipantIO(
            [
                {
                    "body_code": p.body.code,
                    "joined_month": p.joined_month,
                    "left_month": p.left_month,
                    "usage_count": p.usage_count,
                }
                for p in participation_list(service_year=year)
            ],
            many=True,
        ).data
        return Response(data)

    @extend_schema(request=InputSerializer, responses={200: YearOutput})
    def put(self, request: Request, service_id: int, fiscal_year: int) -> Response:
        viewer = viewer_from_request(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        participants = values.pop("participants", None)
        year = joint_service_year_set(
            viewer=viewer, service_id=service_id, fiscal_year=fiscal_year, **values
        )
        if participants is not None:
            participation_set(
                viewer=viewer,
                service_year_id=year.pk,
                participants=[ParticipantInput(**p) for p in participants],
            )
        return self.get(request, service_id, fiscal_year)
