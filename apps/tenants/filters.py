from __future__ import annotations

import django_filters

from apps.core.filters import TextFilter
from apps.tenants.models import Body


class BodyFilter(django_filters.FilterSet):
    prefecture = TextFilter(label="都道府県 (例: 愛知県)", max_length=10)

    class Meta:
        model = Body
        fields: list[str] = []
