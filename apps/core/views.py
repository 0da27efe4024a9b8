"""Small helpers shared by the HTML views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from apps.core.errors import ApplicationError

T = TypeVar("T")


def attempt(
    request: HttpRequest,
    action: Callable[[], T],
    *,
    success: str,
    form: forms.BaseForm | None = None,
) -> T | None:
    """Run a service call from a page. On success flash `success`; on a domain refusal put its
    message on the form (field errors on their fields) or flash it, and return None. Nothing is
    written on refusal: services are atomic."""
    try:
        result = action()
    except ApplicationError as exc:
        if form is not None:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
            form.add_error(None, exc.message)
        else:
            messages.error(request, f"{exc.message} (コード: {exc.code})")
        return None
    messages.success(request, success)
    return result


def page_number(request: HttpRequest) -> Any:
    return request.GET.get("page") or 1
