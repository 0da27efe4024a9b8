from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework.permissions import BasePermission

from apps.accounts.viewer import refusal, viewer_from_request


class OnBodySite(BasePermission):
    """The endpoint exists only at a body's address; elsewhere it is a 404."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(request, "tenant", None) is None:
            raise Http404
        return True


class OnPublicSite(BasePermission):
    """The endpoint exists only on the public site; at a body's address it is a 404."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(request, "tenant", None) is not None:
            raise Http404
        return True


class IsBodyUser(BasePermission):
    message = refusal("body_user").message

    def has_permission(self, request: Any, view: Any) -> bool:
        return viewer_from_request(request).is_body_user


class IsBodyAdmin(BasePermission):
    message = refusal("body_admin").message

    def has_permission(self, request: Any, view: Any) -> bool:
        return viewer_from_request(request).is_body_admin


class WritesBySecretariat(BasePermission):
    """Anyone the view lets read may read; only a secretariat's staff may write (403 before the
    request body is looked at)."""

    message = refusal("secretariat").message

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return viewer_from_request(request).is_secretariat


class WritesByBodyUser(BasePermission):
    """Anyone the view lets read may read; only a body's staff may write."""

    message = refusal("body_user").message

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return viewer_from_request(request).is_body_user


class IsSecretariatOrOperator(BasePermission):
    message = refusal("secretariat_or_operator").message

    def has_permission(self, request: Any, view: Any) -> bool:
        viewer = viewer_from_request(request)
        return viewer.is_secretariat or viewer.is_operator
