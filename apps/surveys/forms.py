"""The declared input of the survey pages (bounds from apps.core.domain.bounds)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from apps.core.domain import bounds
from apps.core.forms import (
    BoundedDateField,
    BoundedDecimalField,
    BoundedIntegerField,
    FiscalYearField,
    LongTextField,
    TextField,
    YenField,
)
from apps.surveys.models import AudienceKind, Interest, Outcome, Pattern
from apps.surveys.services import MAX_FEATURES, MAX_QUESTIONS
from apps.tenants.models import PopulationSource


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class SurveyForm(forms.Form):
    group_id = forms.TypedChoiceField(label="実施する協議会・研究会", coerce=int)
    title = TextField(label="調査名")
    area = TextField(label="候補業務 (例: 施設予約)", max_length=100)
    audience_kind = forms.ChoiceField(
        label="対象", choices=AudienceKind.choices, widget=forms.RadioSelect
    )
    deadline = BoundedDateField(
        label="回答期限", max_days_back=0, widget=forms.DateInput(attrs={"type": "date"})
    )
    features = LongTextField(
        label="必要な機能の選択肢 (1行に1つ)",
        help_text=f"各団体がチェックする機能です。{MAX_FEATURES}個まで。",
    )
    questions = LongTextField(
        label="追加の質問 (任意、1行に1つ)",
        required=False,
        help_text=f"標準の質問 (現行システム・経費・契約終了日・件数・意向・機能・自由記述) "
        f"のほかに尋ねることを{MAX_QUESTIONS}個まで。",
    )
    description = LongTextField(label="説明 (任意)", required=False)

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group_id"].choices = groups  # type: ignore[attr-defined]

    def clean_features(self) -> list[str]:
        return _lines(self.cleaned_data["features"])

    def clean_questions(self) -> list[str]:
        return _lines(self.cleaned_data.get("questions") or "")


class DeadlineForm(forms.Form):
    deadline = BoundedDateField(
        label="新しい回答期限", max_days_back=0, widget=forms.DateInput(attrs={"type": "date"})
    )


class AnswerForm(forms.Form):
    """A body's answer, built for one survey (its checklist and questions)."""

    current_system = TextField(label="現在のシステム (製品名)", required=False)
    current_vendor = TextField(label="現在の事業者", required=False)
    annual_cost_yen = YenField(label="年間の運用経費 (円)", required=False)
    contract_end = BoundedDateField(
        label="現在の契約の終了日",
        required=False,
        max_days_ahead=366 * 10,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    users_count = BoundedIntegerField(label="利用者数 (職員・住民の登録数)", required=False)
    transactions_count = BoundedIntegerField(label="年間の件数 (予約・申請など)", required=False)
    interest = forms.ChoiceField(
        label="導入の意向",
        choices=Interest.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="提出するときは必須です。",
    )
    features = forms.TypedMultipleChoiceField(
        label="必要な機能", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = LongTextField(label="自由記述", required=False)

    def __init__(self, *args: Any, survey: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["features"].choices = list(enumerate(survey.features))  # type: ignore[attr-defined]
        for i, question in enumerate(survey.questions):
            self.fields[f"extra_{i}"] = LongTextField(label=question, required=False)
        self.question_count = len(survey.questions)

    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in values.items() if k != "extra"}
        for i, text in enumerate(values.get("extra") or []):
            initial[f"extra_{i}"] = text
        return initial

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("extra_")}
        data["extra"] = [
            self.cleaned_data.get(f"extra_{i}") or "" for i in range(self.question_count)
        ]
        return data


class CommentForm(forms.Form):
    text = LongTextField(label="内部コメント (団体内だけに表示)")


class OptionForm(forms.Form):
    label = TextField(label="案の名前 (例: 均等割2割・1.5倍)", max_length=100)
    total_cost_yen = YenField(label="共同化したときの年間総経費 (円)")
    basis = forms.ChoiceField(
        label="按分の基準",
        choices=[("population", "人口割 (均等割との併用可)"), ("usage", "利用件数割 (年間件数)")],
    )
    equal_part = BoundedDecimalField(
        label="均等割の割合 (0〜1)",
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        initial=Decimal("0.2"),
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


class DecisionForm(forms.Form):
    pattern = forms.ChoiceField(label="方式", choices=Pattern.choices, widget=forms.RadioSelect)
    go = forms.TypedChoiceField(
        label="実施するか",
        choices=[("yes", "実施する"), ("no", "実施しない (見送り)")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.ChoiceField(label="次の手続", choices=Outcome.choices, widget=forms.RadioSelect)
    option_id = forms.TypedChoiceField(
        label="採用する試算案", coerce=int, required=False, empty_value=None
    )
    fiscal_year = FiscalYearField(label="開始年度 (西暦、共同運営のとき)", required=False)
    reasons = LongTextField(label="理由", max_length=bounds.LONG_TEXT)

    def __init__(self, *args: Any, options: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option_id"].choices = [("", "選ばない"), *options]  # type: ignore[attr-defined]


class InvitationForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("yes", "参加する"), ("no", "参加しない")], coerce=lambda v: v == "yes"
    )


class CallResponseForm(forms.Form):
    listing_id = forms.TypedChoiceField(label="応募するサービス (公開中)", coerce=int)

    def __init__(self, *args: Any, listings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listing_id"].choices = listings  # type: ignore[attr-defined]
