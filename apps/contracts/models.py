from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.catalog.models import FeeSchedule, Listing
from apps.tenants.models import Body
from apps.vendors.models import Vendor


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "団体内の承認待ち"
    PENDING_VENDOR = "pending_vendor", "事業者の回答待ち"
    ACCEPTED = "accepted", "承諾 (契約成立)"
    DECLINED = "declined", "事業者が辞退"
    REJECTED_BY_BODY = "rejected_by_body", "団体内で却下"
    WITHDRAWN = "withdrawn", "取り下げ"


OPEN_APPLICATION_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.PENDING_VENDOR)


class Application(models.Model):
    """A body's application (利用申込) for a listing. Who applied is a user id of the body's own
    schema; the internal approval and its comments live there too (apps.approvals)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="applications")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="applications")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="applications")
    plan = models.CharField("プラン", max_length=100)
    start_month = models.DateField("利用開始月")
    first_fiscal_year = models.PositiveSmallIntegerField("開始年度")
    last_fiscal_year = models.PositiveSmallIntegerField("終了年度")
    status = models.CharField(
        "状態",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    applicant_id = models.BigIntegerField("申込者 (団体内の利用者ID)")
    note = models.TextField("申込時の連絡事項", blank=True)
    decline_reason = models.TextField("辞退の理由", blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    body_decided_at = models.DateTimeField(null=True, blank=True)
    vendor_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "利用申込"
        verbose_name_plural = "利用申込"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["vendor", "status"], name="application_vendor_status"),
            models.Index(fields=["body", "status"], name="application_body_status"),
        ]

    def __str__(self) -> str:
        return f"{self.body} → {self.listing} ({self.status})"


class ContractStatus(models.TextChoices):
    ACTIVE = "active", "契約中"
    ENDING = "ending", "解約予定"
    ENDED = "ended", "終了"
    CANCELLED = "cancelled", "取消 (開始前の解約)"


LIVE_CONTRACT_STATUSES = (ContractStatus.ACTIVE, ContractStatus.ENDING)


class Contract(models.Model):
    """A usage contract (利用契約) between a body and a vendor, made by accepting an application.
    Each fiscal year it covers is a ContractTerm priced on that year's published fee schedule."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="contract"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="contracts")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="contracts")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    plan = models.CharField("プラン", max_length=100)
    start_month = models.DateField("利用開始月")
    ends_on = models.DateField("終了日", null=True, blank=True)
    status = models.CharField(
        "状態", max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE
    )
    cancel_requested_on = models.DateField("解約申出日", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "利用契約"
        verbose_name_plural = "利用契約"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "listing"],
                condition=Q(status__in=list(LIVE_CONTRACT_STATUSES)),
                name="contract_one_live_per_body_listing",
            )
        ]
        indexes = [
            models.Index(fields=["vendor", "status"], name="contract_vendor_status"),
            models.Index(fields=["body", "status"], name="contract_body_status"),
            models.Index(fields=["listing", "status"], name="contract_listing_status"),
        ]

    def __str__(self) -> str:
        return f"{self.body} / {self.listing} ({self.status})"


class ContractTerm(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="terms")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    fee_schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="terms")

    class Meta:
        verbose_name = "契約年度"
        verbose_name_plural = "契約年度"
        ordering = ["contract", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "fiscal_year"], name="term_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.fiscal_year}"


class ListVersion(models.Model):
    """The version of what one contract list shows (scope: "vendor:<id>" or "body:<id>"), kept
    by PostgreSQL itself: triggers (migration 0003) set it to a new number from a sequence in
    the same transaction as any write to the scope's contracts or their terms, and to a
    service's or vendor's name on its contracts, however the write was made (a service, a
    queryset update, raw SQL). The kept contract list is read under it (contracts_version):
    reading one row replaces summing the row versions of every contract in the list. Nothing
    in Python writes it."""

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = "契約一覧の版"
        verbose_name_plural = "契約一覧の版"
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.scope} {self.version}"
