from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.viewer import viewer_from_request
from apps.groups.models import GroupKind
from apps.groups.selectors import group_get, group_list, membership_list
from apps.tenants.models import PopulationSource


class GroupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=GroupKind.choices)
    secretariat_code = serializers.CharField(source="secretariat.code")
    secretariat_name = serializers.CharField(source="secretariat.name")
    member_count = serializers.IntegerField()


class GroupListApi(APIView):
    """The groups the caller may see (a secretariat's own; a body's memberships)."""

    @extend_schema(responses={200: GroupOutput(many=True)})
    def get(self, request: Request) -> Response:
        groups = group_list(viewer=viewer_from_request(request))
        return Response(GroupOutput(groups, many=True).data)


class GroupDetailApi(APIView):
    class MemberOutput(serializers.Serializer):
        code = serializers.CharField(source="body.code")
        name = serializers.CharField(source="body.name")
        joined_on = serializers.DateField()
        population = serializers.IntegerField(allow_null=True)
        population_source = serializers.SerializerMethodField()

        def get_population_source(self, obj: object) -> str:
            return self.context["source"]

    class OutputSerializer(GroupOutput):
        members = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: Request, group_id: int) -> Response:
        group = group_get(viewer=viewer_from_request(request), group_id=group_id)
        members = membership_list(viewer=viewer_from_request(request), group_id=group.pk)
        data = GroupOutput(group).data
        data["members"] = self.MemberOutput(
            members, many=True, context={"source": PopulationSource.CENSUS_2020}
        ).data
        return Response(data)
