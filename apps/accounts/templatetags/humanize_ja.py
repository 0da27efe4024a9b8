from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from apps.catalog.models import TaxCategory
from apps.core.domain.wareki import fiscal_year_label, wareki_date
from apps.core.domain.wareki import wareki_month as era_month

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


@register.filter
def wareki(value: dt.date | dt.datetime | str | None) -> str:
    """A date (or an ISO date string, as JSON details keep them) as officials write it:
    令和8年11月27日 ("—" when there is none)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return wareki_date(value)


@register.filter
def wareki_month(value: dt.date | None) -> str:
    """A month: 令和8年11月."""
    if value is None or value == "":
        return "—"
    return era_month(value)


@register.filter
def fiscal_year(value: int | None) -> str:
    """A fiscal year: 令和8年度."""
    if value is None or value == "":
        return "—"
    return fiscal_year_label(int(value))


@register.filter
def wareki_time(value: dt.datetime | None) -> str:
    """A moment as officials write it: 令和9年1月11日 10:00 (local time)."""
    if value is None or value == "":
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki_date(local.date())} {local:%H:%M}"


@register.filter
def outlook_flow(flow: str) -> str:
    """An outlook line's flow in Japanese (負担金 / 利用料 / 人材)."""
    from apps.outlook.domain.outlook import FLOWS

    return FLOWS.get(flow, flow)
