"""API of council joint services (the secretariat defines them; members read theirs)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import WritesBySecretariat
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.core.domain.bounds import LONG_TEXT, MAX_COUNT
from apps.core.serializers import IdSerializerField, TextSerializerField, YenSerializerField
from apps.groups.models import ApportionmentKind, JointServiceYear
from apps.groups.selectors import (
    joint_service_get,
    joint_service_list,
    joint_service_year_get,
    joint_service_years,
    participation_list,
)
from apps.groups.services import ParticipantInput, joint_service_create, joint_service_year_save
from apps.tenants.models import PopulationSource


class JointServiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    group_name = serializers.CharField(source="group.name")
    name = serializers.CharField()
    description = serializers.CharField()


MAX_MEMBERS = 2000


class YearOutput(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    total_cost_yen = serializers.IntegerField()
    method = serializers.ChoiceField(choices=ApportionmentKind.choices)
    equal_part = serializers.DecimalField(max_digits=5, decimal_places=4)
    doubling_factor = serializers.DecimalField(max_digits=6, decimal_places=4)
    population_source = serializers.ChoiceField(choices=PopulationSource.choices)
    prorate_by_month = serializers.BooleanField()
    participants = serializers.IntegerField(required=False, help_text="参加団体数")


class ParticipantIO(serializers.Serializer):
    body_code = serializers.RegexField(r"^\d{6}$", max_length=6)
    joined_month = serializers.DateField(required=False, allow_null=True, default=None)
    left_month = serializers.DateField(required=False, allow_null=True, default=None)
    usage_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_COUNT, default=None
    )


class JointServicesApi(APIView):
    permission_classes = [IsAuthenticated, WritesBySecretariat]

    class InputSerializer(serializers.Serializer):
        group_id = IdSerializerField()
        name = TextSerializerField(max_length=100)
        description = TextSerializerField(
            required=False, allow_blank=True, default="", max_length=LONG_TEXT
        )

    @extend_schema(responses={200: JointServiceOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            JointServiceOutput(
                joint_service_list(viewer=viewer_from_request(request)), many=True
            ).data
        )

    @extend_schema(
        request=InputSerializer,
        responses={201: JointServiceOutput},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = joint_service_create(viewer=viewer_from_request(request), **data.validated_data)
        return Response(JointServiceOutput(service).data, status=status.HTTP_201_CREATED)


class JointServiceDetailOutput(JointServiceOutput):
    years = YearOutput(many=True, source="years_list")


class JointServiceDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: JointServiceDetailOutput})
    def get(self, request: Request, service_id: int) -> Response:
        viewer = viewer_from_request(request)
        service = joint_service_get(viewer=viewer, service_id=service_id)
        years = joint_service_years(viewer=viewer, service_id=service.pk)
        service.years_list = years  # type: ignore[attr-defined]
        return Response(JointServiceDetailOutput(service).data)


class YearDetailOutput(YearOutput):
    participants = ParticipantIO(many=True)  # type: ignore[assignment]


class JointServiceYearInput(serializers.Serializer):
    """A fiscal year's budget, apportionment method and participants. PUT names every field
    (the whole year is replaced); PATCH only those it changes."""

    total_cost_yen = YenSerializerField()
    method = serializers.ChoiceField(choices=ApportionmentKind.choices)
    equal_part = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1)
    )
    doubling_factor = serializers.DecimalField(
        max_digits=6, decimal_places=4, min_value=Decimal("1.0001"), max_value=Decimal(10)
    )
    population_source = serializers.ChoiceField(choices=PopulationSource.choices)
    prorate_by_month = serializers.BooleanField()
    participants = ParticipantIO(many=True, max_length=MAX_MEMBERS)


class JointServiceYearApi(APIView):
    """GET a fiscal year's budget with its participants; PUT replaces it whole, PATCH changes
    the fields it names. Either saves everything or, refused, nothing."""

    permission_classes = [IsAuthenticated, WritesBySecretariat]

    @extend_schema(responses={200: YearDetailOutput})
    def get(self, request: Request, service_id: int, fiscal_year: int) -> Response:
        viewer = viewer_from_request(request)
        year = joint_service_year_get(viewer=viewer, service_id=service_id, fiscal_year=fiscal_year)
        return Response(self._output(viewer, year))

    def _output(self, viewer: Viewer, year: JointServiceYear) -> dict:
        data = dict(YearOutput(year).data)
        data["participants"] = ParticipantIO(
            [
                {
                    "body_code": p.body.code,
                    "joined_month": p.joined_month,
                    "left_month": p.left_month,
                    "usage_count": p.usage_count,
                }
                for p in participation_list(
                    viewer=viewer, service_id=year.service_id, fiscal_year=year.fiscal_year
                )
            ],
            many=True,
        ).data
        return data

    def _save(self, request: Request, service_id: int, fiscal_year: int, *, partial: bool):  # type: ignore[no-untyped-def]
        viewer = viewer_from_request(request)
        data = JointServiceYearInput(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        participants = values.pop("participants", None)
        joint_service_year_save(
            viewer=viewer,
            service_id=service_id,
            fiscal_year=fiscal_year,
            values=values,
            participants=None
            if participants is None
            else [ParticipantInput(**p) for p in participants],
            partial=partial,
        )
        year = joint_service_year_get(viewer=viewer, service_id=service_id, fiscal_year=fiscal_year)
        return Response(self._output(viewer, year))

    @extend_schema(
        request=JointServiceYearInput,
        responses={
            200: YearDetailOutput,
        },
    )
    def put(self, request: Request, service_id: int, fiscal_year: int) -> Response:
        return self._save(request, service_id, fiscal_year, partial=False)

    @extend_schema(
        request=JointServiceYearInput(partial=True),
        responses={
            200: YearDetailOutput,
        },
    )
    def patch(self, request: Request, service_id: int, fiscal_year: int) -> Response:
        return self._save(request, service_id, fiscal_year, partial=True)
