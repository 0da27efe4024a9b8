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


class SurveyDraft(models.Model):
    """A body's answer to a needs survey while it is being written (body schema): staff
    contribute, the administrator submits it; only the submitted answer is shared
    (apps.surveys.models.SurveyAnswer). The values are the answer's fields, as the API names
    them, checked again in full when submitted."""

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.DO_NOTHING, related_name="+", db_constraint=True
    )
    values = models.JSONField("下書きの内容", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "調査回答の下書き"
        verbose_name_plural = "調査回答の下書き"
        constraints = [models.UniqueConstraint(fields=["survey"], name="survey_draft_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}"


class SurveyDraftComment(models.Model):
    """An internal comment on a draft answer (body schema: never shared)."""

    draft = models.ForeignKey(SurveyDraft, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    text = models.TextField("コメント")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "下書きへのコメント"
        verbose_name_plural = "下書きへのコメント"
        ordering = ["draft", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
