"""Reads for surveys, scoped to the viewer here and nowhere else. A secretariat sees the
surveys of the groups it staffs (every answer); a body sees the surveys it is asked to answer
(its own answer and the aggregate); a vendor sees the calls for services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from apps.accounts.viewer import Viewer
from apps.core.errors import NotFound
from apps.groups.models import SecretariatStaff
from apps.surveys.domain import results as results_domain
from apps.surveys.domain import savings as savings_domain
from apps.surveys.models import (
    INTERESTED,
    CallResponse,
    Decision,
    Interest,
    JoinInvitation,
    SavingsOption,
    ServiceCall,
    Survey,
    SurveyAnswer,
    SurveyAudience,
)
from apps.tenants.models import PopulationFigure

_SURVEY_404 = ("この調査は見つからないか、閲覧の権限がありません。", "survey_not_found")


def _answered_count() -> Subquery:
    return Subquery(
        SurveyAnswer.objects.filter(survey=OuterRef("pk"), superseded_at__isnull=True)
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def survey_list(*, viewer: Viewer) -> QuerySet[Survey]:
    """Surveys with `answered` (bodies whose answer is in) annotated."""
    qs = Survey.objects.select_related("group").annotate(answered=_answered_count())
    if viewer.is_operator:
        return qs
    if viewer.is_secretariat:
        return qs.filter(
            group__in=SecretariatStaff.objects.filter(user_id=viewer.user.pk).values("group")
        )
    if viewer.is_body_user:
        mine = SurveyAnswer.objects.filter(
            survey=OuterRef("pk"), body=viewer.body, superseded_at__isnull=True
        )
        return qs.filter(
            pk__in=SurveyAudience.objects.filter(body=viewer.body).values("survey")
        ).annotate(mine_answered=Exists(mine))
    return qs.none()


def survey_get(*, viewer: Viewer, survey_id: int) -> Survey:
    survey = survey_list(viewer=viewer).filter(pk=survey_id).first()
    if survey is None:
        raise NotFound(*_SURVEY_404)
    return survey


def runs_survey(viewer: Viewer, survey: Survey) -> bool:
    """Whether the viewer is the survey's secretariat (sees every body's answer and line)."""
    return viewer.is_secretariat or viewer.is_operator


def is_open(survey: Survey, today: dt.date | None = None) -> bool:
    return (today or timezone.localdate()) <= survey.deadline


def response_rate(survey: Survey) -> tuple[int, int, float]:
    """(answered, asked, percent) from the annotated survey."""
    answered = getattr(survey, "answered", None) or 0
    asked = survey.audience_count
    return answered, asked, round(100 * answered / asked, 1) if asked else 0.0


def current_answers(*, survey: Survey) -> QuerySet[SurveyAnswer]:
    """Every body's answer in force (the caller has checked it runs the survey)."""
    return (
        SurveyAnswer.objects.filter(survey=survey, superseded_at__isnull=True)
        .select_related("body")
        .order_by("body__code")
    )


def own_answers(*, viewer: Viewer, survey: Survey) -> QuerySet[SurveyAnswer]:
    """The viewer's body's revisions, newest first."""
    if not viewer.is_body_user:
        return SurveyAnswer.objects.none()
    return SurveyAnswer.objects.filter(survey=survey, body=viewer.body).order_by("-revision")


def unanswered_audience(*, survey: Survey) -> QuerySet[SurveyAudience]:
    return SurveyAudience.objects.filter(survey=survey).exclude(
        body__in=SurveyAnswer.objects.filter(survey=survey, superseded_at__isnull=True).values(
            "body"
        )
    )


@dataclass(frozen=True)
class Results:
    answered: int
    asked: int
    interest: list[tuple[str, str, int, float]]  # (value, label, count, bar percent)
    costs: list[results_domain.Bucket]
    ends: list[results_domain.Bucket]
    features: list[results_domain.Bucket]


def survey_results(*, viewer: Viewer, survey: Survey) -> Results:
    """Counts by interest, today's costs, contract ends and the features asked for: two queries
    whatever the number of bodies."""
    if not runs_survey(viewer, survey):
        raise NotFound(*_SURVEY_404)
    answers = SurveyAnswer.objects.filter(survey=survey, superseded_at__isnull=True)
    counts = answers.aggregate(
        **{value: Count("pk", filter=Q(interest=value)) for value in Interest.values}
    )
    rows = list(answers.values_list("annual_cost_yen", "contract_end", "features"))
    answered = sum(counts.values())
    top = max(counts.values(), default=0)
    return Results(
        answered=answered,
        asked=survey.audience_count,
        interest=[
            (value, label, counts[value], round(100 * counts[value] / top, 1) if top else 0.0)
            for value, label in Interest.choices
        ],
        costs=results_domain.cost_distribution([r[0] for r in rows]),
        ends=results_domain.end_timeline([r[1] for r in rows], timezone.localdate()),
        features=results_domain.feature_ranking(survey.features, [r[2] for r in rows]),
    )


def options_of(*, survey: Survey) -> QuerySet[SavingsOption]:
    return SavingsOption.objects.filter(survey=survey).order_by("pk")


def option_get(*, viewer: Viewer, survey: Survey, option_id: int) -> SavingsOption:
    option = options_of(survey=survey).filter(pk=option_id).first()
    if option is None:
        raise NotFound("この試算案は見つかりません。", "option_not_found")
    return option


def _population(source: str) -> Subquery:
    return Subquery(
        PopulationFigure.objects.filter(body=OuterRef("body"), source=source)
        .order_by("-reference_date")
        .values("population")[:1],
        output_field=IntegerField(),
    )


def savings_candidates(
    *, survey: Survey, sources: set[str]
) -> dict[str, list[savings_domain.Candidate]]:
    """The interested bodies (every interest but 不要) with the population of each source named
    and what they pay today: one query whatever their number."""
    rows = list(
        SurveyAnswer.objects.filter(
            survey=survey, superseded_at__isnull=True, interest__in=INTERESTED
        )
        .order_by("body__code")
        .annotate(**{f"pop_{i}": _population(s) for i, s in enumerate(sorted(sources))})
        .values(
            "body__code",
            "body__name",
            "annual_cost_yen",
            "transactions_count",
            *[f"pop_{i}" for i in range(len(sources))],
        )
    )
    return {
        source: [
            savings_domain.Candidate(
                code=r["body__code"],
                name=r["body__name"],
                population=r[f"pop_{i}"],
                usage=r["transactions_count"],
                current_cost_yen=r["annual_cost_yen"],
            )
            for r in rows
        ]
        for i, source in enumerate(sorted(sources))
    }


def savings_models(
    *, viewer: Viewer, survey: Survey
) -> list[tuple[SavingsOption, savings_domain.Model]]:
    """Every option of the survey, modelled. A body's user gets the same models (the page shows
    it only its own line and the totals); anyone else cannot see the survey at all."""
    options = list(options_of(survey=survey))
    if not options:
        return []
    candidates = savings_candidates(survey=survey, sources={o.population_source for o in options})
    return [
        (
            o,
            savings_domain.model(
                o.total_cost_yen,
                candidates[o.population_source],
                savings_domain.method_of(o.basis, o.equal_part, o.doubling_factor),
            ),
        )
        for o in options
    ]


def decisions_of(*, survey: Survey) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(survey=survey)
        .select_related("option", "joint_service")
        .annotate(call_id=F("call__id"))
        .order_by("-decided_at", "-pk")
    )


def invitation_list(*, viewer: Viewer) -> QuerySet[JoinInvitation]:
    """A body's invitations to confirm taking part (its own only)."""
    if not viewer.is_body_user:
        return JoinInvitation.objects.none()
    return JoinInvitation.objects.filter(body=viewer.body).select_related(
        "decision", "decision__survey", "decision__joint_service"
    )


def invitation_get(*, viewer: Viewer, invitation_id: int) -> JoinInvitation:
    invitation = invitation_list(viewer=viewer).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("この参加の確認は見つかりません。", "invitation_not_found")
    return invitation


def decision_invitations(*, decision: Decision) -> QuerySet[JoinInvitation]:
    return JoinInvitation.objects.filter(decision=decision).select_related("body")


def call_list(*, viewer: Viewer) -> QuerySet[ServiceCall]:
    """Calls for services: vendors and operators see every call; a secretariat its surveys';
    a body those of surveys it was asked to answer."""
    qs = ServiceCall.objects.select_related("survey", "survey__group").annotate(
        response_count=Count("responses")
    )
    if viewer.is_vendor or viewer.is_operator:
        return qs
    if viewer.is_secretariat or viewer.is_body_user:
        return qs.filter(survey__in=survey_list(viewer=viewer).values("pk"))
    return qs.none()


def call_get(*, viewer: Viewer, call_id: int) -> ServiceCall:
    call = call_list(viewer=viewer).filter(pk=call_id).first()
    if call is None:
        raise NotFound("この募集は見つかりません。", "call_not_found")
    return call


def call_responses(*, call: ServiceCall) -> QuerySet[CallResponse]:
    return CallResponse.objects.filter(call=call).select_related("listing", "listing__vendor")


def open_surveys_to_answer(*, viewer: Viewer) -> QuerySet[Any]:
    """The open surveys the viewer's body has not answered (its home page)."""
    if not viewer.is_body_user:
        return Survey.objects.none()
    return survey_list(viewer=viewer).filter(  # type: ignore[misc]
        deadline__gte=timezone.localdate(), mine_answered=False
    )
