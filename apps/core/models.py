from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    """One state change: who, when, what. `schema` is where it happened (a body's schema or
    "public"); actor and target ids refer to rows of that schema for body-owned tables. Actors
    are recorded by id only, so no staff member's personal data is copied into the public schema."""

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    schema = models.CharField("スキーマ", max_length=63)
    actor_id = models.BigIntegerField("操作者ID", null=True, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    target_type = models.CharField("対象の種類", max_length=60, blank=True)
    target_id = models.CharField("対象ID", max_length=64, blank=True)
    data = models.JSONField("内容", default=dict, blank=True)

    class Meta:
        verbose_name = "監査記録"
        verbose_name_plural = "監査記録"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
