from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import page_of, paginated
from apps.core.errors import NotFound
from apps.core.filters import filtered
from apps.tenants.filters import BodyFilter
from apps.tenants.models import BodyKind, PopulationSource
from apps.tenants.selectors import body_list, latest_population


class BodyOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kana = serializers.CharField()
    prefecture = serializers.CharField()
    kind = serializers.ChoiceField(choices=BodyKind.choices)
    slug = serializers.CharField()
    provisioned = serializers.BooleanField(source="is_provisioned")
    population_2020 = serializers.IntegerField(allow_null=True)


def _with_population(qs):  # type: ignore[no-untyped-def]
    return qs.annotate(population_2020=latest_population("pk", PopulationSource.CENSUS_2020))


class BodyListApi(APIView):
    """The reference list of all bodies (public information: codes, names, census figures)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("prefecture", str, description="都道府県 (例: 愛知県)"),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(BodyOutput)},
    )
    def get(self, request: Request) -> Response:
        qs = filtered(BodyFilter(request.query_params, queryset=body_list()))
        return paginated(request, self, _with_population(qs), BodyOutput)


class BodyDetailApi(APIView):
    class FigureOutput(serializers.Serializer):
        population = serializers.IntegerField()
        source = serializers.CharField()
        reference_date = serializers.DateField()

    @extend_schema(responses={200: BodyOutput})
    def get(self, request: Request, code: str) -> Response:
        body = _with_population(body_list().filter(code=code)).first()
        if body is None:
            raise NotFound(f"団体コード {code} の団体はありません。", "body_not_found")
        data = BodyOutput(body).data
        data["population_figures"] = self.FigureOutput(
            body.population_figures.order_by("reference_date"), many=True
        ).data
        return Response(data)
