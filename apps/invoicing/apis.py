from __future__ import annotations

from decimal import Decimal
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsSecretariatOrOperator, OnPublicSite
from apps.accounts.viewer import viewer_from_request
from apps.catalog.services import check_fiscal_year
from apps.core.api import page_of, paginated
from apps.core.domain.bounds import MAX_COUNT, MAX_POPULATION, MAX_YEN
from apps.core.errors import ApplicationError
from apps.core.filters import filtered
from apps.core.schemas import current_schema
from apps.core.serializers import (
    DateSerializerField,
    FiscalYearSerializerField,
    TextSerializerField,
    YenSerializerField,
)
from apps.invoicing.domain.apportionment import Member, Method, Share, apportion
from apps.invoicing.filters import InvoiceFilter
from apps.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from apps.invoicing.selectors import (
    PAYMENT_STATES,
    invoice_get,
    invoice_list,
    payment_state,
    run_get,
    run_scope_check,
)
from apps.invoicing.services.documents import (
    invoice_credit,
    invoice_issue,
    invoices_issue_all,
    payment_record,
    payment_reverse,
)
from apps.invoicing.tasks import start_run

MAX_MEMBERS = 5000


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain digits (never "1E+3"), as the API returns weights and raw shares
    (str, twice as fast, is plain unless the exponent is large either way)."""
    text = str(value)
    return format(value, "f") if "E" in text else text


class ApportionmentPreviewMember(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="団体コードなど、結果で見分ける名前")
    population = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_POPULATION, help_text="人口 (人口割)"
    )
    usage = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_COUNT, help_text="利用件数 (件数割)"
    )
    months = serializers.IntegerField(
        required=False, default=12, min_value=1, max_value=12, help_text="参加月数"
    )
    fixed_yen = serializers.IntegerField(
        required=False, allow_null=True, max_value=MAX_YEN, help_text="定額で負担する額"
    )


class ApportionmentPreviewRequest(serializers.Serializer):
    """The request body as documented (the view checks each member on its own)."""

    total_yen = serializers.IntegerField(max_value=MAX_YEN)
    equal_part = serializers.DecimalField(
        max_digits=12, decimal_places=10, required=False, default=Decimal(0)
    )
    doubling_factor = serializers.DecimalField(
        max_digits=12, decimal_places=10, required=False, default=Decimal("1.5")
    )
    members = ApportionmentPreviewMember(many=True, max_length=MAX_MEMBERS)


class ApportionmentShare(serializers.Serializer):
    code = serializers.CharField()
    amount_yen = serializers.IntegerField()
    weight = serializers.CharField(help_text="重み (小数の文字列)")
    raw_share = serializers.CharField(help_text="丸める前の負担額 (小数の文字列)")


class ApportionmentPreviewResponse(serializers.Serializer):
    total_yen = serializers.IntegerField()
    shares = ApportionmentShare(many=True)


_MEMBER_KEYS = frozenset({"code", "population", "usage", "months", "fixed_yen"})


_new_tuple = tuple.__new__


def _plain_member(raw: Any) -> Member | None:
    """The usual member (a short printable code, whole numbers within their bounds) checked
    without a serializer: a preview of 1,741 members spent most of its time in 1,741
    serializers. Anything else (numbers as strings, a bad value) returns None and goes through
    MemberInput, which accepts it or names the error. The commonest shape, a code and a
    population, is checked first and built as the tuple it is (half the time of the rest)."""
    if type(raw) is not dict:
        return None
    get = raw.get
    if len(raw) == 2:
        code, population = get("code"), get("population")
        if (
            type(code) is str
            and type(population) is int
            and 0 < len(code) <= 20
            and population <= MAX_POPULATION
            and code.isprintable()
            and code == code.strip()
        ):
            return _new_tuple(Member, (code, population, None, 12, None))  # type: ignore[no-any-return]
    if not raw.keys() <= _MEMBER_KEYS:
        return None
    code, population, usage, months, fixed = (
        get("code"),
        get("population"),
        get("usage"),
        get("months", 12),
        get("fixed_yen"),
    )
    if (
        type(code) is str
        and 0 < len(code) <= 20
        and code.isprintable()
        and code == code.strip()
        and (population is None or (type(population) is int and population <= MAX_POPULATION))
        and (usage is None or (type(usage) is int and usage <= MAX_COUNT))
        and (fixed is None or (type(fixed) is int and fixed <= MAX_YEN))
        and type(months) is int
    ):
        return Member(code, population, usage, months, fixed)
    return None


def _preview_json(total_yen: int, shares: list[Share]) -> bytes:
    """The preview's body (ApportionmentPreviewResponse), written directly: building and
    encoding 1,741 dicts took about as long as the apportionment's last steps. Each code is
    escaped by json's own encoder; the rest are digits."""
    rows = ",".join(
        f'{{"code":{encode_basestring(s.code)},"amount_yen":{s.amount_yen},'
        f'"weight":"{decimal_text(s.weight)}","raw_share":"{decimal_text(s.raw_share)}"}}'
        for s in shares
    )
    return f'{{"total_yen":{total_yen},"shares":[{rows}]}}'.encode()


class _MemberList(serializers.Field):
    """The members as the JSON parser gave them: a list of at most MAX_MEMBERS items, each
    checked by the view (a ListField or JSONField would walk or re-encode all 1,741 first)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if not isinstance(data, list):
            raise serializers.ValidationError("団体の一覧 (配列) を指定してください。")
        if len(data) > MAX_MEMBERS:
            raise serializers.ValidationError(
                f"団体は{MAX_MEMBERS:,}件までにしてください。", code="max_length"
            )
        return data

    def to_representation(self, value: Any) -> Any:
        return value


class ApportionmentPreviewApi(APIView):
    """What-if apportionment (試算): split a total among members without saving anything.

    `population` for the population method, `usage` for the usage-count method, `fixed_yen` for
    a member that pays a fixed amount; `months` (1-12, default 12) for part of a year."""

    permission_classes = [OnPublicSite, IsAuthenticated, IsSecretariatOrOperator]

    class MemberInput(serializers.Serializer):
        code = TextSerializerField(max_length=20)
        population = serializers.IntegerField(
            required=False, allow_null=True, max_value=MAX_POPULATION
        )
        usage = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_COUNT)
        months = serializers.IntegerField(required=False, default=12)
        fixed_yen = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_YEN)

    class InputSerializer(serializers.Serializer):
        total_yen = serializers.IntegerField(max_value=MAX_YEN)
        equal_part = serializers.DecimalField(
            max_digits=12, decimal_places=10, required=False, default=Decimal(0)
        )
        doubling_factor = serializers.DecimalField(
            max_digits=12, decimal_places=10, required=False, default=Decimal("1.5")
        )
        # Each member is checked on its own below, so an error names it: members[3].population.
        members = _MemberList()

    @extend_schema(
        request=ApportionmentPreviewRequest,
        responses={200: ApportionmentPreviewResponse},
    )
    def post(self, request: Request) -> HttpResponse:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members: list[Member] = []
        for i, raw in enumerate(data.validated_data["members"]):
            plain = _plain_member(raw)
            if plain is not None:
                members.append(plain)
                continue
            item = self.MemberInput(data=raw)
            if not item.is_valid():
                field, problems = next(iter(item.errors.items()))
                name = f"members[{i}].{field}"
                raise ApplicationError(
                    f"{name}: {problems[0]}",
                    "invalid_member",
                    fields={name: [str(p) for p in problems]},
                )
            members.append(Member(**item.validated_data))
        uses_usage = [m.usage is not None for m in members if m.fixed_yen is None]
        if any(uses_usage) and not all(uses_usage):
            raise ApplicationError(
                "members: 人口 (population) と利用件数 (usage) を混ぜられません。",
                "mixed_basis",
                fields={"members": ["population or usage"]},
            )
        method = Method(
            equal_part=data.validated_data["equal_part"],
            doubling_factor=data.validated_data["doubling_factor"],
            basis="usage" if uses_usage and all(uses_usage) else "population",
        )
        # an ApportionmentError is the usual 400 naming the member's field
        shares = apportion(data.validated_data["total_yen"], members, method)
        return HttpResponse(
            _preview_json(data.validated_data["total_yen"], shares),
            content_type="application/json",
        )


# --- invoices, payments, runs ----------------------------------------------------------------


class LineOutput(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    description = serializers.CharField()
    amount_yen = serializers.IntegerField()
    tax_category = serializers.CharField()
    detail = serializers.JSONField()


class PaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    paid_on = serializers.DateField()
    amount_yen = serializers.IntegerField(help_text="訂正 (取消) の記録は負の額")
    note = serializers.CharField()
    reverses_id = serializers.IntegerField(allow_null=True, help_text="取り消した入金")
    reason = serializers.CharField(help_text="訂正の理由")


class InvoiceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    status = serializers.CharField()
    number = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    issuer_name = serializers.CharField()
    issuer_registration_number = serializers.CharField()
    recipient_code = serializers.CharField(source="recipient.code")
    recipient_name = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    subtotal_yen = serializers.IntegerField()
    tax_yen = serializers.IntegerField()
    total_yen = serializers.IntegerField()
    tax_summary = serializers.JSONField()
    paid_yen = serializers.IntegerField()
    outstanding_yen = serializers.IntegerField()
    payment_state = serializers.SerializerMethodField()
    corrects_id = serializers.IntegerField(allow_null=True)
    revision = serializers.IntegerField()

    def get_payment_state(self, obj: Invoice) -> str:
        return payment_state(obj)


class InvoiceDetailOutput(InvoiceOutput):
    issuer_details = serializers.JSONField(
        help_text="発行時の請求者の所在地・代表者・振込先 (下書きでは空)"
    )
    lines = LineOutput(many=True, source="lines.all")
    payments = PaymentOutput(many=True, source="payments.all")


class InvoicesApi(APIView):
    """Invoices the caller may see: its councils' or its own (issuer), or those addressed to its
    body (issued only). Filters: fiscal_year, status, kind, payment, recipient."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", int, description="年度 (西暦)"),
            OpenApiParameter("status", str, enum=InvoiceStatus.values),
            OpenApiParameter("kind", str, enum=InvoiceKind.values),
            OpenApiParameter("payment", str, enum=list(PAYMENT_STATES)),
            OpenApiParameter("recipient", str, pattern=r"^\d{6}$", description="宛先の団体コード"),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(InvoiceOutput)},
    )
    def get(self, request: Request) -> Response:
        qs = filtered(
            InvoiceFilter(
                request.query_params, queryset=invoice_list(viewer=viewer_from_request(request))
            )
        )
        return paginated(request, self, qs, InvoiceOutput)


class InvoiceDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: InvoiceDetailOutput})
    def get(self, request: Request, invoice_id: int) -> Response:
        invoice = invoice_get(viewer=viewer_from_request(request), invoice_id=invoice_id)
        return Response(InvoiceDetailOutput(invoice).data)


class InvoiceIssueApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(request=None, responses={200: InvoiceDetailOutput})
    def post(self, request: Request, invoice_id: int) -> Response:
        invoice = invoice_issue(viewer=viewer_from_request(request), invoice_id=invoice_id)
        return Response(InvoiceDetailOutput(invoice).data)


class InvoiceIssueAllApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        fiscal_year = FiscalYearSerializerField()
        kind = serializers.ChoiceField(choices=InvoiceKind.choices, required=False)

    class OutputSerializer(serializers.Serializer):
        issued = serializers.IntegerField(help_text="発行した請求書の数")

    @extend_schema(
        request=InputSerializer,
        responses={200: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = invoices_issue_all(viewer=viewer_from_request(request), **data.validated_data)
        return Response({"issued": count})


class InvoiceCreditApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = TextSerializerField(max_length=500, multiline=True)

    @extend_schema(request=InputSerializer, responses={201: InvoiceDetailOutput})
    def post(self, request: Request, invoice_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        credit = invoice_credit(viewer=viewer, invoice_id=invoice_id, **data.validated_data)
        return Response(
            InvoiceDetailOutput(invoice_get(viewer=viewer, invoice_id=credit.pk)).data, status=201
        )


class PaymentsApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        # any whole yen within bounds: a negative or zero amount is refused by the service,
        # each with its own code
        amount_yen = YenSerializerField(min_value=-MAX_YEN)
        paid_on = DateSerializerField()
        note = TextSerializerField(required=False, allow_blank=True, default="", max_length=200)

    @extend_schema(request=InputSerializer, responses={201: PaymentOutput})
    def post(self, request: Request, invoice_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payment = payment_record(
            viewer=viewer_from_request(request), invoice_id=invoice_id, **data.validated_data
        )
        return Response(PaymentOutput(payment).data, status=201)


class PaymentReverseApi(APIView):
    """Correct a payment recorded by mistake: a reversing entry with a reason (the payment is
    never edited or deleted)."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = TextSerializerField(max_length=500, multiline=True)

    @extend_schema(request=InputSerializer, responses={201: PaymentOutput})
    def post(self, request: Request, invoice_id: int, payment_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = payment_reverse(
            viewer=viewer_from_request(request),
            invoice_id=invoice_id,
            payment_id=payment_id,
            reason=data.validated_data["reason"],
        )
        return Response(PaymentOutput(reversal).data, status=201)


class RunOutput(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    group_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    attempt = serializers.IntegerField()
    units_total = serializers.IntegerField()
    units_done = serializers.IntegerField()
    invoices_created = serializers.IntegerField()
    invoices_updated = serializers.IntegerField()
    invoices_unchanged = serializers.IntegerField()
    problems = serializers.JSONField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)

    @staticmethod
    def empty(fiscal_year: int, group_id: int | None) -> dict:
        return {
            "fiscal_year": fiscal_year,
            "group_id": group_id,
            "attempt": 0,
            "units_total": 0,
            "units_done": 0,
            "invoices_created": 0,
            "invoices_updated": 0,
            "invoices_unchanged": 0,
            "problems": [],
            "started_at": None,
            "finished_at": None,
        }


class InvoiceRunApi(APIView):
    """The national run of a fiscal year (every council and every vendor): the operator's.
    GET its progress; POST starts (or resumes) it on the Celery workers."""

    permission_classes = [OnPublicSite, IsAuthenticated, IsSecretariatOrOperator]

    def _group_id(self, kwargs: dict) -> int | None:
        return None

    @extend_schema(responses={200: RunOutput})
    def get(self, request: Request, fiscal_year: int, **kwargs: int) -> Response:
        group_id = self._group_id(kwargs)
        run = run_get(
            viewer=viewer_from_request(request), fiscal_year=fiscal_year, group_id=group_id
        )
        if run is None:
            raise ApplicationError(
                f"{fiscal_year}年度の請求データ作成はまだ実行されていません。",
                "run_not_found",
                status=404,
            )
        return Response(RunOutput(run).data)

    @extend_schema(
        request=None,
        responses={202: RunOutput},
    )
    def post(self, request: Request, fiscal_year: int, **kwargs: int) -> Response:
        group_id = self._group_id(kwargs)
        viewer = viewer_from_request(request)
        run_scope_check(viewer=viewer, group_id=group_id)
        check_fiscal_year(fiscal_year)
        start_run.delay(
            fiscal_year, started_by=f"{current_schema()}:{viewer.user.pk}", group_id=group_id
        )
        run = run_get(viewer=viewer, fiscal_year=fiscal_year, group_id=group_id)
        return Response(
            RunOutput(run).data
            if run
            else {**RunOutput.empty(fiscal_year, group_id), "status": "queued"},
            status=202,
        )


class GroupInvoiceRunApi(InvoiceRunApi):
    """One council's run of a fiscal year (its burden invoices): the council's secretariat."""

    def _group_id(self, kwargs: dict) -> int | None:
        return int(kwargs["group_id"])
