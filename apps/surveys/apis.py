"""API of choosing what to share: needs surveys, answers, results, savings options, decisions,
confirmations and calls for services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import IsBodyUser, WritesBySecretariat
from apps.accounts.viewer import Viewer, viewer_from_request
from apps.core.api import page_of, paginated
from apps.core.domain.bounds import LONG_TEXT, MAX_COUNT
from apps.core.serializers import (
    DateSerializerField,
    FiscalYearSerializerField,
    IdSerializerField,
    TextSerializerField,
    YenSerializerField,
)
from apps.surveys import selectors, services
from apps.surveys.models import AudienceKind, Interest, Outcome, Pattern
from apps.tenants.models import PopulationSource

# --- surveys --------------------------------------------------------------------------------


class SurveyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    group_id = serializers.IntegerField()
    group_name = serializers.CharField(source="group.name")
    title = serializers.CharField()
    area = serializers.CharField()
    description = serializers.CharField()
    audience_kind = serializers.ChoiceField(choices=AudienceKind.choices)
    prefecture = serializers.CharField()
    deadline = serializers.DateField()
    is_open = serializers.SerializerMethodField()
    features = serializers.ListField(child=serializers.CharField(), help_text="必要な機能の選択肢")
    questions = serializers.ListField(child=serializers.CharField(), help_text="追加の質問")
    audience_count = serializers.IntegerField(help_text="対象団体数")
    answered = serializers.SerializerMethodField(help_text="回答を提出した団体数")
    response_rate = serializers.SerializerMethodField(help_text="回答率 (%)")
    mine_answered = serializers.BooleanField(
        required=False, help_text="(団体のみ) 自団体が提出済みか"
    )

    def get_is_open(self, obj: Any) -> bool:
        return selectors.is_open(obj)

    def get_answered(self, obj: Any) -> int:
        return selectors.response_rate(obj)[0]

    def get_response_rate(self, obj: Any) -> float:
        return selectors.response_rate(obj)[2]


class SurveysApi(APIView):
    permission_classes = [IsAuthenticated, WritesBySecretariat]

    class InputSerializer(serializers.Serializer):
        group_id = IdSerializerField()
        title = TextSerializerField()
        area = TextSerializerField(max_length=100)
        description = TextSerializerField(
            required=False, allow_blank=True, default="", max_length=LONG_TEXT, multiline=True
        )
        audience_kind = serializers.ChoiceField(choices=AudienceKind.choices)
        deadline = DateSerializerField()
        features = serializers.ListField(
            child=TextSerializerField(), max_length=services.MAX_FEATURES
        )
        questions = serializers.ListField(
            child=TextSerializerField(),
            max_length=services.MAX_QUESTIONS,
            required=False,
            default=list,
        )

    @extend_schema(responses={200: page_of(SurveyOutput)})
    def get(self, request: Request) -> Response:
        qs = selectors.survey_list(viewer=viewer_from_request(request))
        return paginated(request, self, qs, SurveyOutput)

    @extend_schema(request=InputSerializer, responses={201: SurveyOutput})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        survey = services.survey_open(viewer=viewer, **data.validated_data)
        survey = selectors.survey_get(viewer=viewer, survey_id=survey.pk)
        return Response(SurveyOutput(survey).data, status=status.HTTP_201_CREATED)


class SurveyDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SurveyOutput})
    def get(self, request: Request, survey_id: int) -> Response:
        survey = selectors.survey_get(viewer=viewer_from_request(request), survey_id=survey_id)
        return Response(SurveyOutput(survey).data)


class SurveyDeadlineApi(APIView):
    """The secretariat moves the deadline later (until a decision is recorded)."""

    permission_classes = [IsAuthenticated, WritesBySecretariat]

    class InputSerializer(serializers.Serializer):
        deadline = DateSerializerField()

    @extend_schema(request=InputSerializer, responses={200: SurveyOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        services.survey_extend(viewer=viewer, survey_id=survey_id, **data.validated_data)
        return Response(SurveyOutput(selectors.survey_get(viewer=viewer, survey_id=survey_id)).data)


class RemindersOutput(serializers.Serializer):
    waiting = serializers.IntegerField(help_text="まだ回答していない団体数 (督促の対象)")


class SurveyRemindersApi(APIView):
    """The secretariat sends reminders now to the bodies that have not answered (by the
    worker: a notice on their home page and an e-mail; at most one a day per body)."""

    permission_classes = [IsAuthenticated, WritesBySecretariat]

    @extend_schema(request=None, responses={202: RemindersOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        waiting = services.reminders_request(
            viewer=viewer_from_request(request), survey_id=survey_id
        )
        return Response({"waiting": waiting}, status=status.HTTP_202_ACCEPTED)


# --- answers --------------------------------------------------------------------------------


class AnswerFields(serializers.Serializer):
    current_system = TextSerializerField(required=False, allow_blank=True, default="")
    current_vendor = TextSerializerField(required=False, allow_blank=True, default="")
    annual_cost_yen = YenSerializerField(required=False, allow_null=True, default=None)
    contract_end = DateSerializerField(required=False, allow_null=True, default=None)
    users_count = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_COUNT
    )
    transactions_count = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=MAX_COUNT
    )
    interest = serializers.ChoiceField(
        choices=Interest.choices, required=False, allow_blank=True, default=""
    )
    features = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=services.MAX_FEATURES - 1),
        required=False,
        default=list,
        max_length=services.MAX_FEATURES,
        help_text="必要な機能 (調査の選択肢の番号、0から)",
    )
    comment = TextSerializerField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT, multiline=True
    )
    extra = serializers.ListField(
        child=TextSerializerField(allow_blank=True, max_length=LONG_TEXT, multiline=True),
        required=False,
        default=list,
        max_length=services.MAX_QUESTIONS,
        help_text="追加の質問への回答 (質問の順)",
    )


class AnswerOutput(AnswerFields):
    id = serializers.IntegerField()
    body_code = serializers.CharField(source="body.code")
    body_name = serializers.CharField(source="body.name")
    revision = serializers.IntegerField(help_text="版 (改訂ごとに1つ増える)")
    submitted_at = serializers.DateTimeField()
    current = serializers.SerializerMethodField(help_text="現在有効な版か")

    def get_current(self, obj: Any) -> bool:
        return obj.superseded_at is None


class SurveyAnswersApi(APIView):
    """The secretariat: every body's answer in force. A body: its own revisions, newest
    first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: page_of(AnswerOutput)})
    def get(self, request: Request, survey_id: int) -> Response:
        viewer = viewer_from_request(request)
        survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
        if selectors.runs_survey(viewer, survey):
            qs = selectors.current_answers(survey=survey)
        else:
            qs = selectors.own_answers(viewer=viewer, survey=survey).select_related("body")
        return paginated(request, self, qs, AnswerOutput)


class CommentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(source="author.full_name")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class DraftOutput(serializers.Serializer):
    values = serializers.DictField(help_text="下書きの内容 (回答と同じ項目)")
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)
    comments = CommentOutput(many=True)


def _draft_body(draft: Any) -> dict[str, Any]:
    if draft is None:
        return {"values": {}, "updated_at": None, "updated_by": None, "comments": []}
    comments = draft.comments.select_related("author")
    return DraftOutput(
        {
            "values": draft.values,
            "updated_at": draft.updated_at,
            "updated_by": draft.updated_by.full_name,
            "comments": list(comments),
        }
    ).data


class SurveyDraftApi(APIView):
    """A body's draft answer (kept in the body's own schema); any of its staff may save it."""

    permission_classes = [IsAuthenticated, IsBodyUser]

    @extend_schema(responses={200: DraftOutput})
    def get(self, request: Request, survey_id: int) -> Response:
        _survey, draft = services.draft_get(
            viewer=viewer_from_request(request), survey_id=survey_id
        )
        return Response(_draft_body(draft))

    @extend_schema(request=AnswerFields, responses={200: DraftOutput})
    def put(self, request: Request, survey_id: int) -> Response:
        data = AnswerFields(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.draft_save(
            viewer=viewer_from_request(request), survey_id=survey_id, values=data.validated_data
        )
        return Response(_draft_body(draft))


class SurveyDraftCommentsApi(APIView):
    permission_classes = [IsAuthenticated, IsBodyUser]

    class InputSerializer(serializers.Serializer):
        text = TextSerializerField(max_length=LONG_TEXT, multiline=True)

    @extend_schema(request=InputSerializer, responses={201: CommentOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.draft_comment_add(
            viewer=viewer_from_request(request), survey_id=survey_id, **data.validated_data
        )
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class SurveySubmitApi(APIView):
    """The body's administrator submits the draft as its answer (a new revision each time,
    until the deadline)."""

    permission_classes = [IsAuthenticated, IsBodyUser]

    @extend_schema(request=None, responses={201: AnswerOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        answer = services.draft_submit(viewer=viewer_from_request(request), survey_id=survey_id)
        return Response(AnswerOutput(answer).data, status=status.HTTP_201_CREATED)


# --- results --------------------------------------------------------------------------------


class BucketOutput(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class InterestCount(serializers.Serializer):
    interest = serializers.ChoiceField(choices=Interest.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class ResultsOutput(serializers.Serializer):
    answered = serializers.IntegerField()
    asked = serializers.IntegerField()
    interest = InterestCount(many=True)
    costs = BucketOutput(many=True, help_text="現在の年間経費の分布")
    contract_ends = BucketOutput(many=True, help_text="現契約の終了年度 (西暦の年度)")
    features = BucketOutput(many=True, help_text="必要な機能 (多い順)")


class SurveyResultsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ResultsOutput})
    def get(self, request: Request, survey_id: int) -> Response:
        viewer = viewer_from_request(request)
        survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
        r = selectors.survey_results(viewer=viewer, survey=survey)
        return Response(
            {
                "answered": r.answered,
                "asked": r.asked,
                "interest": [
                    {"interest": v, "label": label, "count": n} for v, label, n, _ in r.interest
                ],
                "costs": [{"label": b.label, "count": b.count} for b in r.costs],
                "contract_ends": [{"label": b.label, "count": b.count} for b in r.ends],
                "features": [{"label": b.label, "count": b.count} for b in r.features],
            }
        )


# --- savings options ------------------------------------------------------------------------


class OptionFields(serializers.Serializer):
    label = TextSerializerField(max_length=100)
    total_cost_yen = YenSerializerField()
    basis = serializers.ChoiceField(
        choices=[("population", "人口割"), ("usage", "利用件数割")], default="population"
    )
    equal_part = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        default=Decimal(0),
    )
    doubling_factor = serializers.DecimalField(
        max_digits=6,
        decimal_places=4,
        min_value=Decimal("1.0001"),
        max_value=Decimal(10),
        default=Decimal("1.5"),
    )
    population_source = serializers.ChoiceField(
        choices=PopulationSource.choices, default=PopulationSource.CENSUS_2020
    )


class OptionOutput(OptionFields):
    id = serializers.IntegerField()


class SurveyOptionsApi(APIView):
    permission_classes = [IsAuthenticated, WritesBySecretariat]

    @extend_schema(responses={200: OptionOutput(many=True)})
    def get(self, request: Request, survey_id: int) -> Response:
        survey = selectors.survey_get(viewer=viewer_from_request(request), survey_id=survey_id)
        return Response(OptionOutput(selectors.options_of(survey=survey), many=True).data)

    @extend_schema(request=OptionFields, responses={201: OptionOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        data = OptionFields(data=request.data)
        data.is_valid(raise_exception=True)
        option = services.option_add(
            viewer=viewer_from_request(request), survey_id=survey_id, **data.validated_data
        )
        return Response(OptionOutput(option).data, status=status.HTTP_201_CREATED)


class SavingsLine(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    usage = serializers.IntegerField(allow_null=True)
    current_cost_yen = serializers.IntegerField(allow_null=True, help_text="現在の年間経費")
    share_yen = serializers.IntegerField(help_text="共同化したときの負担額")
    saving_yen = serializers.IntegerField(
        allow_null=True, help_text="現在の経費 − 負担額 (負: 負担が増える)"
    )


class SavingsTotals(serializers.Serializer):
    total_yen = serializers.IntegerField(help_text="案の年間総経費 (負担額の合計と一致)")
    bodies = serializers.IntegerField(help_text="按分した団体数")
    current_total_yen = serializers.IntegerField(help_text="経費を回答した団体の現在の合計")
    share_total_yen = serializers.IntegerField(help_text="同じ団体の負担額の合計")
    saving_total_yen = serializers.IntegerField()
    bodies_saving = serializers.IntegerField()
    bodies_paying_more = serializers.IntegerField()
    bodies_without_cost = serializers.IntegerField()
    excluded = serializers.ListField(
        child=serializers.DictField(), help_text="按分から外した団体と理由"
    )


class SavingsOptionOutput(serializers.Serializer):
    option = OptionOutput()
    totals = SavingsTotals()
    own = SavingsLine(allow_null=True, help_text="(団体) 自団体の行")
    lines = SavingsLine(many=True, help_text="(事務局) 全団体の行。団体には空")


class SavingsOutput(serializers.Serializer):
    options = SavingsOptionOutput(many=True)


def savings_body(viewer: Viewer, survey: Any) -> dict[str, Any]:
    """Every option side by side; the secretariat gets every body's line, a body its own."""
    everyone = selectors.runs_survey(viewer, survey)
    code = viewer.body.code if viewer.body else None
    out = []
    for option, model in selectors.savings_models(viewer=viewer, survey=survey):
        lines = [vars(line) for line in model.lines]
        out.append(
            {
                "option": option,
                "totals": {
                    "total_yen": model.total_yen,
                    "bodies": len(model.lines),
                    "current_total_yen": model.current_total_yen,
                    "share_total_yen": model.share_total_yen,
                    "saving_total_yen": model.saving_total_yen,
                    "bodies_saving": model.bodies_saving,
                    "bodies_paying_more": model.bodies_paying_more,
                    "bodies_without_cost": model.bodies_without_cost,
                    "excluded": [vars(e) for e in model.excluded] if everyone else [],
                },
                "own": next((line for line in lines if line["code"] == code), None),
                "lines": lines if everyone else [],
            }
        )
    return {"options": out}


class SurveySavingsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: SavingsOutput})
    def get(self, request: Request, survey_id: int) -> Response:
        viewer = viewer_from_request(request)
        survey = selectors.survey_get(viewer=viewer, survey_id=survey_id)
        return Response(SavingsOutput(savings_body(viewer, survey)).data)


# --- decisions ------------------------------------------------------------------------------


class DecisionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    pattern = serializers.ChoiceField(choices=Pattern.choices)
    go = serializers.BooleanField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    option_id = serializers.IntegerField(allow_null=True)
    fiscal_year = serializers.IntegerField(allow_null=True)
    reasons = serializers.CharField()
    decided_at = serializers.DateTimeField()
    joint_service_id = serializers.IntegerField(allow_null=True)
    call_id = serializers.IntegerField(allow_null=True, help_text="開始した募集")


class SurveyDecisionsApi(APIView):
    """The decisions on a survey, latest first (the history); the secretariat records one
    once the survey has closed."""

    permission_classes = [IsAuthenticated, WritesBySecretariat]

    class InputSerializer(serializers.Serializer):
        pattern = serializers.ChoiceField(choices=Pattern.choices)
        go = serializers.BooleanField()
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        reasons = TextSerializerField(max_length=LONG_TEXT, multiline=True)
        option_id = IdSerializerField(required=False, allow_null=True, default=None)
        fiscal_year = FiscalYearSerializerField(required=False, allow_null=True, default=None)

    @extend_schema(responses={200: DecisionOutput(many=True)})
    def get(self, request: Request, survey_id: int) -> Response:
        survey = selectors.survey_get(viewer=viewer_from_request(request), survey_id=survey_id)
        return Response(DecisionOutput(selectors.decisions_of(survey=survey), many=True).data)

    @extend_schema(request=InputSerializer, responses={201: DecisionOutput})
    def post(self, request: Request, survey_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        decision = services.decision_record(
            viewer=viewer, survey_id=survey_id, **data.validated_data
        )
        decision = selectors.decisions_of(survey=decision.survey).get(pk=decision.pk)
        return Response(DecisionOutput(decision).data, status=status.HTTP_201_CREATED)


# --- a member's confirmation ----------------------------------------------------------------


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    survey_id = serializers.IntegerField(source="decision.survey_id")
    joint_service_id = serializers.IntegerField(source="decision.joint_service_id")
    joint_service_name = serializers.CharField(source="decision.joint_service.name")
    fiscal_year = serializers.IntegerField(source="decision.fiscal_year")
    status = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class InvitationsApi(APIView):
    permission_classes = [IsAuthenticated, IsBodyUser]

    @extend_schema(responses={200: InvitationOutput(many=True)})
    def get(self, request: Request) -> Response:
        qs = selectors.invitation_list(viewer=viewer_from_request(request))
        return Response(InvitationOutput(qs, many=True).data)


class InvitationAnswerApi(APIView):
    """The body's administrator confirms taking part (accept: true) or declines."""

    permission_classes = [IsAuthenticated, IsBodyUser]

    class InputSerializer(serializers.Serializer):
        accept = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: InvitationOutput})
    def post(self, request: Request, invitation_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        viewer = viewer_from_request(request)
        invitation = services.invitation_answer(
            viewer=viewer, invitation_id=invitation_id, **data.validated_data
        )
        return Response(
            InvitationOutput(
                selectors.invitation_get(viewer=viewer, invitation_id=invitation.pk)
            ).data
        )


# --- calls for services ---------------------------------------------------------------------


class CallOutput(serializers.Serializer):
    id = serializers.IntegerField()
    survey_id = serializers.IntegerField()
    group_name = serializers.CharField(source="survey.group.name")
    title = serializers.CharField()
    area = serializers.CharField()
    features = serializers.ListField(
        child=serializers.ListField(), help_text="求める機能と、それを求めた団体数"
    )
    interested_bodies = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    response_count = serializers.IntegerField()


class CallsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: page_of(CallOutput)})
    def get(self, request: Request) -> Response:
        return paginated(
            request, self, selectors.call_list(viewer=viewer_from_request(request)), CallOutput
        )


class CallResponseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    call_id = serializers.IntegerField()
    listing_id = serializers.IntegerField()
    listing_name = serializers.CharField(source="listing.name")
    vendor_name = serializers.CharField(source="listing.vendor.name")
    created_at = serializers.DateTimeField()


class CallDetailOutput(CallOutput):
    responses = CallResponseOutput(many=True)


class CallDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CallDetailOutput})
    def get(self, request: Request, call_id: int) -> Response:
        call = selectors.call_get(viewer=viewer_from_request(request), call_id=call_id)
        call.responses_list = list(selectors.call_responses(call=call))  # type: ignore[attr-defined]
        data = CallOutput(call).data
        data["responses"] = CallResponseOutput(call.responses_list, many=True).data  # type: ignore[attr-defined]
        return Response(data)


class CallRespondApi(APIView):
    """A vendor answers a call with one of its published listings."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        listing_id = IdSerializerField()

    @extend_schema(request=InputSerializer, responses={201: CallResponseOutput})
    def post(self, request: Request, call_id: int) -> Response:
        viewer = viewer_from_request(request)
        if not viewer.is_vendor:
            selectors.call_get(viewer=viewer, call_id=call_id)  # 404 for one it may not see
            viewer.require_vendor()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.call_respond(viewer=viewer, call_id=call_id, **data.validated_data)
        return Response(CallResponseOutput(response).data, status=status.HTTP_201_CREATED)
