from __future__ import annotations

from django import template

from apps.catalog.models import TaxCategory

register = template.Library()


@register.filter
def yen_digits(value: int | None) -> str:
    """12345678 -> "12,345,678" (digits grouped by thousands, as on Japanese public documents)."""
    if value is None:
        return "—"
    return f"{int(value):,}"


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key, "")


@register.filter
def tax_label(category: str) -> str:
    """The tax category's label as the choices name it (課税 10%, 不課税, ...)."""
    return str(dict(TaxCategory.choices).get(category, category))
