from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewKind(models.TextChoices):
    COMMENT = "comment", "コメント"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "却下"


class ApplicationReview(models.Model):
    """A body's internal comment or decision on one of its applications. This table lives in the
    body's schema: the vendor and the secretariat never see it; the public application only
    learns the outcome (its status)."""

    application = models.ForeignKey(
        "contracts.Application",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=True,
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField("種類", max_length=20, choices=ReviewKind.choices)
    comment = models.TextField("コメント", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "団体内承認"
        verbose_name_plural = "団体内承認"
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
