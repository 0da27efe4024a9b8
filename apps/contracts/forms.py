from __future__ import annotations

from django import forms

from apps.core.forms import IdField, LongTextField


class ReviewForm(forms.Form):
    comment = LongTextField(label="コメント", required=False, max_length=2000)


class DeclineForm(forms.Form):
    reason = LongTextField(label="辞退の理由", required=False, max_length=2000)


class ListingIdForm(forms.Form):
    listing_id = IdField(label="サービス", required=False)
