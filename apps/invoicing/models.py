from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.contracts.models import Contract
from apps.groups.models import Group, JointServiceYear
from apps.tenants.models import Body, PopulationSource
from apps.vendors.models import Vendor


class RunStatus(models.TextChoices):
    RUNNING = "running", "実行中"
    FINISHED = "finished", "完了"


class InvoiceRun(models.Model):
    """A fiscal year's invoice run: the national run (group is null: every council's burden
    charges and every vendor's usage invoices; the operator and Celery beat start it), or one
    council's run (its secretariat starts it). Each start is an attempt that plans its units;
    units are idempotent, so an attempt after a crash finishes what is missing."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invoice_runs",
        verbose_name="協議会 (空欄は全国の一括処理)",
    )
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    attempt = models.PositiveIntegerField(default=0)
    units_total = models.PositiveIntegerField(default=0)
    units_done = models.PositiveIntegerField(default=0)
    invoices_created = models.PositiveIntegerField(default=0)
    invoices_updated = models.PositiveIntegerField(default=0)
    invoices_unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"body": code, "reason": text}]
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "請求データ作成"
        verbose_name_plural = "請求データ作成"
        ordering = ["-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "group"], name="invoice_run_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} ({self.status})"


class UnitStatus(models.TextChoices):
    PENDING = "pending", "待機"
    DONE = "done", "完了"


class RunUnit(models.Model):
    """A piece of a run small enough to retry: one council's members chunk, or a chunk of usage
    contracts."""

    run = models.ForeignKey(InvoiceRun, on_delete=models.CASCADE, related_name="units")
    attempt = models.PositiveIntegerField()
    key = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=UnitStatus.choices, default=UnitStatus.PENDING)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "処理単位"
        verbose_name_plural = "処理単位"
        constraints = [
            models.UniqueConstraint(fields=["run", "attempt", "key"], name="run_unit_unique")
        ]
        indexes = [models.Index(fields=["run", "attempt", "status"], name="run_unit_progress")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.attempt}/{self.key}"


class InvoiceKind(models.TextChoices):
    BURDEN = "burden", "負担金請求書"
    USAGE = "usage", "利用料請求書 (適格請求書)"
    CREDIT_NOTE = "credit_note", "返還請求書 (赤伝)"


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    ISSUED = "issued", "発行済み"


class Invoice(models.Model):
    """A burden invoice from a council's secretariat to a member, or a vendor's usage-fee
    invoice (適格請求書) to a body, or a credit note correcting an issued one. Once issued it
    never changes (a database trigger refuses it); a correction is a credit note."""

    kind = models.CharField("種類", max_length=20, choices=InvoiceKind.choices)
    status = models.CharField(
        "状態", max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    fiscal_year = models.PositiveSmallIntegerField("年度")
    issuer_group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    issuer_vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    issuer_key = models.CharField(max_length=30, db_index=True)  # "group:3" / "vendor:7"
    issuer_name = models.CharField("請求者", max_length=200)
    issuer_registration_number = models.CharField("登録番号", max_length=14, blank=True)
    # the issuer's address, representative and bank account (振込先) as they were when the
    # invoice was issued (IssuerProfile.snapshot); frozen with the rest
    issuer_details = models.JSONField("請求者の所在地・代表者・振込先", default=dict, blank=True)
    recipient = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="invoices")
    recipient_name = models.CharField("宛先", max_length=100)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    source_key = models.CharField(max_length=80)
    revision = models.PositiveSmallIntegerField(default=1)
    run = models.ForeignKey(
        InvoiceRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="invoices"
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    number = models.CharField("請求書番号", max_length=40, blank=True)  # "" while a draft
    sequence = models.PositiveIntegerField(null=True, blank=True)
    issue_date = models.DateField("発行日", null=True, blank=True)
    due_date = models.DateField("支払期日", null=True, blank=True)
    subtotal_yen = models.BigIntegerField("税抜金額", default=0)
    tax_yen = models.BigIntegerField("消費税額", default=0)
    total_yen = models.BigIntegerField("請求金額", default=0)
    tax_summary = models.JSONField("税率ごとの合計", default=list)
    paid_yen = models.BigIntegerField("入金済み", default=0)
    population_source = models.CharField(
        max_length=30, choices=PopulationSource.choices, blank=True
    )
    note = models.TextField("備考", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "請求書"
        verbose_name_plural = "請求書"
        ordering = ["-fiscal_year", "issuer_key", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key", "revision"], name="invoice_source_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["issuer_key", "fiscal_year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoice_number_gapless_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number=""),
                name="invoice_issued_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"], name="invoice_recipient_status"),
            models.Index(
                fields=["issuer_key", "fiscal_year", "status"], name="invoice_issuer_year_status"
            ),
            models.Index(fields=["status", "due_date"], name="invoice_status_due"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.source_key}"

    @property
    def outstanding_yen(self) -> int:
        """What is still to be paid (invoice_list annotates is_cancelled)."""
        return outstanding_yen(
            self.kind, getattr(self, "is_cancelled", False), self.total_yen, self.paid_yen
        )

    @property
    def untaxed(self) -> bool:
        """Whether nothing on it bears consumption tax (a burden charge is 不課税)."""
        return all(t["category"] in ("outside", "exempt") for t in self.tax_summary)

    @property
    def total_label(self) -> str:
        return "合計 (不課税)" if self.untaxed else "合計 (税込)"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    description = models.CharField("内容", max_length=300)
    amount_yen = models.BigIntegerField("金額")
    tax_category = models.CharField(max_length=20)
    detail = models.JSONField(default=dict, blank=True)
    burden_share = models.ForeignKey(
        "BurdenShare", on_delete=models.SET_NULL, null=True, blank=True, related_name="lines"
    )

    class Meta:
        verbose_name = "明細"
        verbose_name_plural = "明細"
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.description} {self.amount_yen}"


class BurdenShare(models.Model):
    """One member's share of one joint service in a fiscal year, with everything that explains
    it ("why this amount")."""

    service_year = models.ForeignKey(
        JointServiceYear, on_delete=models.CASCADE, related_name="shares"
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="burden_shares")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=30, blank=True)
    population_reference_date = models.DateField(null=True, blank=True)
    usage_count = models.PositiveIntegerField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=12)
    weight = models.DecimalField(max_digits=70, decimal_places=36)
    raw_share = models.DecimalField(max_digits=70, decimal_places=36)
    floor_yen = models.BigIntegerField()
    remainder_yen = models.PositiveSmallIntegerField(default=0)
    amount_yen = models.BigIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "負担金の内訳"
        verbose_name_plural = "負担金の内訳"
        constraints = [
            models.UniqueConstraint(fields=["service_year", "body"], name="burden_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service_year} {self.body_id} {self.amount_yen}"


class IssuerSequence(models.Model):
    """The last invoice number of an issuer in a fiscal year; locked while a number is taken."""

    issuer_key = models.CharField(max_length=30)
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "fiscal_year"], name="issuer_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer_key} {self.fiscal_year}: {self.last_number}"


class Payment(models.Model):
    """A payment received, or the entry that reverses one recorded by mistake (訂正): a
    recorded payment is never edited or deleted; its reversal has the opposite amount, a
    reason, and points at it."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("入金日")
    amount_yen = models.BigIntegerField("入金額")  # negative only on a reversal
    note = models.CharField("備考", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name="取り消す入金",
    )
    reason = models.CharField("訂正の理由", max_length=500, blank=True)
    recorded_by = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "入金"
        verbose_name_plural = "入金"
        ordering = ["invoice", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount_yen__gt=0))
                | (Q(reverses__isnull=False) & Q(amount_yen__lt=0)),
                name="payment_positive_or_a_reversal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.amount_yen}"


class AccountType(models.TextChoices):
    ORDINARY = "1", "普通"
    CURRENT = "2", "当座"


class IssuerProfile(models.Model):
    """What an issuer prints on its invoices besides its name: address, representative and the
    bank account payers transfer to (振込先). The secretariat edits its council's; a vendor its
    own. An invoice copies it when it is issued (Invoice.issuer_details), so a later change
    never alters an issued invoice."""

    issuer_key = models.CharField(max_length=30, unique=True)  # "group:3" / "vendor:7"
    postal_code = models.CharField("郵便番号", max_length=8)
    address = models.CharField("所在地", max_length=200)
    representative = models.CharField("代表者 (役職・氏名)", max_length=100)
    contact = models.CharField("担当・連絡先", max_length=200, blank=True)
    bank_code = models.CharField("金融機関コード", max_length=4)
    bank_name = models.CharField("金融機関名", max_length=60)
    branch_code = models.CharField("支店コード", max_length=3)
    branch_name = models.CharField("支店名", max_length=60)
    account_type = models.CharField("預金種目", max_length=1, choices=AccountType.choices)
    account_number = models.CharField("口座番号", max_length=7)
    account_holder_kana = models.CharField("口座名義 (カナ)", max_length=48)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "請求者情報"
        verbose_name_plural = "請求者情報"

    def __str__(self) -> str:
        return self.issuer_key

    def snapshot(self) -> dict:
        return {
            "postal_code": self.postal_code,
            "address": self.address,
            "representative": self.representative,
            "contact": self.contact,
            "bank": {
                "code": self.bank_code,
                "name": self.bank_name,
                "branch_code": self.branch_code,
                "branch_name": self.branch_name,
                "type": self.get_account_type_display(),
                "number": self.account_number,
                "holder_kana": self.account_holder_kana,
            },
        }


class StatementFormat(models.TextChoices):
    ZENGIN = "zengin", "全銀協 入出金取引明細 (固定長)"
    CSV = "csv", "CSV"


class BankStatement(models.Model):
    """A bank statement an issuer uploaded. The same file twice is one statement; a credit
    that another statement already brought (same account, day, reference, amount, payer) is
    not recorded again."""

    issuer_key = models.CharField(max_length=30)
    format = models.CharField("形式", max_length=10, choices=StatementFormat.choices)
    filename = models.CharField("ファイル名", max_length=200)
    sha256 = models.CharField(max_length=64)
    account = models.CharField("口座", max_length=40, blank=True)  # "0001-001-1-1234567"
    period_from = models.DateField("勘定日 (自)", null=True, blank=True)
    period_to = models.DateField("勘定日 (至)", null=True, blank=True)
    credits = models.PositiveIntegerField("入金件数", default=0)
    duplicates = models.PositiveIntegerField("取込済みの入金", default=0)
    matched = models.PositiveIntegerField("自動消込", default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.CharField(max_length=100)

    class Meta:
        verbose_name = "入出金明細"
        verbose_name_plural = "入出金明細"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "sha256"], name="bank_statement_once_per_issuer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer_key} {self.filename}"


class CreditStatus(models.TextChoices):
    MATCHED = "matched", "自動消込"
    ASSIGNED = "assigned", "手動消込"
    UNMATCHED = "unmatched", "未照合"
    IGNORED = "ignored", "対象外"


class BankCredit(models.Model):
    """One credit (入金) of a statement and what became of it: matched to an invoice (a
    payment recorded), assigned by hand, still unmatched, or set aside as not an invoice
    payment."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="items")
    issuer_key = models.CharField(max_length=30)
    line_no = models.PositiveIntegerField("行")
    fingerprint = models.CharField(max_length=64)
    booked_on = models.DateField("勘定日")
    amount_yen = models.BigIntegerField("金額")
    payer_name = models.CharField("振込依頼人", max_length=48)
    reference = models.CharField("照会番号", max_length=20, blank=True)
    memo = models.CharField("摘要・EDI", max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=CreditStatus.choices)
    reason = models.CharField("照合の結果", max_length=200, blank=True)
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_credits"
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="bank_credit"
    )
    resolved_by = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "入金明細"
        verbose_name_plural = "入金明細"
        ordering = ["statement", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_key", "fingerprint"], name="bank_credit_once_per_issuer"
            )
        ]
        indexes = [models.Index(fields=["issuer_key", "status"], name="bank_credit_status")]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.payer_name} {self.amount_yen}"


def outstanding_yen(kind: str, cancelled: bool, total_yen: int, paid_yen: int) -> int:
    """What is still to be paid on an invoice: nothing on a credit note or on an invoice a
    credit note cancelled. The one rule, for an Invoice and for a list's plain rows."""
    if kind == InvoiceKind.CREDIT_NOTE or cancelled:
        return 0
    return max(total_yen - paid_yen, 0)
