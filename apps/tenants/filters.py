from __future__ import annotations

from apps.core.filters import StaticFilterSet, TextFilter
from apps.tenants.models import Body


class BodyFilter(StaticFilterSet):
    prefecture = TextFilter(label="都道府県 (例: 愛知県)", max_length=10)

    class Meta:
        model = Body
        fields: list[str] = []
