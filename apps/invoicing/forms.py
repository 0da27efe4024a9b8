from __future__ import annotations

from typing import Any

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
from apps.invoicing.models import AccountType, InvoiceKind, StatementFormat


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


STATEMENT_MAX_BYTES = 5 * 1024 * 1024  # 5 MB: about 25,000 Zengin records
INVOICE_NUMBER = r"^[GV][0-9]{1,10}-[0-9]{4}-[0-9]{6}$"


class IssuerProfileForm(forms.Form):
    """What the issuer prints on its invoices. Bank and branch codes are checked against the
    全銀協 list by the service (the message names the field)."""

    postal_code = forms.RegexField(
        label="郵便番号",
        regex=r"^[0-9]{3}-?[0-9]{4}$",
        max_length=8,
        help_text="例: 460-8501",
        error_messages={"invalid": "郵便番号は 460-8501 のように7桁で入力してください。"},
    )
    address = TextField(label="所在地", max_length=200)
    representative = TextField(
        label="代表者 (役職・氏名)", max_length=100, help_text="例: 会長 一宮市長 中野 正康"
    )
    contact = TextField(label="担当・連絡先", max_length=200, required=False)
    bank_code = forms.RegexField(
        label="金融機関コード",
        regex=r"^[0-9]{4}$",
        help_text="4桁 (例: 0005 三菱UFJ銀行)",
        error_messages={"invalid": "金融機関コードは4桁の数字です。"},
    )
    branch_code = forms.RegexField(
        label="支店コード",
        regex=r"^[0-9]{3}$",
        help_text="3桁",
        error_messages={"invalid": "支店コードは3桁の数字です。"},
    )
    account_type = forms.ChoiceField(label="預金種目", choices=AccountType.choices)
    account_number = forms.RegexField(
        label="口座番号",
        regex=r"^[0-9]{1,7}$",
        help_text="7桁以内の数字",
        error_messages={"invalid": "口座番号は7桁以内の数字です。"},
    )
    account_holder_kana = TextField(
        label="口座名義 (カナ)", max_length=48, help_text="通帳のとおりカナで"
    )

    def clean_postal_code(self) -> str:
        digits = self.cleaned_data["postal_code"].replace("-", "")
        return f"{digits[:3]}-{digits[3:]}"


class StatementUploadForm(forms.Form):
    issuer = forms.ChoiceField(label="請求者 (口座の持ち主)")
    format = forms.ChoiceField(
        label="形式",
        choices=[("", "自動判別"), *StatementFormat.choices],
        required=False,
    )
    file = forms.FileField(
        label="入出金明細ファイル",
        help_text="全銀協の入出金取引明細 (固定長) か、銀行の CSV (5MB まで)",
    )

    def __init__(self, *args: Any, issuers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = issuers  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > STATEMENT_MAX_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます (5MB まで)。期間を分けてください。")
        return upload


class CreditAssignForm(forms.Form):
    invoice_number = forms.RegexField(
        label="請求書番号",
        regex=INVOICE_NUMBER,
        max_length=30,
        help_text="例: G1-2026-000005",
        error_messages={"invalid": "請求書番号は G1-2026-000005 の形で入力してください。"},
    )


class CreditIgnoreForm(forms.Form):
    reason = TextField(label="対象外とする理由", max_length=200)
