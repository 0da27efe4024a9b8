"""API of the issuer's back office: its details printed on invoices, and bank reconciliation
(statements uploaded, credits matched, the unmatched assigned or set aside by hand). An issuer
is named "group:3" (a council, for its secretariat) or "vendor:7" (a vendor, for its staff)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import OnPublicSite
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.core.api import page_of, paginated
from apps.core.serializers import TextSerializerField
from apps.invoicing.forms import INVOICE_NUMBER, STATEMENT_MAX_BYTES
from apps.invoicing.models import (
    AccountType,
    BankStatement,
    CreditStatus,
    IssuerProfile,
    StatementFormat,
)
from apps.invoicing.selectors import (
    credit_get,
    credit_list,
    issuer_choices,
    statement_get,
    statement_list,
)
from apps.invoicing.services.issuers import issuer_profile_save
from apps.invoicing.services.reconciliation import credit_assign, credit_ignore, statement_import

ISSUER = r"^(group|vendor):[0-9]{1,10}$"


def _issuer_field(**kwargs: object) -> serializers.RegexField:
    return serializers.RegexField(
        ISSUER,
        max_length=20,
        help_text='請求者 ("group:協議会ID" または "vendor:事業者ID")',
        **kwargs,  # type: ignore[arg-type]
    )


class ProfileFields(serializers.Serializer):
    postal_code = serializers.RegexField(r"^[0-9]{3}-?[0-9]{4}$", max_length=8)
    address = TextSerializerField(max_length=200)
    representative = TextSerializerField(max_length=100, help_text="代表者 (役職・氏名)")
    contact = TextSerializerField(max_length=200, required=False, allow_blank=True, default="")
    bank_code = serializers.RegexField(r"^[0-9]{4}$", help_text="金融機関コード (4桁)")
    branch_code = serializers.RegexField(r"^[0-9]{3}$", help_text="支店コード (3桁)")
    account_type = serializers.ChoiceField(choices=AccountType.choices, help_text="1 普通, 2 当座")
    account_number = serializers.RegexField(r"^[0-9]{1,7}$", help_text="口座番号 (7桁以内)")
    account_holder_kana = TextSerializerField(max_length=48, help_text="口座名義 (カナ)")


class ProfileOutput(ProfileFields):
    bank_name = serializers.CharField()
    branch_name = serializers.CharField()
    updated_at = serializers.DateTimeField()


class IssuerOutput(serializers.Serializer):
    issuer = serializers.CharField()
    name = serializers.CharField()
    profile = ProfileOutput(allow_null=True, help_text="未登録なら null")


class IssuersApi(APIView):
    """The issuers the caller acts for, each with the details its invoices print."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(responses={200: IssuerOutput(many=True)})
    def get(self, request: Request) -> Response:
        viewer = viewer_from_request(request)
        viewer.require_issuer()
        choices = issuer_choices(viewer=viewer)
        profiles = {
            p.issuer_key: p
            for p in IssuerProfile.objects.filter(issuer_key__in=[k for k, _ in choices])
        }
        return Response(
            IssuerOutput(
                [{"issuer": k, "name": n, "profile": profiles.get(k)} for k, n in choices],
                many=True,
            ).data
        )


class IssuerProfileApi(APIView):
    """Set the issuer's address, representative and bank account (振込先). Bank and branch
    codes are checked against the 全銀協 list; invoices issued from now on print them."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(ProfileFields):
        issuer = _issuer_field()

    @extend_schema(request=InputSerializer, responses={200: ProfileOutput})
    def put(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        key = values.pop("issuer")
        digits = values["postal_code"].replace("-", "")
        values["postal_code"] = f"{digits[:3]}-{digits[3:]}"
        profile = issuer_profile_save(
            viewer=viewer_from_request(request), issuer_key=key, data=values
        )
        return Response(ProfileOutput(profile).data)


class StatementOutput(serializers.Serializer):
    id = serializers.IntegerField()
    issuer = serializers.CharField(source="issuer_key")
    format = serializers.CharField()
    filename = serializers.CharField()
    account = serializers.CharField()
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    credits = serializers.IntegerField(help_text="明細の入金件数")
    duplicates = serializers.IntegerField(help_text="取込済みのため記録しなかった入金")
    matched = serializers.IntegerField(help_text="自動消込で入金を記録した件数")
    unmatched = serializers.IntegerField(help_text="未照合のまま残る件数")
    uploaded_at = serializers.DateTimeField()


class CreditOutput(serializers.Serializer):
    id = serializers.IntegerField()
    statement_id = serializers.IntegerField()
    issuer = serializers.CharField(source="issuer_key")
    line_no = serializers.IntegerField(help_text="明細ファイルの行")
    booked_on = serializers.DateField()
    amount_yen = serializers.IntegerField()
    payer_name = serializers.CharField()
    reference = serializers.CharField()
    memo = serializers.CharField()
    status = serializers.ChoiceField(choices=CreditStatus.choices)
    reason = serializers.CharField(help_text="照合の結果、または対象外の理由")
    invoice_number = serializers.CharField(source="invoice.number", allow_null=True)
    payment_id = serializers.IntegerField(allow_null=True)


class StatementDetailOutput(StatementOutput):
    items = CreditOutput(many=True)


def _with_unmatched(qs: QuerySet[BankStatement]) -> QuerySet[BankStatement]:
    return qs.annotate(unmatched=Count("items", filter=Q(items__status=CreditStatus.UNMATCHED)))


class BankStatementsApi(APIView):
    """GET the statements uploaded; POST (multipart) a statement: the 全銀協 入出金取引明細
    (fixed length, Shift_JIS) or a CSV. Malformed files are refused whole (400
    statement_malformed, each problem with its line); the same file twice is 409
    statement_already_imported; credits another statement already brought are not recorded
    again."""

    permission_classes = [OnPublicSite, IsAuthenticated]
    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        issuer = _issuer_field()
        format = serializers.ChoiceField(
            choices=StatementFormat.choices, required=False, help_text="省略時は自動判別"
        )
        file = serializers.FileField(max_length=200, allow_empty_file=False)

        def validate_file(self, value):  # type: ignore[no-untyped-def]
            if value.size > STATEMENT_MAX_BYTES:
                raise serializers.ValidationError("ファイルが大きすぎます (5MB まで)。")
            return value

    @extend_schema(
        parameters=[
            OpenApiParameter("issuer", str, pattern=ISSUER),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(StatementOutput)},
    )
    def get(self, request: Request) -> Response:
        viewer, query = _issuer_query(request)
        qs = _with_unmatched(statement_list(viewer=viewer, issuer_key=query.get("issuer")))
        return paginated(request, self, qs, StatementOutput)

    @extend_schema(request=InputSerializer, responses={201: StatementDetailOutput})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        upload = data.validated_data["file"]
        statement = statement_import(
            viewer=viewer,
            issuer_key=data.validated_data["issuer"],
            filename=upload.name,
            content=upload.read(),
            format=data.validated_data.get("format"),
        )
        return Response(_detail(viewer, statement.pk), status=201)


class IssuerQuery(serializers.Serializer):
    issuer = _issuer_field(required=False)
    status = serializers.ChoiceField(choices=CreditStatus.choices, required=False)


def _issuer_query(request: Request) -> tuple[Viewer, dict[str, Any]]:
    """The issuer (403 for a role that issues nothing) and the list's validated filters."""
    viewer = viewer_from_request(request)
    viewer.require_issuer()
    query = IssuerQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return viewer, dict(query.validated_data)


def _detail(viewer: Viewer, statement_id: int) -> dict[str, Any]:
    """A statement with each of its credits and what became of it."""
    statement = statement_get(viewer=viewer, statement_id=statement_id)
    items = list(statement.items.select_related("invoice").order_by("line_no"))
    statement.unmatched = sum(i.status == CreditStatus.UNMATCHED for i in items)  # type: ignore[attr-defined]
    return {**StatementOutput(statement).data, "items": CreditOutput(items, many=True).data}


class BankStatementDetailApi(APIView):
    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(responses={200: StatementDetailOutput})
    def get(self, request: Request, statement_id: int) -> Response:
        viewer = viewer_from_request(request)
        viewer.require_issuer()
        return Response(_detail(viewer, statement_id))


class BankCreditsApi(APIView):
    """Credits of the caller's statements; status=unmatched is the list to work through."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("issuer", str, pattern=ISSUER),
            OpenApiParameter("status", str, enum=CreditStatus.values),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={200: page_of(CreditOutput)},
    )
    def get(self, request: Request) -> Response:
        viewer, query = _issuer_query(request)
        qs = credit_list(viewer=viewer, issuer_key=query.get("issuer"), status=query.get("status"))
        return paginated(request, self, qs, CreditOutput)


class BankCreditAssignApi(APIView):
    """Assign an unmatched credit to an invoice of the same issuer: a payment is recorded with
    every rule of a payment (not more than owed, date not before issue, ...)."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        invoice_number = serializers.RegexField(INVOICE_NUMBER, max_length=30)

    @extend_schema(request=InputSerializer, responses={200: CreditOutput})
    def post(self, request: Request, credit_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        credit = credit_assign(viewer=viewer, credit_id=credit_id, **data.validated_data)
        return Response(CreditOutput(credit_get(viewer=viewer, credit_id=credit.pk)).data)


class BankCreditIgnoreApi(APIView):
    """Set aside a credit that pays no invoice (a refund, interest), with the reason."""

    permission_classes = [OnPublicSite, IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        reason = TextSerializerField(max_length=200)

    @extend_schema(request=InputSerializer, responses={200: CreditOutput})
    def post(self, request: Request, credit_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        credit = credit_ignore(viewer=viewer, credit_id=credit_id, **data.validated_data)
        return Response(CreditOutput(credit_get(viewer=viewer, credit_id=credit.pk)).data)
