from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import AdviserEngagement, TalentKind
from apps.accounts.permissions import IsBodyAdmin, OnBodySite
from apps.accounts.viewer import viewer_from_request
from apps.core.domain.bounds import LONG_TEXT
from apps.core.errors import ApplicationError
from apps.core.serializers import (
    DateSerializerField,
    DateTimeSerializerField,
    FiscalYearSerializerField,
    IdSerializerField,
    TextSerializerField,
    YenSerializerField,
)
from apps.training.forms import MAX_CAPACITY, MAX_PER_BODY_CAP, SeatFilterForm
from apps.training.models import Delivery, EligibleRole, ProgrammeKind
from apps.training.selectors import engagement_list, seat_list, session_list
from apps.training.services import (
    attendance_record,
    covered_part,
    covered_parts,
    engagement_record,
    programme_create,
    seat_apply,
    seat_approve,
    seat_cancel,
    session_create,
)


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    programme_id = serializers.IntegerField()
    programme_title = serializers.CharField(source="programme.title")
    fiscal_year = serializers.IntegerField(source="programme.fiscal_year")
    eligible_role = serializers.CharField(source="programme.eligible_role")
    per_body_cap = serializers.IntegerField(source="programme.per_body_cap", allow_null=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField()
    online_url = serializers.CharField()
    capacity = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    waiting = serializers.IntegerField()
    application_deadline = serializers.DateTimeField()
    cancellation_deadline = serializers.DateTimeField()


class SeatOutput(serializers.Serializer):
    id = serializers.IntegerField()
    session_id = serializers.IntegerField()
    body_code = serializers.CharField(source="body.code")
    staff_id = serializers.IntegerField()
    participant_name = serializers.CharField()
    status = serializers.CharField()
    applied_at = serializers.DateTimeField()
    attended = serializers.BooleanField(allow_null=True)
    completed = serializers.BooleanField()
    certificate_number = serializers.CharField()


class SessionsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SessionOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            SessionOutput(session_list(viewer=viewer_from_request(request)), many=True).data
        )


class SessionApplyApi(APIView):
    """Apply for a seat: for oneself, or (the body's administrator) for a named staff_id."""

    permission_classes = [OnBodySite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        staff_id = IdSerializerField(
            required=False,
            allow_null=True,
            default=None,
            help_text="団体管理者が職員を指定するとき",
        )

    @extend_schema(
        request=InputSerializer,
        responses={201: SeatOutput},
    )
    def post(self, request: Request, session_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seat = seat_apply(
            viewer=viewer_from_request(request),
            session_id=session_id,
            staff_id=data.validated_data["staff_id"],
        )
        return Response(SeatOutput(seat).data, status=201)


class SeatsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("session", int, description="日程のid")],
        responses={200: SeatOutput(many=True)},
    )
    def get(self, request: Request) -> Response:
        form = SeatFilterForm(request.query_params)
        if not form.is_valid():
            raise ApplicationError(
                "session は日程の番号で指定してください。",
                "invalid_filter",
                fields={k: [str(e) for e in v] for k, v in form.errors.items()},
            )
        seats = seat_list(
            viewer=viewer_from_request(request), session_id=form.cleaned_data["session"]
        )
        return Response(SeatOutput(seats, many=True).data)


class SeatCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(SeatOutput):
        promoted_seat_id = serializers.IntegerField(
            allow_null=True, help_text="空いた席に繰り上がった受講のid"
        )

    @extend_schema(
        request=None,
        responses={
            200: OutputSerializer,
        },
    )
    def post(self, request: Request, seat_id: int) -> Response:
        seat, promoted = seat_cancel(viewer=viewer_from_request(request), seat_id=seat_id)
        data = SeatOutput(seat).data
        data["promoted_seat_id"] = promoted.pk if promoted else None
        return Response(data)


class SeatApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()

    @extend_schema(
        request=InputSerializer,
        responses={200: SeatOutput},
    )
    def post(self, request: Request, seat_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            SeatOutput(
                seat_approve(
                    viewer=viewer_from_request(request), seat_id=seat_id, **data.validated_data
                )
            ).data
        )


class SeatAttendanceApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        attended = serializers.BooleanField()
        completed = serializers.BooleanField(default=False)

    @extend_schema(
        request=InputSerializer,
        responses={200: SeatOutput},
    )
    def post(self, request: Request, seat_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            SeatOutput(
                attendance_record(
                    viewer=viewer_from_request(request), seat_id=seat_id, **data.validated_data
                )
            ).data
        )


class ProgrammesApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        group_id = IdSerializerField()
        fiscal_year = FiscalYearSerializerField()
        title = TextSerializerField(max_length=200)
        kind = serializers.ChoiceField(choices=ProgrammeKind.choices)
        eligible_role = serializers.ChoiceField(
            choices=EligibleRole.choices, default=EligibleRole.ANY
        )
        delivery = serializers.ChoiceField(choices=Delivery.choices, default=Delivery.IN_PERSON)
        per_body_cap = serializers.IntegerField(
            min_value=1, max_value=MAX_PER_BODY_CAP, required=False, allow_null=True, default=None
        )
        requires_body_approval = serializers.BooleanField(default=False)
        description = TextSerializerField(
            required=False, allow_blank=True, default="", max_length=LONG_TEXT, multiline=True
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()

    @extend_schema(
        request=InputSerializer,
        responses={
            201: OutputSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programme = programme_create(viewer=viewer_from_request(request), **data.validated_data)
        return Response({"id": programme.pk, "title": programme.title}, status=201)


class ProgrammeSessionsApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        starts_at = DateTimeSerializerField()
        ends_at = DateTimeSerializerField()
        capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY)
        application_deadline = DateTimeSerializerField()
        cancellation_deadline = DateTimeSerializerField()
        venue = TextSerializerField(required=False, allow_blank=True, default="", max_length=200)
        online_url = serializers.URLField(
            required=False, allow_blank=True, default="", max_length=200
        )

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()

    @extend_schema(
        request=InputSerializer,
        responses={
            201: OutputSerializer,
        },
    )
    def post(self, request: Request, programme_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        session = session_create(
            viewer=viewer_from_request(request), programme_id=programme_id, **data.validated_data
        )
        return Response({"id": session.pk}, status=201)


class AdvisersApi(APIView):
    """The body's outside experts and the part the support scheme covers."""

    permission_classes = [OnBodySite, IsAuthenticated, IsBodyAdmin]

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=TalentKind.choices, default=TalentKind.ADVISER)
        role = TextSerializerField(max_length=100)
        adviser_name = TextSerializerField(max_length=200, allow_blank=True, default="")
        starts_on = DateSerializerField()
        ends_on = DateSerializerField()
        cost_yen = YenSerializerField()
        scheme_name = TextSerializerField(max_length=100, default="特別交付税措置")

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=TalentKind.choices)
        role = serializers.CharField()
        adviser_name = serializers.CharField()
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        cost_yen = serializers.IntegerField()
        scheme_name = serializers.CharField()
        rate = serializers.CharField(allow_null=True, help_text="措置率 (未登録は null)")
        covered_yen = serializers.IntegerField(allow_null=True)
        body_pays_yen = serializers.IntegerField(allow_null=True)

    @staticmethod
    def _out(e: AdviserEngagement, part: tuple[Any, int | None]) -> dict:
        rate, covered = part
        return {
            "id": e.pk,
            "kind": e.kind,
            "role": e.role,
            "adviser_name": e.adviser_name,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "cost_yen": e.cost_yen,
            "scheme_name": e.scheme_name,
            "rate": str(rate) if rate is not None else None,
            "covered_yen": covered,
            "body_pays_yen": e.cost_yen - covered if covered is not None else None,
        }

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        engagements = list(engagement_list(viewer=viewer_from_request(request)))
        parts = covered_parts(engagements)
        return Response([self._out(e, p) for e, p in zip(engagements, parts, strict=True)])

    @extend_schema(
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = engagement_record(viewer=viewer_from_request(request), **data.validated_data)
        return Response(self._out(engagement, covered_part(engagement)), status=201)
