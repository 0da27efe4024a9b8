from __future__ import annotations

from django.contrib.auth import authenticate, logout
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.auth import role_allowed_here
from apps.accounts.models import Role
from apps.accounts.permissions import IsBodyAdmin, OnBodySite
from apps.accounts.selectors import staff_list
from apps.accounts.services import staff_create
from apps.accounts.tokens import (
    api_token_issue,
    api_token_list,
    api_token_revoke,
    api_tokens_revoke_all,
)
from apps.accounts.viewer import viewer_from_request
from apps.core.api import ErrorResponse
from apps.core.errors import ApplicationError
from apps.core.serializers import TextSerializerField


class TokenOutput(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField(help_text="キーの先頭8文字 (一覧で見分けるため)")
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class TokenIssuedOutput(TokenOutput):
    token = serializers.CharField(help_text="APIキー。この応答でだけ表示されます。")


class TokenObtainApi(APIView):
    """Exchange a log-in name and password for an API token, at the site the user belongs to.
    The token expires after API_TOKEN_TTL_DAYS days (30 unless set) and is revoked at log-out."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    class InputSerializer(serializers.Serializer):
        username = TextSerializerField(max_length=150)
        password = serializers.CharField(max_length=128, style={"input_type": "password"})
        name = TextSerializerField(
            max_length=100, required=False, allow_blank=True, default="", help_text="用途のメモ"
        )

    @extend_schema(
        request=InputSerializer,
        responses={
            200: TokenIssuedOutput,
            429: ErrorResponse,  # the name is locked out after repeated failures
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            raise ApplicationError(
                "ログインの失敗が続いたため、このIDは一時的にロックされています。"
                "1時間後に再度お試しいただくか、管理者に連絡してください。",
                "locked_out",
                status=429,
            )
        if user is None:
            raise ApplicationError(
                "ログインIDまたはパスワードが正しくありません。", "invalid_credentials", status=400
            )
        if not role_allowed_here(user.role):
            raise ApplicationError("このアカウントはこのサイトでは使えません。", "wrong_site")
        token, key = api_token_issue(user=user, name=data.validated_data["name"])
        return Response({**TokenOutput(token).data, "token": key})


class TokensApi(APIView):
    """The caller's own tokens that still work."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TokenOutput(many=True)})
    def get(self, request: Request) -> Response:
        return Response(
            TokenOutput(api_token_list(viewer=viewer_from_request(request)), many=True).data
        )


class TokenRevokeApi(APIView):
    """Revoke one of the caller's tokens (it stops working at once)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        api_token_revoke(viewer=viewer_from_request(request), token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutApi(APIView):
    """Log out: every API token of the caller is revoked (and a browser session ends)."""

    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        revoked = serializers.IntegerField(help_text="失効させたトークンの数")

    @extend_schema(request=None, responses={200: OutputSerializer})
    def post(self, request: Request) -> Response:
        user = request.user
        revoked = api_tokens_revoke_all(user=user)
        logout(request._request)
        return Response({"revoked": revoked})


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
        username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
        full_name = TextSerializerField(max_length=100)
        email = serializers.EmailField(required=False, default="", max_length=254)
        role = serializers.ChoiceField(choices=[Role.BODY_STAFF, Role.BODY_ADMIN])
        password = serializers.CharField(write_only=True, max_length=128)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField()
        email = serializers.CharField(help_text="メールアドレス (未登録は空)")
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
