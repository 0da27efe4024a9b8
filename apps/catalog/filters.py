from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from apps.catalog.forms import FLAG_LABELS
from apps.catalog.models import Category, Listing, Pattern
from apps.catalog.selectors import listing_search, no_listings
from apps.core.filters import StaticFilterSet, TextFilter


class ListingFilter(StaticFilterSet):
    """The catalogue's search, for the page and GET /api/v1/listings/ alike: free text (every
    term must match) and facets. A list may come as repeated parameters or comma-separated."""

    q = TextFilter(label="キーワード", max_length=100, method="by_search")
    category = django_filters.MultipleChoiceFilter(
        label="分類", choices=Category.choices, method="by_search"
    )
    pattern = django_filters.MultipleChoiceFilter(
        label="共通化パターン", choices=Pattern.choices, method="by_search"
    )
    flag = django_filters.MultipleChoiceFilter(
        label="要件", choices=list(FLAG_LABELS.items()), method="by_search"
    )

    class Meta:
        model = Listing
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None:
            data = split_commas(data, ("category", "pattern", "flag"))
        # nothing is filtered from it (filter_queryset searches afresh): an empty queryset,
        # ordered for the paginator of an invalid search
        kwargs.setdefault("queryset", no_listings())
        super().__init__(data, *args, **kwargs)

    def by_search(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # every filter is applied at once, in filter_queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet[Listing]:
        d = self.form.cleaned_data
        return listing_search(
            q=d.get("q") or "",
            categories=d.get("category") or None,
            patterns=d.get("pattern") or None,
            flags=d.get("flag") or None,
        )

    def facet_base(self) -> QuerySet[Listing]:
        """The free-text matches before facets: what the facet counts are counted over."""
        q = self.form.cleaned_data.get("q") if self.is_valid() else ""
        return listing_search(q=q or "")


def split_commas(data: Any, names: tuple[str, ...]) -> QueryDict:
    result = QueryDict(mutable=True)
    for key in data:
        values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
        if key in names:
            values = [part for v in values for part in str(v).split(",") if part]
        result.setlist(key, values)
    return result
