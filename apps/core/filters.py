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


class StaticFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters are the same for every request (fixed choices, no bound that
    depends on today) builds its form class once, not on every request: django-filter makes a
    new class from fresh fields each time, about a tenth of the catalogue page. Each form is
    still its own instance, with its own copy of the fields."""

    _form_classes: dict[type, type] = {}

    def get_form_class(self) -> Any:
        cls = type(self)
        form_class = StaticFilterSet._form_classes.get(cls)
        if form_class is None:
            form_class = StaticFilterSet._form_classes[cls] = super().get_form_class()
        return form_class


class InvalidFilters(Exception):
    """A page's filters refused the query: raised out of a cached() compute (which keeps no
    exception), so that only a query that passed is kept and a kept one needs no form; the
    page is then written from `filterset` with its errors, status 400."""

    def __init__(self, filterset: Any) -> None:  # the page's own FilterSet class
        super().__init__()
        self.filterset = filterset


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
