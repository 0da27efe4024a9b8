from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.domain.errors import DomainError
from apps.core.errors import ApplicationError
from apps.core.redis_cache import request_scope


class CacheScopeMiddleware:
    """The first middleware: what a request reads ahead from the cache (apps/core/
    redis_cache.py) lives for that request only."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)  # type: ignore[no-any-return]


class ApplicationErrorMiddleware:
    """The one HTML error path: a domain refusal raised in a page view becomes an error page
    with its status, the message (what was wrong, what to do) and the code."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, ApplicationError):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        if isinstance(exc, DomainError):
            return render(request, "error.html", {"error": exc}, status=400)
        return None
