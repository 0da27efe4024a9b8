from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from apps.tenants.domain.codes import is_valid_local_government_code


def validate_local_government_code(value: str) -> None:
    if not is_valid_local_government_code(value):
        raise ValidationError(
            "団体コード「%(value)s」は6桁の全国地方公共団体コードではないか、検査数字が誤っています。",
            code="invalid_body_code",
            params={"value": value},
        )


class BodyKind(models.TextChoices):
    PREFECTURE = "prefecture", "都道府県"
    DESIGNATED_CITY = "designated_city", "政令指定都市"
    CITY = "city", "市"
    SPECIAL_WARD = "special_ward", "特別区"
    TOWN = "town", "町"
    VILLAGE = "village", "村"


class Body(TenantMixin):
    """A local government body (団体): the tenant. Its schema holds what it alone owns."""

    code = models.CharField(
        "団体コード",
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text="全国地方公共団体コード (6 digits, last one the check digit)",
    )
    name = models.CharField("団体名", max_length=50)
    kana = models.CharField("よみ", max_length=100)
    prefecture = models.CharField("都道府県", max_length=10, db_index=True)
    kind = models.CharField("種別", max_length=20, choices=BodyKind.choices)
    slug = models.SlugField("スラッグ", max_length=60, unique=True)
    provisioned_at = models.DateTimeField("スキーマ作成日時", null=True, blank=True)

    auto_create_schema = False  # schemas are made by apps.tenants.provisioning, in batches

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_provisioned(self) -> bool:
        return self.provisioned_at is not None


class Domain(DomainMixin):
    class Meta:
        verbose_name = "ドメイン"
        verbose_name_plural = "ドメイン"


class PopulationSource(models.TextChoices):
    CENSUS_2020 = "census-2020", "令和2年国勢調査 (速報)"
    CENSUS_2025 = "census-2025", "令和7年国勢調査 (速報)"
    RESIDENT_REGISTER = "resident-register", "住民基本台帳"


class PopulationFigure(models.Model):
    """One population figure of a body, with where it comes from and as of when, so that a fiscal
    year's charges can say exactly which figure they used."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="population_figures")
    population = models.PositiveIntegerField("人口")
    source = models.CharField("出典", max_length=30, choices=PopulationSource.choices)
    reference_date = models.DateField("基準日")

    class Meta:
        verbose_name = "人口"
        verbose_name_plural = "人口"
        constraints = [
            models.UniqueConstraint(
                fields=["body", "source", "reference_date"], name="population_unique_per_source"
            )
        ]
        ordering = ["body", "-reference_date"]

    def __str__(self) -> str:
        return f"{self.body.code} {self.population} ({self.source} {self.reference_date})"
