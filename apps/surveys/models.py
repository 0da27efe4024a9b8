"""Choosing what to share (public schema): a secretariat's needs survey (ニーズ調査) to an
audience of bodies, the answers each body submitted (every revision kept), the savings options
(試算) the secretariat models over them, the decision and what it started: a council joint
service the interested members confirm, or a call for services (募集) vendors answer.

A body's draft answer and its internal comments are not here: they live in the body's schema
(apps.approvals.models.SurveyDraft), and only the submitted answer is shared."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.catalog.models import Listing
from apps.groups.models import Group, JointService
from apps.tenants.models import Body, PopulationSource


class AudienceKind(models.TextChoices):
    GROUP = "group", "協議会・研究会の構成団体"
    PREFECTURE = "prefecture", "都道府県内のすべての団体"


class Interest(models.TextChoices):
    ADOPTED = "adopted", "導入済み"
    CONSIDERING = "considering", "検討中"
    INTERESTED = "interested", "関心あり"
    NONE = "none", "不要"


# The bodies a joint option is modelled over: every interest but 不要.
INTERESTED = (Interest.ADOPTED, Interest.CONSIDERING, Interest.INTERESTED)


class Survey(models.Model):
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name="実施する協議会・研究会",
    )
    title = models.CharField("調査名", max_length=200)
    area = models.CharField("候補業務", max_length=100)  # 施設予約, AIチャットボット
    description = models.TextField("説明", blank=True)
    audience_kind = models.CharField("対象", max_length=20, choices=AudienceKind.choices)
    prefecture = models.CharField("都道府県", max_length=10, blank=True)
    deadline = models.DateField("回答期限")
    features = models.JSONField("必要な機能の選択肢", default=list)  # list[str]
    questions = models.JSONField("追加の質問", default=list)  # list[str], answered as text
    audience_count = models.PositiveIntegerField("対象団体数", default=0)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "ニーズ調査"
        verbose_name_plural = "ニーズ調査"
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title


class SurveyAudience(models.Model):
    """A body asked to answer a survey (fixed when the survey is opened)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="audience")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "調査対象団体"
        verbose_name_plural = "調査対象団体"
        constraints = [
            models.UniqueConstraint(fields=["survey", "body"], name="survey_audience_unique")
        ]
        indexes = [models.Index(fields=["body", "survey"], name="survey_audience_body")]

    def __str__(self) -> str:
        return f"{self.survey_id} / {self.body_id}"


class SurveyAnswer(models.Model):
    """One submitted revision of a body's answer. The current one has superseded_at unset; a
    revision is never changed, a new one supersedes it."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="answers")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveIntegerField("版")
    current_system = models.CharField("現在のシステム", max_length=200, blank=True)
    current_vendor = models.CharField("現在の事業者", max_length=200, blank=True)
    annual_cost_yen = models.PositiveBigIntegerField("年間運用経費 (円)", null=True, blank=True)
    contract_end = models.DateField("現契約の終了日", null=True, blank=True)
    users_count = models.PositiveIntegerField("利用者数", null=True, blank=True)
    transactions_count = models.PositiveIntegerField("年間件数", null=True, blank=True)
    interest = models.CharField("導入の意向", max_length=20, choices=Interest.choices)
    features = models.JSONField("必要な機能", default=list)  # indexes into Survey.features
    comment = models.TextField("自由記述", blank=True)
    extra = models.JSONField("追加の質問への回答", default=list)  # aligned with Survey.questions
    submitted_at = models.DateTimeField("提出日時")
    submitted_by = models.PositiveIntegerField("提出者 (団体内の利用者ID)")
    superseded_at = models.DateTimeField("改訂日時", null=True, blank=True)

    class Meta:
        verbose_name = "調査回答"
        verbose_name_plural = "調査回答"
        ordering = ["survey", "body__code", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "body", "revision"], name="survey_answer_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["survey", "body"],
                condition=Q(superseded_at__isnull=True),
                name="survey_answer_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} / {self.body_id} 第{self.revision}版"


class SavingsOption(models.Model):
    """A joint option the secretariat models (試算): a total and an apportionment method over
    the interested bodies."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="options")
    label = models.CharField("案の名前", max_length=100)
    total_cost_yen = models.PositiveBigIntegerField("年間総経費 (円)")
    basis = models.CharField(
        "按分の基準",
        max_length=20,
        choices=[("population", "人口割 (均等割との併用可)"), ("usage", "利用件数割")],
        default="population",
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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "試算案"
        verbose_name_plural = "試算案"
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="savings_option_label"),
            models.CheckConstraint(
                condition=Q(equal_part__gte=0) & Q(equal_part__lte=1),
                name="savings_equal_part_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Pattern(models.TextChoices):
    COMMON_A = "common_a", "共通化A (国が整備)"
    COMMON_B = "common_b", "共通化B (事業者のサービスを各団体が利用契約)"
    STANDARD = "standard", "標準化"
    INDIVIDUAL = "individual", "個別"


class Outcome(models.TextChoices):
    NONE = "none", "なし (見送り・記録のみ)"
    JOINT_SERVICE = "joint_service", "協議会の共同運営システムとして開始"
    CALL_FOR_SERVICES = "call", "共通化Bとして事業者を募集"


class Decision(models.Model):
    """A decision on a closed survey; the latest is in force, the earlier ones are history."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="decisions")
    pattern = models.CharField("方式", max_length=20, choices=Pattern.choices)
    go = models.BooleanField("実施する")
    outcome = models.CharField("次の手続", max_length=20, choices=Outcome.choices)
    option = models.ForeignKey(
        SavingsOption, on_delete=models.PROTECT, null=True, blank=True, verbose_name="採用する案"
    )
    fiscal_year = models.PositiveSmallIntegerField("開始年度", null=True, blank=True)
    reasons = models.TextField("理由")
    decided_at = models.DateTimeField("決定日時", auto_now_add=True)
    decided_by = models.PositiveIntegerField("決定者 (利用者ID)")
    joint_service = models.ForeignKey(
        JointService, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "意思決定"
        verbose_name_plural = "意思決定"
        ordering = ["survey", "-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.get_pattern_display()} {'実施' if self.go else '見送り'}"


class InviteStatus(models.TextChoices):
    PENDING = "pending", "確認待ち"
    CONFIRMED = "confirmed", "参加を確認"
    DECLINED = "declined", "参加しない"


class JoinInvitation(models.Model):
    """A member asked to confirm that it takes part in the joint service a decision started."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="invitations")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状態", max_length=20, choices=InviteStatus.choices, default=InviteStatus.PENDING
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "参加の確認"
        verbose_name_plural = "参加の確認"
        ordering = ["decision", "body__code"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "body"], name="join_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} / {self.body_id} {self.status}"


class ServiceCall(models.Model):
    """A call for services (募集) a 共通化B decision published: vendors see it with the features
    the bodies asked for, and answer it with a published listing."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="call")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField("募集名", max_length=200)
    area = models.CharField("業務", max_length=100)
    features = models.JSONField("求める機能", default=list)  # [(feature, bodies asking)]
    interested_bodies = models.PositiveIntegerField("関心のある団体数")
    published_at = models.DateTimeField("公開日時", auto_now_add=True)

    class Meta:
        verbose_name = "サービスの募集"
        verbose_name_plural = "サービスの募集"
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CallResponse(models.Model):
    """A vendor's published listing offered as an answer to a call."""

    call = models.ForeignKey(ServiceCall, on_delete=models.CASCADE, related_name="responses")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "募集への応募"
        verbose_name_plural = "募集への応募"
        ordering = ["call", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["call", "listing"], name="call_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.call_id} / {self.listing_id}"


class SurveyReminder(models.Model):
    """A reminder sent to a body that had not answered, at most one a day (the task's key)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reminders")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "body", "sent_on"], name="survey_reminder_daily"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} / {self.body_id} {self.sent_on}"
