"""Form fields with the portal's bounds (apps.core.domain.bounds): every HTML POST and every
list filter goes through a Form or FilterSet built from these, never int(request.POST[...])."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.core.domain import bounds
from apps.core.domain.fiscal import fiscal_year_label

CONTROL_MESSAGE = "制御文字 (NULなど) は入力できません。文字だけを入力してください。"
# Full-width digits and signs (as a Japanese IME types them) read as ASCII; nothing else is
# folded (NFKC would read "²" as 2).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－ー／", "0123456789,.--/")


def half_width(text: str) -> str:
    return text.translate(_FULL_WIDTH).strip()


def refuse_control_characters(value: Any, *, multiline: bool = True) -> None:
    if isinstance(value, str) and bounds.has_control_characters(value, multiline=multiline):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


class TextField(forms.CharField):
    """One line of text with a maximum length and no control characters."""

    multiline = False

    def __init__(self, *, max_length: int = bounds.SHORT_TEXT, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(max_length=max_length, **kwargs)

    def to_python(self, value: Any) -> str:
        # Checked before CharField strips and before the NUL validator, so every control
        # character gets the same message.
        refuse_control_characters(value, multiline=self.multiline)
        return str(super().to_python(value))


class LongTextField(TextField):
    multiline = True
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, max_length: int = bounds.LONG_TEXT, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)


class BoundedIntegerField(forms.IntegerField):
    """An integer within bounds; digits only (half- or full-width), commas allowed, so "²",
    "1e20" and a 5,000-digit number are form errors, not server errors."""

    default_error_messages = {"invalid": "整数 (半角数字) で入力してください。"}
    # Text, not type=number: a browser's number input refuses the commas and full-width
    # digits people type (4,800,000 / ４８００), which this field reads.
    widget: Any = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def __init__(self, *, min_value: int = 0, max_value: int = bounds.MAX_COUNT, **kwargs: Any):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = half_width(str(value)).replace(",", "")
        refuse_control_characters(text)
        if not re.fullmatch(r"-?[0-9]{1,18}", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class YenField(BoundedIntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_value", bounds.MAX_YEN)
        super().__init__(**kwargs)


class IdField(BoundedIntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=bounds.MAX_ID, **kwargs)


class FiscalYearField(BoundedIntegerField):
    """A fiscal year (西暦) between 2000 and five years after the current one."""

    def __init__(self, **kwargs: Any) -> None:
        first, last = bounds.fiscal_year_bounds(timezone.localdate())
        super().__init__(min_value=first, max_value=last, **kwargs)

    def validate(self, value: Any) -> None:
        # Bounds follow the clock (a long-running process crosses 1 April).
        first, last = bounds.fiscal_year_bounds(timezone.localdate())
        super().validate(value)
        if value is not None and not first <= value <= last:
            raise ValidationError(
                f"年度は{fiscal_year_label(first)}から{fiscal_year_label(last)}"
                f"まで ({first}〜{last}) で指定してください。",
                code="fiscal_year_range",
            )

    def run_validators(self, value: Any) -> None:
        return None  # validate() above checks the range against today's bounds


class BoundedDecimalField(forms.DecimalField):
    """A finite Decimal (NaN and Infinity are refused by DecimalField) within bounds."""

    default_error_messages = {"invalid": "数値 (例: 0.25) で入力してください。"}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = half_width(value)
            refuse_control_characters(value)
        return super().to_python(value)


class MonthField(forms.DateField):
    """A month as 2026-04, 2026/4 or 2026年4月 (full-width digits too); the first day of it."""

    default_error_messages = {"invalid": "年月は 2026-04 または 2026年4月 の形で入力してください。"}
    widget = forms.TextInput(attrs={"placeholder": "2026-04", "size": 8})

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value.replace(day=1)
        text = half_width(str(value))
        refuse_control_characters(text)
        match = re.fullmatch(
            r"([0-9]{4})\s*(?:-|/|年)\s*([0-9]{1,2})\s*(?:月)?(?:-[0-9]{1,2})?", text
        )
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        first, last = bounds.fiscal_year_bounds(timezone.localdate())
        if not 1 <= month <= 12 or not first <= year <= last + 1:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return dt.date(year, month, 1)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


class BoundedDateField(forms.DateField):
    """A date within `max_days_back` days before and `max_days_ahead` after today."""

    default_error_messages = {"invalid": "日付は 2026-04-01 の形で入力してください。"}

    def __init__(self, *, max_days_back: int = 366 * 10, max_days_ahead: int = 366 * 5, **kw: Any):
        self.max_days_back = max_days_back
        self.max_days_ahead = max_days_ahead
        super().__init__(**kw)

    def to_python(self, value: Any) -> dt.date | None:
        refuse_control_characters(value)
        return super().to_python(value)  # type: ignore[no-any-return]

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value < today - dt.timedelta(days=self.max_days_back):
            raise ValidationError("日付が古すぎます。正しい日付を入力してください。", "too_old")
        if value > today + dt.timedelta(days=self.max_days_ahead):
            raise ValidationError("日付が先すぎます。正しい日付を入力してください。", "too_far")


class BoundedDateTimeField(forms.DateTimeField):
    default_error_messages = {"invalid": "日時は 2026-12-01T10:00 の形で入力してください。"}

    def to_python(self, value: Any) -> dt.datetime | None:
        refuse_control_characters(value)
        result = super().to_python(value)
        if result is not None:
            today = timezone.localdate()
            first, last = bounds.fiscal_year_bounds(today)
            if not first <= result.year <= last + 1:
                raise ValidationError("日時の年が範囲外です。", code="out_of_range")
        return result  # type: ignore[no-any-return]


class ControlCharactersRefused:
    """For ModelForms, whose text fields come from the model: every text value is checked for
    control characters (TextField and LongTextField check their own)."""

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):  # type: ignore[attr-defined]
            if isinstance(value, str) and bounds.has_control_characters(value):
                self.add_error(name, ValidationError(CONTROL_MESSAGE, code="control_characters"))  # type: ignore[attr-defined]


class YearForm(forms.Form):
    """?fiscal_year= on a page that shows one fiscal year."""

    fiscal_year = FiscalYearField(label="年度", required=False)


class PageForm(forms.Form):
    page = BoundedIntegerField(required=False, min_value=1, max_value=bounds.MAX_PAGE)
