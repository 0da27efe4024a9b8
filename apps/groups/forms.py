from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from apps.core.domain import bounds
from apps.core.forms import (
    BoundedDecimalField,
    BoundedIntegerField,
    FiscalYearField,
    LongTextField,
    MonthField,
    TextField,
    YenField,
)
from apps.groups.models import ApportionmentKind
from apps.groups.services import ParticipantInput
from apps.tenants.models import PopulationSource


class JointServiceForm(forms.Form):
    name = TextField(label="名称", max_length=100)
    description = LongTextField(label="説明", required=False, max_length=bounds.LONG_TEXT)


class JointServiceYearForm(forms.Form):
    """A fiscal year's budget and the row of every member of the council (takes part, joined
    month, left month, usage count). Refused, it comes back with every value as typed."""

    fiscal_year = FiscalYearField(label="年度 (西暦)")
    total_cost_yen = YenField(label="総経費 (円)")
    method = forms.ChoiceField(label="按分方法", choices=ApportionmentKind.choices)
    equal_part = BoundedDecimalField(
        label="均等割の割合 (0〜1)",
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        initial=Decimal(0),
    )
    doubling_factor = BoundedDecimalField(
        label="人口2倍のときの倍率",
        max_digits=6,
        decimal_places=4,
        min_value=Decimal("1.0001"),
        max_value=Decimal(10),
        initial=Decimal("1.5"),
    )
    population_source = forms.ChoiceField(label="使用する人口", choices=PopulationSource.choices)
    prorate_by_month = forms.BooleanField(
        label="年度途中の参加・離脱は月割", required=False, initial=True
    )
    participant = forms.MultipleChoiceField(
        label="参加団体", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["participant"].choices = members  # type: ignore[attr-defined]
        for code, name in members:
            for prefix, label in (("joined", "参加月"), ("left", "離脱月")):
                self.fields[f"{prefix}_{code}"] = MonthField(
                    label=f"{name} {label}",
                    required=False,
                    widget=forms.TextInput(
                        attrs={"aria-label": f"{name} {label}", "placeholder": "2026-04", "size": 8}
                    ),
                )
            self.fields[f"usage_{code}"] = BoundedIntegerField(
                label=f"{name} 利用件数",
                required=False,
                max_value=bounds.MAX_COUNT,
                widget=forms.TextInput(
                    attrs={"aria-label": f"{name} 利用件数", "inputmode": "numeric", "size": 6}
                ),
            )

    def rows(self) -> list[dict[str, Any]]:
        chosen = set(self["participant"].value() or [])
        return [
            {
                "code": code,
                "name": name,
                "checked": code in chosen,
                "joined": self[f"joined_{code}"],
                "left": self[f"left_{code}"],
                "usage": self[f"usage_{code}"],
            }
            for code, name in self.members
        ]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            name: d[name]
            for name in (
                "total_cost_yen",
                "method",
                "equal_part",
                "doubling_factor",
                "population_source",
                "prorate_by_month",
            )
        }

    def participants(self) -> list[ParticipantInput]:
        d = self.cleaned_data
        return [
            ParticipantInput(code, d[f"joined_{code}"], d[f"left_{code}"], d[f"usage_{code}"])
            for code in d["participant"]
        ]
