from __future__ import annotations

from django import forms

from apps.core.forms import FiscalYearField, IdField


class OutlookForm(forms.Form):
    """?fiscal_year= (default: next fiscal year), and a what-if: a listing (its quote) or a
    survey's savings option (the body's share) added without saving anything."""

    fiscal_year = FiscalYearField(label="年度", required=False)
    add_listing = IdField(label="試算に加えるサービス", required=False)
    add_option = IdField(label="試算に加える共同化案", required=False)


class FinanceRoleForm(forms.Form):
    staff_id = forms.TypedChoiceField(label="職員", coerce=int)
    on = forms.TypedChoiceField(
        label="財政・予算担当",
        choices=[("yes", "担当にする"), ("no", "担当から外す")],
        coerce=lambda v: v == "yes",
    )

    def __init__(self, *args: object, staff: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["staff_id"].choices = staff  # type: ignore[attr-defined]
