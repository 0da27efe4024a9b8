from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from apps.catalog.domain.fees import SCHEDULE_TERMS, Band
from apps.catalog.models import FeeSchedule, Listing
from apps.catalog.selectors import COMPLIANCE_FLAGS, MAX_COMPARE
from apps.catalog.services import ScheduleInput
from apps.core.domain import bounds
from apps.core.forms import (
    BoundedDecimalField,
    BoundedIntegerField,
    ControlCharactersRefused,
    FiscalYearField,
    IdField,
    LongTextField,
    MonthField,
    YenField,
)

MAX_BANDS = 50

FLAG_LABELS = {f: str(Listing._meta.get_field(f).verbose_name) for f in COMPLIANCE_FLAGS}  # type: ignore[union-attr]


class ListingForm(ControlCharactersRefused, forms.ModelForm):
    description = LongTextField(label="説明", required=False, max_length=5000)
    plans_text = LongTextField(
        label="プラン (1行に1つ)", required=False, initial="標準", max_length=1000
    )
    documents_text = LongTextField(
        label="資料 (1行に「題名 URL」)", required=False, max_length=5000
    )

    class Meta:
        model = Listing
        fields = [
            "name",
            "summary",
            "description",
            "category",
            "pattern",
            "gov_cloud",
            "lgwan",
            "ismap",
            "standard_conformant",
            "sla",
            "data_location",
            "cancellation_notice_months",
        ]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["plans_text"].initial = "\n".join(self.instance.plans)
            self.fields["documents_text"].initial = "\n".join(
                f"{d['title']} {d['url']}" for d in self.instance.documents
            )

    def clean_documents_text(self) -> list[dict[str, str]]:
        docs = []
        for line in self.cleaned_data["documents_text"].splitlines():
            if not line.strip():
                continue
            title, _, url = line.strip().rpartition(" ")
            if not title or not url.startswith(("https://", "http://")) or len(url) > 500:
                raise forms.ValidationError(
                    f"「{line.strip()}」: 題名とURLを空白で区切って入力してください。"
                )
            docs.append({"title": title, "url": url})
        return docs

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in self.Meta.fields}
        data["plans"] = [
            p.strip() for p in self.cleaned_data["plans_text"].splitlines() if p.strip()
        ] or ["標準"]
        data["documents"] = self.cleaned_data["documents_text"]
        return data


BAND_ROWS = 10  # rows of the band table on the page (the API takes up to MAX_BANDS)


class ScheduleForm(ControlCharactersRefused, forms.ModelForm):
    """A fee schedule's terms as the model declares them (labels, types, bounds), the fiscal
    year, and the population bands as a table of rows (下限・上限・年額), as buyers see them."""

    fiscal_year = FiscalYearField(label="年度 (西暦)")

    class Meta:
        model = FeeSchedule
        fields = ["fiscal_year", *SCHEDULE_TERMS]
        # the portal's own field types: full-width digits, commas, NaN and Infinity refused
        field_classes = {
            "base_fee_yen": YenField,
            "initial_fee_yen": YenField,
            "reference_population": BoundedIntegerField,
            "joint_discount_min_bodies": BoundedIntegerField,
            "doubling_factor": BoundedDecimalField,
            "joint_discount_percent": BoundedDecimalField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SCHEDULE_TERMS:  # a term with a default may be left empty
            if FeeSchedule._meta.get_field(name).has_default():  # type: ignore[union-attr]
                self.fields[name].required = False
        for n in range(1, BAND_ROWS + 1):
            self.fields[f"band_{n}_lower"] = BoundedIntegerField(
                label=f"{n}行目 下限 (人以上)", required=False, max_value=bounds.MAX_POPULATION
            )
            self.fields[f"band_{n}_upper"] = BoundedIntegerField(
                label=f"{n}行目 上限 (人未満)", required=False, max_value=bounds.MAX_POPULATION
            )
            self.fields[f"band_{n}_fee"] = YenField(label=f"{n}行目 年額 (円)", required=False)
            for part in ("lower", "upper", "fee"):
                field = self.fields[f"band_{n}_{part}"]
                # the table's inputs have no <label> of their own: the label is their name
                field.widget.attrs.update(
                    {"aria-label": str(field.label), "inputmode": "numeric", "size": 12}
                )

    def term_fields(self) -> list[forms.BoundField]:
        return [f for f in self if not f.name.startswith("band_")]

    def band_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (n, self[f"band_{n}_lower"], self[f"band_{n}_upper"], self[f"band_{n}_fee"])
            for n in range(1, BAND_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bands = []
        for n in range(1, BAND_ROWS + 1):
            lower, upper, fee = (data.get(f"band_{n}_{part}") for part in ("lower", "upper", "fee"))
            if lower is None and upper is None and fee is None:
                continue
            if lower is None or fee is None:
                self.add_error(
                    f"band_{n}_lower" if lower is None else f"band_{n}_fee",
                    f"{n}行目: 下限と年額を入力してください (上限は最後の行だけ空欄)。",
                )
                continue
            bands.append(Band(lower, upper, fee))
        data["bands"] = bands
        return data

    def schedule_input(self) -> ScheduleInput:
        """The schedule to save; a term left empty takes the schedule's default."""
        values = {
            k: v
            for k, v in self.cleaned_data.items()
            if v not in (None, "") and not k.startswith("band")
        }
        return ScheduleInput.from_values(values, self.cleaned_data["bands"])


class SchedulePublishForm(forms.Form):
    schedule_id = IdField(label="料金表")


class CompareForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(label="比較するサービス", coerce=int, required=False)
    fiscal_year = FiscalYearField(label="年度", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id the URL converter would accept; which of them the viewer may see is the
        # selector's decision (404 otherwise).
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [  # type: ignore[attr-defined]
            (v, v) for v in raw if v.isascii() and v.isdecimal() and 0 < len(v) <= 10
        ]

    def clean_ids(self) -> list[int]:
        ids = list(dict.fromkeys(i for i in self.cleaned_data["ids"] if i <= bounds.MAX_ID))
        if not 1 <= len(ids) <= MAX_COMPARE:
            raise ValidationError(f"比較するサービスを1〜{MAX_COMPARE}件選んでください。")
        return ids


class ApplyForm(forms.Form):
    plan = forms.ChoiceField(label="プラン")
    start_month = MonthField(label="利用開始月")
    years = BoundedIntegerField(label="利用年数", min_value=1, max_value=5, initial=1)
    note = LongTextField(label="連絡事項", required=False, max_length=1000)

    def __init__(self, *args, plans: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ChoiceField)  # noqa: S101 (declared above)
        plan.choices = [(p, p) for p in plans]
