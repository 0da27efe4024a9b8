from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.auth import role_allowed_here
from apps.accounts.models import Role
from apps.accounts.permissions import IsBodyAdmin, OnBodySite
from apps.accounts.selectors import staff_list
from apps.accounts.services import staff_create
from apps.accounts.viewer import viewer_from_request
from apps.core.errors import ApplicationError


class TokenObtainApi(APIView):
    """Exchange a log-in name and password for an API token, at the site the user belongs to."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"})

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, **data.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            raise ApplicationError(
                "ログインの失敗が続いたため、このIDは一時的にロックされています。"
                "1時間後に再度お試しいただくか、管理者に連絡してください。",
                "locked_out",
                status=403,
            )
        if user is None:
            raise ApplicationError(
                "ログインIDまたはパスワードが正しくありません。", "invalid_credentials", status=400
            )
        if not role_allowed_here(user.role):
            raise ApplicationError("このアカウントはこのサイトでは使えません。", "wrong_site")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        full_name = serializers.CharField()
        role = serializers.ChoiceField(choices=Role.choices)
        body_code = serializers.CharField(allow_null=True)
        body_name = serializers.CharField(allow_null=True)

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request: Request) -> Response:
        viewer = viewer_from_request(request)
        user = viewer.user
        return Response(
            self.OutputSerializer(
                {
                    "username": user.username,
                    "full_name": user.full_name,
                    "role": user.role,
                    "body_code": viewer.body.code if viewer.body else None,
                    "body_name": viewer.body.name if viewer.body else None,
                }
            ).data
        )


class StaffListCreateApi(APIView):
    """A body's staff (its local administrator only)."""

    permission_classes = [OnBodySite, IsAuthenticated, IsBodyAdmin]

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        full_name = serializers.CharField(max_length=100)
        email = serializers.EmailField(required=False, default="")
        role = serializers.ChoiceField(choices=[Role.BODY_STAFF, Role.BODY_ADMIN])
        password = serializers.CharField(write_only=True)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField()
        email = serializers.EmailField()
        role = serializers.CharField()
        is_active = serializers.BooleanField()

    @extend_schema(responses={200: OutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        users = staff_list(viewer=viewer_from_request(request))
        return Response(self.OutputSerializer(users, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = staff_create(viewer=viewer_from_request(request), **data.validated_data)
        return Response(self.OutputSerializer(user).data, status=status.HTTP_201_CREATED)
