from __future__ import annotations

from django import template

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


TAX_LABELS = {
    "standard_10": "課税 10%",
    "reduced_8": "課税 8% (軽減)",
    "exempt": "非課税",
    "outside": "不課税",
}


@register.filter
def tax_label(category: str) -> str:
    return TAX_LABELS.get(category, category)
