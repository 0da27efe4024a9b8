"""The operator's admin in Japanese: column names for the fields whose model gives none, and
every amount in yen written as 1,234円. Every ModelAdmin of the portal derives from
PortalAdmin."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
LABELS = {
    "action": "操作",
    "actor_id": "操作者ID",
    "application": "申込",
    "at": "日時",
    "attempt": "試行回数",
    "author": "記入者",
    "body": "団体",
    "contract": "契約",
    "created_at": "作成日時",
    "domain": "ドメイン",
    "fee_schedule": "料金表",
    "finished_at": "完了日時",
    "group": "協議会・研究会",
    "invoice": "請求書",
    "invoices_created": "作成した請求書",
    "is_primary": "主ドメイン",
    "issuer_key": "請求者",
    "listing": "サービス",
    "programme": "研修",
    "published_at": "公開日時",
    "recipient": "宛先",
    "recorded_by": "記録者",
    "schema": "スキーマ",
    "schema_name": "スキーマ名",
    "secretariat": "事務局団体",
    "service": "共同運営システム",
    "service_year": "年度予算",
    "session": "研修日程",
    "status": "状態",
    "submitted_at": "申込日時",
    "target_id": "対象ID",
    "target_type": "対象の種類",
    "tenant": "団体",
    "units_done": "完了した単位",
    "units_total": "単位数",
    "user": "利用者",
    "vendor": "事業者",
}


def _column(model: Any, name: str) -> str | Callable[[Any], Any]:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    label = str(getattr(field, "verbose_name", name))
    if not JAPANESE.search(label):
        label = LABELS.get(name, label)
    if name.endswith("_yen"):

        def show(obj: Any) -> Any:
            value = getattr(obj, name)
            return "—" if value is None else f"{value:,}円"

    elif JAPANESE.search(str(getattr(field, "verbose_name", ""))):
        return name  # the model's own Japanese label
    else:

        def show(obj: Any) -> Any:  # type: ignore[misc]
            display = getattr(obj, f"get_{name}_display", None)
            return display() if display else getattr(obj, name)

    show.short_description = label  # type: ignore[attr-defined]
    show.admin_order_field = name  # type: ignore[attr-defined]
    return show


class PortalAdmin(admin.ModelAdmin):
    def get_list_display(self, request: Any) -> Any:
        return [
            _column(self.model, c) if isinstance(c, str) else c
            for c in super().get_list_display(request)
        ]
