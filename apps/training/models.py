from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from apps.accounts.models import TrainingRole
from apps.groups.models import Group
from apps.tenants.models import Body


class ProgrammeKind(models.TextChoices):
    ICT_LEADER_DX = "ict_leader_dx", "ICTリーダー向けDX研修"
    ICT_MANAGER_POLICY = "ict_manager_policy", "ICTマネージャー向け政策立案研修"
    MY_NUMBER = "my_number", "マイナンバー制度研修 (全職員・任意)"
    SECURITY = "security", "情報セキュリティ研修 (全職員・任意)"
    IT_PASSPORT = "it_passport", "ITパスポート取得支援"
    OTHER = "other", "その他"


class EligibleRole(models.TextChoices):
    """Who a programme is for: staff with one of the training roles, or anyone."""

    ICT_LEADER = TrainingRole.ICT_LEADER.value, TrainingRole.ICT_LEADER.label
    ICT_MANAGER = TrainingRole.ICT_MANAGER.value, TrainingRole.ICT_MANAGER.label
    ANY = "any", "全職員"


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", "集合"
    LIVE = "live", "ライブ配信"
    VIDEO = "video", "動画"


class Programme(models.Model):
    """A training programme a secretariat runs for its group's members in a fiscal year."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="programmes")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("研修名", max_length=200)
    kind = models.CharField("種類", max_length=30, choices=ProgrammeKind.choices)
    description = models.TextField("内容", blank=True)
    eligible_role = models.CharField(
        "対象", max_length=20, choices=EligibleRole.choices, default=EligibleRole.ANY
    )
    delivery = models.CharField(
        "実施方法", max_length=20, choices=Delivery.choices, default=Delivery.IN_PERSON
    )
    per_body_cap = models.PositiveSmallIntegerField(
        "1団体あたりの上限 (年度)", null=True, blank=True
    )
    requires_body_approval = models.BooleanField("団体管理者の承認が必要", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "研修"
        verbose_name_plural = "研修"
        ordering = ["-fiscal_year", "title"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField("開始")
    ends_at = models.DateTimeField("終了")
    venue = models.CharField("会場", max_length=200, blank=True)
    online_url = models.URLField("配信URL", blank=True)
    capacity = models.PositiveIntegerField("定員")
    application_deadline = models.DateTimeField("申込締切")
    cancellation_deadline = models.DateTimeField("取消締切")

    class Meta:
        verbose_name = "研修日程"
        verbose_name_plural = "研修日程"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_at:%Y-%m-%d}"


class SeatStatus(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", "団体内の承認待ち"
    CONFIRMED = "confirmed", "受講確定"
    WAITLISTED = "waitlisted", "キャンセル待ち"
    CANCELLED = "cancelled", "取消"
    REJECTED = "rejected", "団体内で却下"


class Seat(models.Model):
    """A place in a session. It holds only what the secretariat needs to run the session: the
    body, the participant's name for the roster and certificate, and the id of the staff member
    in the body's own schema. E-mail and everything else stay in the body's schema."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="seats")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    staff_id = models.BigIntegerField("職員ID (団体内)")
    participant_name = models.CharField("受講者名", max_length=100)
    status = models.CharField("状態", max_length=20, choices=SeatStatus.choices)
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField("出席", null=True, blank=True)
    completed = models.BooleanField("修了", default=False)
    certificate_number = models.CharField("修了証番号", max_length=40, blank=True)
    completed_on = models.DateField("修了証の交付日", null=True, blank=True)

    class Meta:
        verbose_name = "受講枠"
        verbose_name_plural = "受講枠"
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "body", "staff_id"],
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="seat_one_live_per_person",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="seat_session_status"),
            models.Index(fields=["body", "status"], name="seat_body_status"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.body_id}:{self.staff_id} {self.status}"


class SchemePayer(models.TextChoices):
    STATE = "state", "国"
    PREFECTURE = "prefecture", "県"
    OTHER = "other", "その他"


class SchemePurpose(models.TextChoices):
    USAGE_FEES = "usage_fees", "共通化Bの利用料"
    EXPERTS = "experts", "外部デジタル人材"
    TRAINING = "training", "研修"
    RESKILLING = "reskilling", "リスキリング (資格試験の受験料など)"


class SupportScheme(models.Model):
    """A support scheme for one fiscal year, kept by the operator: who pays, what it covers,
    the rate, a cap per body per year (yen and/or uses) and a joint-use bonus (e.g. the special
    allocation tax measure covers 70% of an outside expert's cost: 特別交付税措置 0.7)."""

    name = models.CharField("制度", max_length=100)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    rate = models.DecimalField("措置率", max_digits=5, decimal_places=4)
    payer = models.CharField(
        "負担者", max_length=20, choices=SchemePayer.choices, default=SchemePayer.STATE
    )
    purpose = models.CharField(
        "対象", max_length=20, choices=SchemePurpose.choices, default=SchemePurpose.EXPERTS
    )
    categories = models.JSONField("対象の分類 (利用料のとき、空はすべて)", default=list, blank=True)
    cap_yen = models.PositiveBigIntegerField("1団体1年度の上限額 (円)", null=True, blank=True)
    cap_uses = models.PositiveIntegerField("1団体1年度の上限回数", null=True, blank=True)
    bonus_points = models.DecimalField(
        "共同利用の加算 (率)", max_digits=5, decimal_places=4, default=0
    )
    bonus_min_bodies = models.PositiveIntegerField(
        "加算の条件: 同じグループで利用する団体数", null=True, blank=True
    )

    class Meta:
        verbose_name = "支援制度"
        verbose_name_plural = "支援制度"
        constraints = [
            models.UniqueConstraint(fields=["name", "fiscal_year"], name="scheme_year_unique"),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="scheme_rate_0_1"
            ),
            models.CheckConstraint(
                condition=Q(bonus_points__gte=0) & Q(bonus_points__lte=1),
                name="scheme_bonus_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.fiscal_year} {self.rate}"

    def clean(self) -> None:
        """What the admin's form checks beyond the database's constraints."""
        from django.core.exceptions import ValidationError

        from apps.catalog.models import Category

        errors: dict[str, str] = {}
        categories = self.categories or []
        if not isinstance(categories, list) or any(c not in Category.values for c in categories):
            errors["categories"] = (
                '分類の一覧 (例: ["ai_ocr", "chatbot"]) で指定してください: '
                + ", ".join(Category.values)
            )
        elif categories and self.purpose != SchemePurpose.USAGE_FEES:
            errors["categories"] = "分類は対象が「共通化Bの利用料」のときだけ指定できます。"
        if self.bonus_points and not self.bonus_min_bodies:
            errors["bonus_min_bodies"] = (
                "加算があるときは、加算の条件 (団体数) を指定してください。"
            )
        if errors:
            raise ValidationError(errors)

    def domain(self) -> Any:
        from apps.training.domain.support import Scheme

        return Scheme(
            name=self.name,
            purpose=self.purpose,
            rate=self.rate,
            categories=tuple(self.categories or ()),
            cap_yen=self.cap_yen,
            cap_uses=self.cap_uses,
            bonus_points=self.bonus_points,
            bonus_min_bodies=self.bonus_min_bodies,
        )
