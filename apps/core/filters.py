"""List filters: one django-filter FilterSet per list, shared by its page and its API, so a
value from the query string is typed and bounded before it reaches a query."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from apps.core.errors import ApplicationError
from apps.core.forms import FiscalYearField, TextField


class FiscalYearFilter(django_filters.Filter):
    """fiscal_year=2026: between 2000 and five years ahead; 0 or any other value is an error."""

    field_class = FiscalYearField


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class BodyCodeFilter(django_filters.CharFilter):
    """A body's six-digit code (全国地方公共団体コード)."""

    field_class = forms.RegexField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "団体コード")
        super().__init__(regex=r"^\d{6}$", **kwargs)


def filtered(filterset: django_filters.FilterSet) -> Any:
    """The filtered queryset, or a 400 naming each bad filter (the same JSON error and error
    page as every other refusal)."""
    if not filterset.is_valid():
        raise ApplicationError(
            "絞り込みの条件に誤りがあります: "
            + "、".join(
                f"{filterset.form.fields[name].label or name}: {errors[0]}"
                for name, errors in filterset.errors.items()
            ),
            "invalid_filter",
            fields={name: [str(e) for e in errors] for name, errors in filterset.errors.items()},
        )
    return filterset.qs
