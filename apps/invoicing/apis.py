from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import OnPublicSite
from apps.accounts.viewer import viewer_from_request
from apps.core.errors import ApplicationError
from apps.invoicing.domain.apportionment import ApportionmentError, Member, Method, apportion

MAX_MEMBERS = 5000


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain digits (never "1E+3"), as the API returns weights and raw shares."""
    return format(value, "f")


class IsSecretariatOrOperator(BasePermission):
    message = "試算は事務局 (または運営者) だけが使えます。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        viewer = viewer_from_request(request)
        return viewer.is_secretariat or viewer.is_operator


class ApportionmentPreviewApi(APIView):
    """What-if apportionment (試算): split a total among members without saving anything.

    `population` for the population method, `usage` for the usage-count method, `fixed_yen` for
    a member that pays a fixed amount; `months` (1-12, default 12) for part of a year."""

    permission_classes = [OnPublicSite, IsAuthenticated, IsSecretariatOrOperator]

    class MemberInput(serializers.Serializer):
        code = serializers.CharField(max_length=20)
        population = serializers.IntegerField(required=False, allow_null=True)
        usage = serializers.IntegerField(required=False, allow_null=True)
        months = serializers.IntegerField(required=False, default=12)
        fixed_yen = serializers.IntegerField(required=False, allow_null=True)

    class InputSerializer(serializers.Serializer):
        total_yen = serializers.IntegerField()
        equal_part = serializers.DecimalField(
            max_digits=12, decimal_places=10, required=False, default=Decimal(0)
        )
        doubling_factor = serializers.DecimalField(
            max_digits=12, decimal_places=10, required=False, default=Decimal("1.5")
        )
        members = serializers.ListField(allow_empty=True, max_length=MAX_MEMBERS)

    class ShareOutput(serializers.Serializer):
        code = serializers.CharField()
        amount_yen = serializers.IntegerField()
        weight = serializers.CharField()
        raw_share = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        total_yen = serializers.IntegerField()
        shares = serializers.ListField(child=serializers.DictField())

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members: list[Member] = []
        for i, raw in enumerate(data.validated_data["members"]):
            item = self.MemberInput(data=raw)
            if not item.is_valid():
                field, problems = next(iter(item.errors.items()))
                name = f"members[{i}].{field}"
                raise ApplicationError(
                    f"{name}: {problems[0]}",
                    "invalid_member",
                    fields={name: [str(p) for p in problems]},
                )
            members.append(Member(**item.validated_data))
        uses_usage = [m.usage is not None for m in members if m.fixed_yen is None]
        if any(uses_usage) and not all(uses_usage):
            raise ApplicationError(
                "members: 人口 (population) と利用件数 (usage) を混ぜられません。",
                "mixed_basis",
                fields={"members": ["population or usage"]},
            )
        method = Method(
            equal_part=data.validated_data["equal_part"],
            doubling_factor=data.validated_data["doubling_factor"],
            basis="usage" if uses_usage and all(uses_usage) else "population",
        )
        try:
            shares = apportion(data.validated_data["total_yen"], members, method)
        except ApportionmentError as exc:
            raise ApplicationError(
                f"{exc.field}: {exc.message}", exc.code, fields={exc.field: [exc.message]}
            ) from exc
        return Response(
            {
                "total_yen": data.validated_data["total_yen"],
                "shares": [
                    {
                        "code": s.code,
                        "amount_yen": s.amount_yen,
                        "weight": decimal_text(s.weight),
                        "raw_share": decimal_text(s.raw_share),
                    }
                    for s in shares
                ],
            }
        )
