from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from apps.tenants.domain.codes import (
    is_valid_corporate_number,
    is_valid_invoice_registration_number,
)


def validate_corporate_number(value: str) -> None:
    if not is_valid_corporate_number(value):
        raise ValidationError(
            "法人番号は13桁の数字で、先頭の検査用数字が正しいものを入力してください。",
            code="invalid_corporate_number",
        )


def validate_invoice_registration_number(value: str) -> None:
    if not is_valid_invoice_registration_number(value):
        raise ValidationError(
            "登録番号は「T」に続く13桁の数字 (検査用数字を含む) で入力してください。",
            code="invalid_registration_number",
        )


class Vendor(models.Model):
    """A company (事業者) that lists services and contracts with bodies."""

    name = models.CharField("事業者名", max_length=200)
    corporate_number = models.CharField(
        "法人番号", max_length=13, unique=True, validators=[validate_corporate_number]
    )
    invoice_registration_number = models.CharField(
        "適格請求書発行事業者登録番号",
        max_length=14,
        validators=[validate_invoice_registration_number],
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    contact_name = models.CharField("担当者", max_length=100, blank=True)
    contact_email = models.EmailField("連絡先メール", blank=True)
    contact_phone = models.CharField("連絡先電話", max_length=30, blank=True)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "事業者"
        verbose_name_plural = "事業者"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VendorStaff(models.Model):
    """A public-site user who acts for one vendor."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_staff"
    )

    class Meta:
        verbose_name = "事業者担当者"
        verbose_name_plural = "事業者担当者"

    def __str__(self) -> str:
        return f"{self.vendor} / {self.user_id}"
