"""API input fields with the portal's bounds (apps.core.domain.bounds), so every serializer
refuses what the forms refuse and the OpenAPI schema shows the limits."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from apps.core.domain import bounds
from apps.core.forms import CONTROL_MESSAGE


def _no_control_characters(multiline: bool):  # type: ignore[no-untyped-def]
    def check(value: str) -> None:
        if bounds.has_control_characters(value, multiline=multiline):
            raise serializers.ValidationError(CONTROL_MESSAGE, code="control_characters")

    return check


class TextSerializerField(serializers.CharField):
    """Text with a maximum length (200 unless given) and no control characters (tab and line
    breaks are allowed where multiline=True)."""

    def __init__(self, *, max_length: int = bounds.SHORT_TEXT, multiline: bool = False, **kw: Any):
        super().__init__(max_length=max_length, **kw)
        self.validators.append(_no_control_characters(multiline))


class YenSerializerField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", bounds.MAX_YEN)
        super().__init__(**kwargs)


class IdSerializerField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=bounds.MAX_ID, **kwargs)


class FiscalYearSerializerField(serializers.IntegerField):
    """A fiscal year (西暦), 2000 to five years after the current one."""

    def __init__(self, **kwargs: Any) -> None:
        first, last = bounds.fiscal_year_bounds(timezone.localdate())
        super().__init__(min_value=first, max_value=last, **kwargs)


def _year_in_bounds(value: Any) -> None:
    first, last = bounds.fiscal_year_bounds(timezone.localdate())
    if not first <= value.year <= last + 1:
        raise serializers.ValidationError(
            f"{first}年から{last + 1}年までの日付を指定してください。", code="out_of_range"
        )


class DateSerializerField(serializers.DateField):
    """A date (YYYY-MM-DD) in the years the portal deals with (2000 to six years ahead)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_year_in_bounds)


class DateTimeSerializerField(serializers.DateTimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(_year_in_bounds)


_PLAIN_FIELDS = (
    serializers.IntegerField,
    serializers.CharField,
    serializers.BooleanField,
    serializers.DateField,
    serializers.DecimalField,
)


class PlainOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An output serializer of plain values (integers, text, booleans, dates, decimals, and
    lists of those) binds its fields once per class, not once per response: DRF builds every
    field anew for each serializer (a fifth of the quote API's time). Such fields read their
    source and convert the value without the serializer's context, so sharing them is safe;
    any other kind of field is refused when the fields are first built."""

    @property
    def fields(self) -> Any:  # type: ignore[override]
        cls = type(self)
        bound = cls.__dict__.get("_plain_fields")
        if bound is None:
            bound = serializers.Serializer.fields.func(self)  # type: ignore[attr-defined]
            for name, field in bound.items():
                inner = field.child if isinstance(field, serializers.ListField) else field
                if not isinstance(inner, _PLAIN_FIELDS):
                    raise TypeError(f"{cls.__name__}.{name} is not a plain field")
            cls._plain_fields = bound  # type: ignore[attr-defined]
        return bound
