"""The one place where errors become JSON: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import ApplicationError

_CODES = {
    status.HTTP_400_BAD_REQUEST: (
        "invalid",
        "入力内容に誤りがあります。各項目のメッセージを確認してください。",
    ),
    status.HTTP_401_UNAUTHORIZED: ("not_authenticated", "ログインしてください。"),
    status.HTTP_403_FORBIDDEN: ("forbidden", "この操作の権限がありません。"),
    status.HTTP_404_NOT_FOUND: ("not_found", "見つかりません。"),
    status.HTTP_405_METHOD_NOT_ALLOWED: ("method_not_allowed", "この方法では操作できません。"),
    status.HTTP_429_TOO_MANY_REQUESTS: ("throttled", "しばらく待ってから再度お試しください。"),
}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code, message = _CODES.get(response.status_code, ("error", "エラーが発生しました。"))
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = f"{message} ({', '.join(str(f) for f in fields)})"
    elif isinstance(exc, exceptions.APIException) and response.status_code != 400:
        # DRF's own code, e.g. "not_authenticated", "authentication_failed", "permission_denied".
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
        if str(exc.detail) != str(exc.default_detail):
            message = str(exc.detail)  # the portal's own words (a permission's or a token's)
    response.data = error_body(code, message, fields)
    return response


class ErrorFields(serializers.Serializer):
    code = serializers.CharField(help_text="A stable code clients can match on.")
    message = serializers.CharField(help_text="What was wrong and what to do, in Japanese.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="The input fields at fault, each with its messages.",
    )


class ErrorResponse(serializers.Serializer):
    """Every error of the API: {"error": {"code", "message", "fields"}}."""

    error = ErrorFields()


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """?limit= (1-500, default 100) and ?offset= (at most 10,000,000): a larger number is
    clipped, never handed to the database."""

    default_limit = 100
    max_limit = 500
    max_offset = 10_000_000

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), self.max_offset)
