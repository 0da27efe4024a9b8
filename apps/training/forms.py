from __future__ import annotations

from typing import Any

from django import forms

from apps.accounts.models import TalentKind, TrainingRole
from apps.core.forms import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    FiscalYearField,
    IdField,
    TextField,
    YenField,
)
from apps.training.models import Delivery, EligibleRole, ProgrammeKind

MAX_CAPACITY = 100_000
MAX_PER_BODY_CAP = 1_000
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SeatApplyForm(forms.Form):
    session_id = IdField(label="日程")
    staff_id = IdField(label="受講者", required=False)


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(label="出席", required=False)
    completed = forms.BooleanField(label="修了", required=False)


class TrainingRoleForm(forms.Form):
    staff_id = forms.TypedChoiceField(label="職員", coerce=int)
    role = forms.ChoiceField(
        label="役割",
        choices=[("", "—"), *TrainingRole.choices],
        required=False,
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff_id"].choices = staff  # type: ignore[attr-defined]


class ProgrammeForm(forms.Form):
    group_id = forms.TypedChoiceField(label="協議会・研究会", coerce=int)
    fiscal_year = FiscalYearField(label="年度 (西暦)")
    title = TextField(label="研修名", max_length=200)
    kind = forms.ChoiceField(label="種類", choices=ProgrammeKind.choices)
    eligible_role = forms.ChoiceField(label="対象", choices=EligibleRole.choices)
    delivery = forms.ChoiceField(label="実施方法", choices=Delivery.choices)
    per_body_cap = BoundedIntegerField(
        label="1団体あたりの年間上限 (空欄は上限なし)",
        min_value=1,
        max_value=MAX_PER_BODY_CAP,
        required=False,
    )
    requires_body_approval = forms.BooleanField(label="団体管理者の承認が必要", required=False)

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group_id"].choices = groups  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    programme_id = forms.TypedChoiceField(label="研修", coerce=int)
    starts_at = BoundedDateTimeField(label="開始", widget=DATETIME_INPUT)
    ends_at = BoundedDateTimeField(label="終了", widget=DATETIME_INPUT)
    capacity = BoundedIntegerField(label="定員", min_value=1, max_value=MAX_CAPACITY)
    application_deadline = BoundedDateTimeField(label="申込締切", widget=DATETIME_INPUT)
    cancellation_deadline = BoundedDateTimeField(label="取消締切", widget=DATETIME_INPUT)
    venue = TextField(label="会場", max_length=200, required=False)
    online_url = forms.URLField(
        label="配信URL", max_length=200, required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme_id"].choices = programmes  # type: ignore[attr-defined]


class EngagementForm(forms.Form):
    kind = forms.ChoiceField(label="種類", choices=TalentKind.choices, required=False)
    role = TextField(label="役割 (例: CIO補佐監)", max_length=100)
    adviser_name = TextField(label="氏名・所属", max_length=200, required=False)
    starts_on = BoundedDateField(label="開始日", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = BoundedDateField(label="終了日", widget=forms.DateInput(attrs={"type": "date"}))
    cost_yen = YenField(label="費用 (円)")
    scheme_name = TextField(
        label="支援制度 (例: 特別交付税措置)",
        max_length=100,
        initial="特別交付税措置",
        required=False,
    )

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or TalentKind.ADVISER

    def clean_scheme_name(self) -> str:
        return self.cleaned_data.get("scheme_name") or "特別交付税措置"


class RosterFilterForm(forms.Form):
    session = IdField(label="日程", required=False)
    body = forms.RegexField(label="団体コード", regex=r"^\d{6}$", required=False)


class SeatFilterForm(forms.Form):
    session = IdField(label="日程", required=False)
