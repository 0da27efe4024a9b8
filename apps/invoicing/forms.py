from __future__ import annotations

from django import forms

from apps.core.domain import bounds
from apps.core.forms import (
    BoundedDateField,
    BoundedIntegerField,
    FiscalYearField,
    LongTextField,
    TextField,
    YenField,
)
from apps.invoicing.models import InvoiceKind


class IssueAllForm(forms.Form):
    fiscal_year = FiscalYearField(label="年度")
    kind = forms.ChoiceField(
        label="種類", choices=[("", "すべて"), *InvoiceKind.choices], required=False
    )

    def clean_kind(self) -> str | None:
        return self.cleaned_data["kind"] or None


class PaymentForm(forms.Form):
    amount_yen = YenField(label="入金額 (円)", min_value=-bounds.MAX_YEN)
    paid_on = BoundedDateField(
        label="入金日",
        max_days_back=366 * 5,
        max_days_ahead=0,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = TextField(label="備考", max_length=200, required=False)


class CreditForm(forms.Form):
    reason = LongTextField(label="取消 (赤伝) の理由", max_length=500)


class RunChoiceForm(forms.Form):
    fiscal_year = FiscalYearField(label="年度", required=False)
    group = BoundedIntegerField(label="協議会", required=False, max_value=bounds.MAX_ID)


class PaymentReverseForm(forms.Form):
    reason = LongTextField(label="訂正の理由", max_length=500)
