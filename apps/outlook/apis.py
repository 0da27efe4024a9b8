"""API of the outlook: a body's fiscal year (its own site) and a secretariat's members."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsBodyUser, OnBodySite, OnPublicSite
from apps.accounts.viewer import viewer_from_request
from apps.core.domain.fiscal import fiscal_year_of
from apps.core.serializers import FiscalYearSerializerField, IdSerializerField
from apps.outlook import selectors


def _next_year() -> int:
    return fiscal_year_of(timezone.localdate()) + 1


class OutlookLineOutput(serializers.Serializer):
    key = serializers.CharField()
    flow = serializers.ChoiceField(choices=["burden", "usage", "talent"])
    pattern = serializers.CharField()
    label = serializers.CharField()
    state = serializers.ChoiceField(
        choices=["projected", "draft", "issued"],
        help_text="projected: 見込み (請求前) / draft, issued: 請求書の額",
    )
    gross_yen = serializers.IntegerField(help_text="見込額 (税込)")
    scheme = serializers.CharField(help_text="支援制度 (なし: 空)")
    rate = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    covered_yen = serializers.IntegerField(help_text="支援額 (円未満切り捨て)")
    capped = serializers.BooleanField(help_text="上限で減額された")
    net_yen = serializers.IntegerField(help_text="実質負担")
    note = serializers.CharField()
    why = serializers.CharField(help_text="金額の根拠を示すページ")


class OutlookTotalOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    gross_yen = serializers.IntegerField()
    covered_yen = serializers.IntegerField()
    net_yen = serializers.IntegerField()


class OutlookChangeOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    before_yen = serializers.IntegerField(help_text="比較年度の実質負担")
    after_yen = serializers.IntegerField()
    difference_yen = serializers.IntegerField()


class OutlookOutput(serializers.Serializer):
    body_code = serializers.CharField(source="body.code")
    fiscal_year = serializers.IntegerField()
    compare_year = serializers.IntegerField()
    lines = OutlookLineOutput(many=True)
    by_flow = OutlookTotalOutput(many=True)
    by_pattern = OutlookTotalOutput(many=True)
    total = OutlookTotalOutput()
    changes = OutlookChangeOutput(many=True)
    problems = serializers.ListField(child=serializers.DictField(), help_text="計算できない行")


class OutlookApi(APIView):
    """The body's outlook for a fiscal year (default: the next), with an optional what-if."""

    permission_classes = [OnBodySite, IsAuthenticated, IsBodyUser]

    class QuerySerializer(serializers.Serializer):
        fiscal_year = FiscalYearSerializerField(required=False)
        add_listing = IdSerializerField(required=False, help_text="試算に加えるサービス")
        add_option = IdSerializerField(required=False, help_text="試算に加える共同化案")

    @extend_schema(parameters=[QuerySerializer], responses={200: OutlookOutput})
    def get(self, request: Request) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(query.validated_data)
        outlook = selectors.outlook_with(
            viewer=viewer_from_request(request),
            fiscal_year=data.pop("fiscal_year", None) or _next_year(),
            **data,
        )
        return Response(OutlookOutput(outlook).data)


class OutlookMemberOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    burden_yen = serializers.IntegerField()
    usage_yen = serializers.IntegerField()
    covered_yen = serializers.IntegerField()
    net_yen = serializers.IntegerField()
    near_caps = serializers.ListField(child=serializers.CharField(), help_text="上限の8割以上")


class GroupOutlookOutput(serializers.Serializer):
    group_id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    members = OutlookMemberOutput(many=True)


class GroupOutlookApi(APIView):
    """Every current member of one of the secretariat's groups, for a fiscal year."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    class QuerySerializer(serializers.Serializer):
        fiscal_year = FiscalYearSerializerField(required=False)

    @extend_schema(parameters=[QuerySerializer], responses={200: GroupOutlookOutput})
    def get(self, request: Request, group_id: int) -> Response:
        query = self.QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        fy = query.validated_data.get("fiscal_year") or _next_year()
        group, rows = selectors.group_outlook(
            viewer=viewer_from_request(request), group_id=group_id, fiscal_year=fy
        )
        return Response(
            GroupOutlookOutput(
                {"group_id": group.pk, "fiscal_year": fy, "members": [vars(r) for r in rows]}
            ).data
        )
