from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from apps.core.domain.bounds import MAX_POPULATION, MAX_YEN
from apps.vendors.models import Vendor


class Category(models.TextChoices):
    MADOGUCHI_DX = "madoguchi_dx", "窓口DX"
    E_APPLICATION = "e_application", "電子申請"
    E_PROCUREMENT = "e_procurement", "電子調達"
    FACILITY_BOOKING = "facility_booking", "施設予約"
    AI_CHATBOT = "ai_chatbot", "AIチャットボット"
    AI_OCR = "ai_ocr", "AI-OCR"
    RPA = "rpa", "RPA"
    STANDARD_SYSTEM = "standard_system", "標準準拠システム"
    GROUPWARE = "groupware", "グループウェア"
    SECURITY = "security", "セキュリティ"
    OTHER = "other", "その他"


class Pattern(models.TextChoices):
    A = "A", "共通化A (国が所有)"
    B = "B", "共通化B (事業者が所有・利用契約)"
    STANDARDIZED = "standardized", "標準化"
    INDIVIDUAL = "individual", "個別開発"


class ListingStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開中"
    WITHDRAWN = "withdrawn", "公開終了"


class Listing(models.Model):
    """A vendor's service listing (サービス掲載)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="listings")
    name = models.CharField("サービス名", max_length=200)
    summary = models.CharField("概要", max_length=300)
    description = models.TextField("説明", blank=True)
    category = models.CharField("分類", max_length=30, choices=Category.choices)
    pattern = models.CharField("共通化パターン", max_length=20, choices=Pattern.choices)
    gov_cloud = models.BooleanField("ガバメントクラウド対応", default=False)
    lgwan = models.BooleanField("LGWAN対応", default=False)
    ismap = models.BooleanField("ISMAP登録", default=False)
    standard_conformant = models.BooleanField("標準仕様書準拠", default=False)
    sla = models.CharField("SLA", max_length=200, blank=True)
    data_location = models.CharField("データ保管場所", max_length=100, blank=True)
    documents = models.JSONField("資料", default=list, blank=True)  # [{"title": .., "url": ..}]
    plans = models.JSONField("プラン", default=list, blank=True)  # ["標準", "プレミアム"]
    cancellation_notice_months = models.PositiveSmallIntegerField(
        "解約予告期間 (月)", default=3, validators=[MaxValueValidator(12)]
    )
    status = models.CharField(
        "状態", max_length=20, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    # NFKC-normalised, lower-cased name, summary, description, category and vendor name, kept by
    # the service that writes the listing; free-text search matches every term against it.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "サービス掲載"
        verbose_name_plural = "サービス掲載"
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "category"], name="listing_status_category"),
            models.Index(fields=["vendor", "status"], name="listing_vendor_status"),
        ]

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    BANDS = "bands", "人口区分"
    WEIGHTED = "weighted", "重み付き人口 (人口2倍で料金X倍)"


class TaxCategory(models.TextChoices):
    STANDARD_10 = "standard_10", "課税 10%"
    REDUCED_8 = "reduced_8", "課税 8% (軽減)"
    EXEMPT = "exempt", "非課税"
    OUTSIDE = "outside", "不課税"


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開 (確定)"


class FeeSchedule(models.Model):
    """A listing's fees for one fiscal year, version N. Once published it is frozen: a change is
    a new version, and contracts keep the version they were priced on."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="fee_schedules")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveSmallIntegerField("版", default=1)
    kind = models.CharField("料金の形式", max_length=20, choices=FeeKind.choices)
    # The schedule's terms (apps.catalog.domain.fees.Schedule, SCHEDULE_TERMS): their types,
    # labels and bounds are declared here once; the form and the API derive from them.
    base_fee_yen = models.PositiveBigIntegerField(
        "基準額 (円)", default=0, validators=[MaxValueValidator(MAX_YEN)]
    )
    reference_population = models.PositiveIntegerField(
        "基準人口", default=0, validators=[MaxValueValidator(MAX_POPULATION)]
    )
    doubling_factor = models.DecimalField(
        "人口2倍のときの倍率",
        max_digits=6,
        decimal_places=4,
        default=Decimal("1.5"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    initial_fee_yen = models.PositiveBigIntegerField(
        "初期費用 (円)", default=0, validators=[MaxValueValidator(MAX_YEN)]
    )
    tax_category = models.CharField(
        "税区分", max_length=20, choices=TaxCategory.choices, default=TaxCategory.STANDARD_10
    )
    joint_discount_percent = models.DecimalField(
        "共同利用割引 (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    joint_discount_min_bodies = models.PositiveSmallIntegerField(
        "割引の適用団体数",
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(2000)],
    )
    status = models.CharField(
        "状態", max_length=20, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "料金表"
        verbose_name_plural = "料金表"
        ordering = ["listing", "-fiscal_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "fiscal_year", "version"], name="fee_schedule_version_unique"
            ),
            models.UniqueConstraint(
                fields=["listing", "fiscal_year"],
                condition=Q(status="draft"),
                name="fee_schedule_one_draft_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.listing} {self.fiscal_year} v{self.version}"


class FeeBand(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="bands")
    lower = models.PositiveIntegerField("人口 (以上)")
    upper = models.PositiveIntegerField("人口 (未満)", null=True, blank=True)
    annual_fee_yen = models.PositiveBigIntegerField("年額 (円)")

    class Meta:
        verbose_name = "人口区分"
        verbose_name_plural = "人口区分"
        ordering = ["schedule", "lower"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "lower"], name="fee_band_lower_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lower}-{self.upper}: {self.annual_fee_yen}"
