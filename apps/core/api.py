"""The one place where errors become JSON: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.domain.errors import DomainError
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


def flat_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors as one level: {"documents[0].title": ["..."]}, so that every error
    names the exact input, and "fields" always maps a name to a list of messages."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = (
                f"{prefix}[{key}]"
                if str(key).isdigit()
                else (f"{prefix}.{key}" if prefix else str(key))
            )
            out.update(flat_errors(value, name))
    elif isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        for i, value in enumerate(detail):
            if value:
                out.update(flat_errors(value, f"{prefix}[{i}]"))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(v) for v in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DomainError):
        message = f"{exc.field}: {exc.message}" if exc.field else exc.message
        return Response(error_body(exc.code, message, exc.fields), status=400)
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
        fields = flat_errors(detail if isinstance(detail, dict) else {"non_field_errors": detail})
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


def paginated(request: Any, view: Any, qs: Any, output: type) -> Response:
    """A page of `qs` as {"count", "next", "previous", "results"} (?limit=&offset=), the one
    way every API list is paged."""
    paginator = BoundedLimitOffsetPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(output(page, many=True).data)


_PAGES: dict[type, type] = {}


def page_of(output: type) -> type:
    """The documented shape of `paginated(..., output)`: a component named
    Paginated<Output>List with the page's fields and the rows."""
    if output not in _PAGES:
        name = f"Paginated{output.__name__.removesuffix('Serializer')}List"
        _PAGES[output] = type(
            name,
            (serializers.Serializer,),
            {
                "__module__": __name__,
                "__qualname__": name,
                "count": serializers.IntegerField(help_text="全件数"),
                "next": serializers.URLField(allow_null=True, help_text="次のページ"),
                "previous": serializers.URLField(allow_null=True, help_text="前のページ"),
                "results": output(many=True),
            },
        )
    return _PAGES[output]
