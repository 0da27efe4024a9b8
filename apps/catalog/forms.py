from __future__ import annotations

from django import forms

from apps.catalog.domain.fees import Band
from apps.catalog.models import Category, FeeKind, Listing, Pattern, TaxCategory
from apps.catalog.selectors import COMPLIANCE_FLAGS

FLAG_LABELS = {f: str(Listing._meta.get_field(f).verbose_name) for f in COMPLIANCE_FLAGS}  # type: ignore[union-attr]


class SearchForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False)
    category = forms.MultipleChoiceField(
        label="分類", choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    pattern = forms.MultipleChoiceField(
        label="共通化パターン",
        choices=Pattern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    flag = forms.MultipleChoiceField(
        label="要件",
        choices=list(FLAG_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ListingForm(forms.ModelForm):
    plans_text = forms.CharField(
        label="プラン (1行に1つ)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        initial="標準",
    )
    documents_text = forms.CharField(
        label="資料 (1行に「題名 URL」)", widget=forms.Textarea(attrs={"rows": 3}), required=False
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
            if not title or not url.startswith(("https://", "http://")):
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


class ScheduleForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度 (西暦)")
    kind = forms.ChoiceField(label="料金の形式", choices=FeeKind.choices)
    bands_text = forms.CharField(
        label="人口区分 (1行に「下限 上限 年額」、最後の行の上限は空欄)",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "0 10000 120000\n10000 50000 360000\n50000 - 900000"}
        ),
    )
    base_fee_yen = forms.IntegerField(label="基準額 (円)", min_value=0, required=False, initial=0)
    reference_population = forms.IntegerField(
        label="基準人口", min_value=0, required=False, initial=0
    )
    doubling_factor = forms.DecimalField(
        label="人口2倍のときの倍率", initial="1.5", max_digits=6, decimal_places=4, required=False
    )
    initial_fee_yen = forms.IntegerField(label="初期費用 (円)", min_value=0, initial=0)
    tax_category = forms.ChoiceField(label="税区分", choices=TaxCategory.choices)
    joint_discount_percent = forms.DecimalField(
        label="共同利用割引 (%)", required=False, max_digits=5, decimal_places=2
    )
    joint_discount_min_bodies = forms.IntegerField(
        label="割引の適用団体数", required=False, min_value=2
    )

    def clean_bands_text(self) -> list[Band]:
        bands = []
        for n, line in enumerate(self.cleaned_data["bands_text"].splitlines(), start=1):
            parts = line.replace(",", " ").split()
            if not parts:
                continue
            if len(parts) == 2:
                parts = [parts[0], "-", parts[1]]
            try:
                lower = int(parts[0])
                upper = None if parts[1] in {"-", ""} else int(parts[1])
                fee = int(parts[2])
            except (ValueError, IndexError) as exc:
                raise forms.ValidationError(
                    f"{n}行目: 「下限 上限 年額」の3つの整数で入力してください。"
                ) from exc
            bands.append(Band(lower, upper, fee))
        return bands


class ApplyForm(forms.Form):
    plan = forms.ChoiceField(label="プラン")
    start_month = forms.DateField(
        label="利用開始月",
        widget=forms.DateInput(attrs={"type": "month"}),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    years = forms.IntegerField(label="利用年数", min_value=1, max_value=5, initial=1)
    note = forms.CharField(
        label="連絡事項", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plans: list[str], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        plan = self.fields["plan"]
        assert isinstance(plan, forms.ChoiceField)  # noqa: S101 (declared above)
        plan.choices = [(p, p) for p in plans]
