from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.tenants.models import Body


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
        verbose_name = "group / 協議会・研究会"
        verbose_name_plural = "groups / 協議会・研究会"
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
        verbose_name = "membership / 構成団体"
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
        verbose_name = "secretariat staff / 事務局職員"
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="secretariat_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} / {self.user_id}"
