from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.tenants.models import Body, PopulationSource


class GroupKind(models.TextChoices):
    COUNCIL = "council", "協議会 (負担金を徴収)"
    USAGE_GROUP = "usage_group", "研究会 (各団体が事業者と直接契約)"


class Group(models.Model):
    """A council (協議会) or research/usage group (研究会) of bodies with a secretariat (事務局)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("種別", max_length=20, choices=GroupKind.choices)
    secretariat = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="secretariat_of", verbose_name="事務局団体"
    )
    description = models.TextField("説明", blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "協議会・研究会"
        verbose_name_plural = "協議会・研究会"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A body's membership of a group, from the day it joined to the day it left (if it did)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField("加入日")
    left_on = models.DateField("脱退日", null=True, blank=True)

    class Meta:
        verbose_name = "構成団体"
        verbose_name_plural = "構成団体"
        ordering = ["group", "body__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "body"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_body",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} / {self.body}"


class SecretariatStaff(models.Model):
    """A public-site user who runs a group's secretariat."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secretariat_roles"
    )

    class Meta:
        verbose_name = "事務局職員"
        verbose_name_plural = "事務局職員"
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="secretariat_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} / {self.user_id}"


class ApportionmentKind(models.TextChoices):
    POPULATION = "population", "人口割 (均等割との併用可、重み係数つき)"
    USAGE = "usage", "利用件数割"


class JointService(models.Model):
    """A system a council runs jointly for its members (共同運営システム)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="joint_services")
    name = models.CharField("名称", max_length=100)
    description = models.TextField("説明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "共同運営システム"
        verbose_name_plural = "共同運営システム"
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="joint_service_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class JointServiceYear(models.Model):
    """A joint service's budget for one fiscal year and how it will be apportioned."""

    service = models.ForeignKey(JointService, on_delete=models.CASCADE, related_name="years")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    total_cost_yen = models.PositiveBigIntegerField("総経費 (円)")
    method = models.CharField(
        "按分方法",
        max_length=20,
        choices=ApportionmentKind.choices,
        default=ApportionmentKind.POPULATION,
    )
    equal_part = models.DecimalField("均等割の割合", max_digits=5, decimal_places=4, default=0)
    doubling_factor = models.DecimalField(
        "人口2倍のときの倍率", max_digits=6, decimal_places=4, default=1.5
    )
    population_source = models.CharField(
        "使用する人口",
        max_length=30,
        choices=PopulationSource.choices,
        default=PopulationSource.CENSUS_2020,
    )
    prorate_by_month = models.BooleanField("月割 (年度途中の加入・脱退)", default=True)

    class Meta:
        verbose_name = "年度予算"
        verbose_name_plural = "年度予算"
        ordering = ["service", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["service", "fiscal_year"], name="joint_year_unique"),
            models.CheckConstraint(
                condition=Q(equal_part__gte=0) & Q(equal_part__lte=1), name="joint_equal_part_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.fiscal_year}"


class Participation(models.Model):
    """Which member takes part in a joint service in a fiscal year, and from/until which month."""

    service_year = models.ForeignKey(
        JointServiceYear, on_delete=models.CASCADE, related_name="participations"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="participations")
    joined_month = models.DateField("参加月", null=True, blank=True)  # None: from April
    left_month = models.DateField("離脱月", null=True, blank=True)  # None: to March
    usage_count = models.PositiveIntegerField("利用件数", null=True, blank=True)

    class Meta:
        verbose_name = "参加団体"
        verbose_name_plural = "参加団体"
        ordering = ["service_year", "body__code"]
        constraints = [
            models.UniqueConstraint(fields=["service_year", "body"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_year} / {self.body}"
