"""A PlainOutputSerializer shares its fields across responses and gives exactly what DRF's own
serializer gives; a field that could need the serializer's context is refused."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework import serializers

from apps.core.serializers import PlainOutputSerializer


class _Out(PlainOutputSerializer):
    n = serializers.IntegerField(source="a.n")
    text = serializers.CharField()
    on = serializers.BooleanField()
    day = serializers.DateField()
    rate = serializers.DecimalField(max_digits=4, decimal_places=2)
    steps = serializers.ListField(child=serializers.CharField())
    maybe = serializers.IntegerField(allow_null=True)


_TODAY = dt.datetime.now(tz=dt.UTC).date()  # any day: the output is the date as ISO text
_Generic = type("_Generic", (serializers.Serializer,), dict(_Out._declared_fields))


def _row(i: int) -> SimpleNamespace:
    return SimpleNamespace(
        a=SimpleNamespace(n=i),
        text=f"行{i}",
        on=bool(i % 2),
        day=_TODAY + dt.timedelta(days=i),
        rate=Decimal("0.1") * i,
        steps=[f"{i}", "二"],
        maybe=None if i % 2 else i,
    )


def test_the_same_output_as_drf_and_the_fields_are_built_once() -> None:
    for i in range(3):
        assert _Out(_row(i)).data == _Generic(_row(i)).data
    assert _Out(_row(0)).fields is _Out(_row(1)).fields
    assert _Out([_row(1), _row(2)], many=True).data == [_Generic(_row(i)).data for i in (1, 2)]
    assert _Out(_row(1)).data == {
        "n": 1,
        "text": "行1",
        "on": True,
        "day": (_TODAY + dt.timedelta(days=1)).isoformat(),
        "rate": "0.10",
        "steps": ["1", "二"],
        "maybe": None,
    }


def test_a_field_that_is_not_plain_is_refused() -> None:
    class Nested(PlainOutputSerializer):
        inner = _Out()

    with pytest.raises(TypeError, match="Nested.inner is not a plain field"):
        _ = Nested(_row(0)).data
