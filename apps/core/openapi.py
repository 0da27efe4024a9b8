"""The OpenAPI schema's naming (drf-spectacular). Apart from apps.core.api because
drf-spectacular's AutoSchema imports DRF's generic views, which import the pagination class
named in the settings (apps.core.api)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class PortalAutoSchema(AutoSchema):
    """Component names from where a serializer is declared: an APIView's nested InputSerializer
    is "<View>Request", its OutputSerializer "<View>Response", any other nested serializer
    "<View><Name>" (ProgrammesApi.InputSerializer -> ProgrammesRequest), so two views can never
    share a component by accident."""

    def get_serializer_name(self, serializer: Any, direction: Any) -> str:
        qualname = serializer.__class__.__qualname__
        if "." not in qualname:
            return str(serializer.__class__.__name__)
        outer, inner = qualname.split(".")[-2:]
        outer = outer.removesuffix("Api")
        if inner == "InputSerializer":
            return f"{outer}Request"
        if inner == "OutputSerializer":
            return f"{outer}Response"
        return outer + inner.removesuffix("Serializer")

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        """Every operation documents the portal's JSON error for the statuses any request can
        get: 400 (bad input), 401 (no or a bad credential), 403 (wrong role), 404 (not found
        or not the viewer's), and 409 (a state that changed meanwhile) for writes."""
        from apps.core.api import ErrorResponse

        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorResponse, code, direction=direction
                )
        return responses

    def _is_list_view(self, serializer: Any = None) -> bool:
        """A page of rows (apps.core.api.page_of) is a list: its operation is "..._list"."""
        if serializer is None:
            serializer = self.get_response_serializers()
        if isinstance(serializer, dict) and serializer:
            by_code = {str(code): s for code, s in serializer.items()}
            serializer = by_code[min(by_code)]
        if isinstance(serializer, type) and serializer.__name__.startswith("Paginated"):
            return True
        return bool(super()._is_list_view(serializer))
